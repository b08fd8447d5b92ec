package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.store.Database;
import dev.parley.testing.ChildServer;
import dev.parley.testing.ParleyJar;
import dev.parley.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code parley import} in a process of its own (issue 20): it commits chunk by chunk, so a
 * {@code serve} on the same store answers writes while it runs; killed midway, it leaves a journal
 * from which the next process to open the store undoes it whole.
 */
class ImportBesideServeIT {

    private static final String KEY = "import-beside-serve-key-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aPostBesideACliImportIsAnsweredBeforeTheImportEnds(TestStores kind) throws Exception {
        Config config = kind.freshConfig();
        UUID first = UUID.randomUUID();
        UUID last = UUID.randomUUID();
        Path file = config.dataDir().resolve("history.ndjson");
        writeConversations(file, first, 10_000, last);
        try (ChildServer server = ChildServer.startJar(config, KEY, config.dataDir().resolve("serve.log"), Map.of())) {
            Process cli = ParleyJar.builder(ParleyJar.currentJava(), settings(config), "import", file.toString())
                    .redirectErrorStream(true).redirectOutput(config.dataDir().resolve("import.log").toFile()).start();
            while (get(server, "/v2/bots/conversations/" + first) == 404) {
                assertThat(cli.isAlive()).as("the import's first chunk is visible before the import ends").isTrue();
                Thread.sleep(20);
            }

            HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                            + "/v2/bots/requests")).timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            boolean importStillRunning = cli.isAlive();

            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
            assertThat(importStillRunning).as("the POST was answered while the import ran").isTrue();
            assertThat(cli.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(cli.exitValue()).as(Files.readString(config.dataDir().resolve("import.log"))).isZero();
            assertThat(get(server, "/v2/bots/conversations/" + last)).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aCliImportKilledMidwayIsUndoneByTheNextProcessAndTheStoreIsAsBefore(TestStores kind) throws Exception {
        Config config = kind.freshConfig();
        Map<String, String> store = settings(config);
        assertThat(ParleyJar.run(store, "demo-data", "--conversations", "100").exitCode()).isZero();
        Path before = config.dataDir().resolve("before.ndjson");
        assertThat(ParleyJar.run(store, "export", "-o", before.toString()).exitCode()).isZero();
        // every stored conversation replaced, then many new ones
        Path file = config.dataDir().resolve("history.ndjson");
        StringBuilder replacing = new StringBuilder();
        for (String line : Files.readAllLines(before)) {
            replacing.append(line.replaceFirst("\"question\":\"", "\"question\":\"replaced: ")).append('\n');
        }
        Files.writeString(file, replacing);
        Files.writeString(file, conversations(UUID.randomUUID(), 20_000, UUID.randomUUID()),
                java.nio.file.StandardOpenOption.APPEND);

        Process cli = ParleyJar.builder(ParleyJar.currentJava(), store, "import", file.toString())
                .redirectErrorStream(true).redirectOutput(config.dataDir().resolve("import.log").toFile()).start();
        while (count(config, "import_undo") < 1_000) {
            assertThat(cli.isAlive()).as("the import is killed while it runs").isTrue();
            Thread.sleep(10);
        }
        cli.destroyForcibly().waitFor(); // SIGKILL: nothing of the import's own undo can run
        assertThat(count(config, "import_runs")).as("the import was left unfinished").isEqualTo(1);

        Path after = config.dataDir().resolve("after.ndjson");
        ParleyJar.Result exported = ParleyJar.run(ParleyJar.currentJava(), store, Duration.ofMinutes(10), "export", "-o",
                after.toString());

        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(Files.readString(after)).isEqualTo(Files.readString(before));
        assertThat(count(config, "import_runs")).isZero();
        assertThat(count(config, "import_undo")).isZero();
    }

    private static Map<String, String> settings(Config config) {
        Map<String, String> settings = new HashMap<>();
        settings.put("PARLEY_DATA_DIR", config.dataDir().toString());
        config.databaseUrl().ifPresent(url -> settings.put("PARLEY_DATABASE_URL", url));
        return settings;
    }

    private static int get(ChildServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofMinutes(1))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Rows of one of the import journal's tables, read beside the processes under test; 0 before it exists. */
    private static long count(Config config, String table) throws SQLException {
        String url = config.databaseUrl().orElse("jdbc:sqlite:" + config.dataDir().resolve(Database.SQLITE_FILE));
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            if (e.getMessage() != null && (e.getMessage().contains("no such table") || e.getMessage().contains(
                    "does not exist"))) {
                return 0;
            }
            throw e;
        }
    }

    private static void writeConversations(Path file, UUID first, int count, UUID last) throws Exception {
        Files.writeString(file, conversations(first, count, last));
    }

    /** {@code count} small conversations, the first and last with these ids. */
    private static String conversations(UUID first, int count, UUID last) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            UUID id = i == 0 ? first : i == count - 1 ? last : UUID.randomUUID();
            lines.append("{\"id\":\"").append(id).append("\",\"source\":\"zendesk\",\"botRequests\":[{\"question\":")
                    .append("\"new\",\"answer\":\"b\",\"createdAt\":1700000000000}]}\n");
        }
        return lines.toString();
    }
}
