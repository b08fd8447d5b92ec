package dev.parley;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a newcomer reads is true: links lead somewhere, the test command is the one CI runs, the guide covers the API. */
class DocumentationTest {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-");
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** {@code [text](target)} and {@code ![alt](target)}, with an optional title after the target. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

    @Test
    void everyRelativeLinkInTheReadmeAndTheDocsNamesAFileInTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            for (String target : links(Files.readString(page))) {
                if (target.matches("(?i)^[a-z][a-z0-9+.-]*:.*")) {
                    continue; // a URL
                }
                String file = target.replaceAll("[#?].*$", "");
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                checked++;
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target);
                } else if (target.contains("#") && resolved.toString().endsWith(".md")
                        && !anchors(Files.readString(resolved)).contains(target.substring(target.indexOf('#') + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("links to nothing, or to outside the repository").isEmpty();
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void theReadmesOneTestCommandIsTheOneCiRuns() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String testIt = section(readme, "## Test it");
        assertThat(codeBlocks(testIt)).containsExactly("bin/test");
        assertThat(Files.isExecutable(ROOT.resolve("bin/test"))).isTrue();
        List<String> ciCommands = Files.readAllLines(ROOT.resolve(".ci/run")).stream()
                .filter(line -> line.contains("bin/test") && !line.trim().startsWith("#")).toList();
        // the second run, on the newest JDK, is the same command under another JAVA_HOME
        assertThat(ciCommands).isNotEmpty().allSatisfy(line -> assertThat(line.trim()).endsWith("bash bin/test"));
        assertThat(ciCommands.get(0).trim()).isEqualTo("bash bin/test");
    }

    @Test
    void theReadmeLeadsToTheApiGuideAndTheOpenApiDocument() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(links(readme)).contains("docs/api.md");
        assertThat(readme).contains("/openapi.json");
    }

    @Test
    void theApiGuideShowsEveryRouteOfTheOpenApiDocumentWithACurlExample() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/api.md"));
        JsonNode document = new ObjectMapper().readTree(ROOT.resolve("src/main/resources/openapi.json").toFile());
        List<String> missing = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            String route = method.toUpperCase(Locale.ROOT) + " " + path.getKey();
            if (!guide.contains(route)) {
                missing.add(route);
            }
        }));
        assertThat(missing).as("routes the guide never names").isEmpty();
        assertThat(guide).contains("curl");
    }

    /**
     * The guide's curl commands that name no id of its story and read no file, sent as written
     * (method, path and query, body, content type) to a real server: each must succeed.
     */
    @Test
    void theGuidesCurlExamplesAreAcceptedByARealServer() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/api.md"));
        List<String> commands = new ArrayList<>();
        Matcher blocks = Pattern.compile("(?ms)^```sh\\n(.*?)^```").matcher(guide);
        while (blocks.find()) {
            for (String command : blocks.group(1).split("(?=curl )")) {
                if (command.startsWith("curl ") && command.contains("$BASE/v2/")) {
                    commands.add(command);
                }
            }
        }
        int sent = 0;
        try (TestServer server = TestServer.start(TestStores.SQLITE)) {
            String key = server.newKey("guide", Scope.READ, Scope.WRITE, Scope.ADMIN);
            for (String command : commands) {
                Matcher url = Pattern.compile("\"\\$BASE(/[^\"]+)\"").matcher(command);
                assertThat(url.find()).as(command).isTrue();
                String target = url.group(1);
                if (target.contains("$") || UUID.matcher(target).find() || command.contains("@")) {
                    continue; // names an id or a file of the story, or a shell variable
                }
                Matcher explicit = Pattern.compile("-X (\\w+)").matcher(command);
                Matcher body = Pattern.compile("(?s)-d '(.*?)'").matcher(command);
                boolean hasBody = body.find();
                String method = explicit.find() ? explicit.group(1) : hasBody ? "POST" : "GET";
                HttpRequest.Builder request = server.request(target, key).method(method, hasBody
                        ? HttpRequest.BodyPublishers.ofString(body.group(1)) : HttpRequest.BodyPublishers.noBody());
                Matcher contentType = Pattern.compile("-H 'Content-Type: ([^']+)'").matcher(command);
                if (contentType.find()) {
                    request.header("Content-Type", contentType.group(1));
                }
                TestServer.Response response = TestServer.send(request);
                assertThat(response.status()).as(command + " -> " + response).isBetween(200, 299);
                sent++;
            }
        }
        assertThat(sent).isGreaterThanOrEqualTo(6);
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The link targets of a Markdown page, outside code blocks and code spans. */
    private static List<String> links(String markdown) {
        String prose = markdown.replaceAll("(?ms)^\\s*```.*?^\\s*```", "").replaceAll("`[^`\\n]*`", "");
        List<String> targets = new ArrayList<>();
        Matcher matcher = LINK.matcher(prose);
        while (matcher.find()) {
            targets.add(matcher.group(1));
        }
        return targets;
    }

    /** The anchors GitHub gives a page's headings: lowercase, punctuation dropped, spaces as hyphens. */
    private static List<String> anchors(String markdown) {
        String prose = markdown.replaceAll("(?ms)^\\s*```.*?^\\s*```", "");
        return prose.lines().filter(line -> line.startsWith("#"))
                .map(line -> line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'))
                .toList();
    }

    /** The text from a heading to the next heading of the same level. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length() + 2);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** The lines of the fenced code blocks of a text. */
    private static List<String> codeBlocks(String markdown) {
        List<String> lines = new ArrayList<>();
        Matcher blocks = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```").matcher(markdown);
        while (blocks.find()) {
            blocks.group(1).lines().map(String::trim).filter(line -> !line.isEmpty()).forEach(lines::add);
        }
        return lines;
    }
}
