package dev.parley.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.Config;
import dev.parley.testing.ParleyJar;
import dev.parley.testing.TestStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code parley follow}: NDJSON for ever, and after a kill -9 it resumes from its cursor file. */
class FollowCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void followPrintsEachChangeAsALineAndResumesFromItsCursorFileAfterAKill(TestStores store) throws Exception {
        Config config = store.freshConfig();
        Map<String, String> settings = new HashMap<>();
        settings.put("PARLEY_DATA_DIR", config.dataDir().toString());
        config.databaseUrl().ifPresent(url -> settings.put("PARLEY_DATABASE_URL", url));
        Path cursorFile = config.dataDir().resolve("follow.cursor");
        List<String> first = importConversations(config, settings, 3);

        Process follow = start(settings, cursorFile);
        BlockingQueue<String> lines = linesOf(follow);
        List<JsonNode> printed = take(lines, 3);
        assertThat(printed).extracting(line -> line.get("conversationId").asText())
                .containsExactlyInAnyOrderElementsOf(first);
        assertThat(printed).allSatisfy(line -> assertThat(line.get("type").asText()).isEqualTo("upsert"));
        awaitFile(cursorFile);
        follow.destroyForcibly().waitFor();

        List<String> later = importConversations(config, settings, 2);
        Process resumed = start(settings, cursorFile);
        try {
            List<JsonNode> after = take(linesOf(resumed), 2);
            assertThat(after).extracting(line -> line.get("conversationId").asText())
                    .containsExactlyInAnyOrderElementsOf(later);
        } finally {
            resumed.destroyForcibly().waitFor();
        }
    }

    private static Process start(Map<String, String> settings, Path cursorFile) throws Exception {
        return ParleyJar.builder(ParleyJar.currentJava(), settings, "follow", "--cursor-file", cursorFile.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static List<String> importConversations(Config config, Map<String, String> settings, int count)
            throws Exception {
        List<String> ids = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            lines.append("{\"id\": \"").append(id).append("\", \"source\": \"api\", \"botRequests\": [{\"question\":")
                    .append(" \"q\", \"answer\": \"a\", \"createdAt\": 1740407178963}]}\n");
        }
        Path file = Files.createTempFile(config.dataDir(), "import", ".ndjson");
        Files.writeString(file, lines);
        ParleyJar.Result result = ParleyJar.run(settings, "import", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        return ids;
    }

    private static BlockingQueue<String> linesOf(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // the process was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static List<JsonNode> take(BlockingQueue<String> lines, int count) throws Exception {
        List<JsonNode> taken = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String line = lines.poll(90, TimeUnit.SECONDS);
            assertThat(line).as("line %d of parley follow", i + 1).isNotNull();
            taken.add(JSON.readTree(line));
        }
        // nothing more: a line printed twice would be here
        assertThat(lines.poll(1, TimeUnit.SECONDS)).isNull();
        return taken;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        for (int i = 0; i < 200 && !Files.exists(file); i++) {
            Thread.sleep(50);
        }
        assertThat(file).exists();
    }
}
