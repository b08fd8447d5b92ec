package dev.parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.testing.ChildServer;
import dev.parley.testing.SmallDisk;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An import is held in a temporary file while it is checked. When the temporary disk fills up,
 * the import is refused with 503 and Retry-After, the file is closed and deleted, and the next
 * import that fits goes through — without a restart.
 */
class ImportSpoolTest {

    private static final String KEY = "import-spool-test-key-0123456789";
    private static final String ANSWER = "y".repeat(30 * 1024);

    @Test
    void anImportThatFillsTheTemporaryDiskIsRefusedWith503AndLeavesNoSpaceHeld() throws Exception {
        Config config = TestStores.SQLITE.freshConfig();
        try (SmallDisk temporary = SmallDisk.mount(8);
             ChildServer server = ChildServer.start(config, KEY, config.dataDir().resolve("serve.log"),
                     Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + temporary.root()))) {
            long free = temporary.usableBytes();

            StringBuilder big = new StringBuilder();
            for (int i = 0; big.length() < 20 << 20; i++) {
                big.append(line(i)).append('\n');
            }
            Response refused = importNdjson(server, big.toString());
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isNotBlank();
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("unavailable");
            assertThat(refused.json().at("/error/message").asText()).contains("temporary disk is full");

            assertThat(spoolFilesHeldOpen(server.pid())).as("spool files the server still holds open").isEmpty();
            try (Stream<Path> left = Files.list(temporary.root())) {
                assertThat(left.map(Path::getFileName).map(Path::toString).filter(n -> n.startsWith("parley-import-")))
                        .as("spool files left behind").isEmpty();
            }
            assertThat(temporary.usableBytes()).as("free space on the temporary disk").isEqualTo(free);

            Response fits = importNdjson(server, line(1) + "\n" + line(2) + "\n");
            assertThat(fits.status()).as(fits.body()).isEqualTo(200);
            assertThat(fits.json().get("imported").asLong()).isEqualTo(2);
        }
    }

    @Test
    void theCliImportOnAFullTemporaryDiskFailsInOneLineAndLeavesNothingBehind() throws Exception {
        Config config = TestStores.SQLITE.freshConfig();
        Path file = config.dataDir().resolve("big.ndjson");
        try (var out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < 700; i++) {
                out.write(line(i));
                out.write('\n');
            }
        }
        try (SmallDisk temporary = SmallDisk.mount(8)) {
            Path log = config.dataDir().resolve("import.log");
            String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(javaBinary, "-Djava.io.tmpdir=" + temporary.root(), "-cp",
                    System.getProperty("java.class.path"), "dev.parley.Main", "import", file.toString());
            builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_"));
            builder.environment().put("PARLEY_DATA_DIR", config.dataDir().toString());
            Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(2);
            List<String> errors = Files.readAllLines(log).stream().filter(l -> l.startsWith("parley: ")).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0)).startsWith("parley: cannot hold the import in " + temporary.root()
                    + " while checking it: ");
            assertThat(Files.readAllLines(log)).noneMatch(l -> l.contains("\tat "));
            try (Stream<Path> left = Files.list(temporary.root())) {
                assertThat(left.toList()).as("spool files left behind").isEmpty();
            }
        }
    }

    private static List<String> spoolFilesHeldOpen(long pid) throws IOException {
        List<String> held = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.contains("parley-import-")) {
                        held.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while we looked
                }
            }
        }
        return held;
    }

    private static Response importNdjson(ChildServer server, String body) {
        return TestServer.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v2/bots/conversations/import"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String line(int n) {
        String suffix = String.format("%012d", n);
        return """
                {"id":"0b0e2c4a-1111-4a4a-9c9c-%s","externalId":null,"source":"api","channel":null,"escalation":false,\
                "hasLinks":false,"feedbackType":null,"expectingUserFollowup":false,"url":null,"categories":[],\
                "createdAt":1700000000000,"updatedAt":1700000000000,"botRequests":[{"question":"q","answer":"%s",\
                "categories":[],"escalation":false,"reasoning":null,"feedbackType":null,"expectingUserFollowup":false,\
                "createdAt":1700000000000,"basedOn":[],"id":"0b0e2c4a-2222-4a4a-9c9c-%s"}],"userId":null}"""
                .formatted(suffix, ANSWER, suffix);
    }
}
