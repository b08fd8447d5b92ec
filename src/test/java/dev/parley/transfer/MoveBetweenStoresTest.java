package dev.parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.cli.Cli;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The migration a growing user makes: SQLite to PostgreSQL with the CLI, byte for byte. */
class MoveBetweenStoresTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anExportFromSqliteImportedIntoPostgresExportsTheSameBytes() throws Exception {
        Config sqlite = TestStores.SQLITE.freshConfig();
        Config postgres = TestStores.POSTGRESQL.freshConfig();
        try (Parley parley = Parley.open(sqlite)) {
            TransferTest.demoData(parley, "acme", 500, 42);
        }
        Path dir = TestStores.newDirectory();
        Path fromSqlite = dir.resolve("sqlite.ndjson");
        Path fromPostgres = dir.resolve("postgres.ndjson");
        Path csvFromSqlite = dir.resolve("sqlite.csv");
        Path csvFromPostgres = dir.resolve("postgres.csv");

        assertThat(parley(sqlite, "export", "--workspace", "acme", "-o", fromSqlite.toString())).isZero();
        assertThat(parley(sqlite, "export", "--workspace", "acme", "--format", "csv", "-o", csvFromSqlite.toString()))
                .isZero();
        assertThat(parley(postgres, "import", fromSqlite.toString(), "--workspace", "acme")).isZero();
        assertThat(parley(postgres, "export", "--workspace", "acme", "-o", fromPostgres.toString())).isZero();
        assertThat(parley(postgres, "export", "--workspace", "acme", "--format", "csv", "-o", csvFromPostgres.toString()))
                .isZero();

        assertThat(Files.readAllLines(fromSqlite)).hasSize(500);
        assertThat(Files.mismatch(fromSqlite, fromPostgres)).isEqualTo(-1L);
        assertThat(Files.mismatch(csvFromSqlite, csvFromPostgres)).isEqualTo(-1L);
    }

    /**
     * README's recipe, step by step: a store keeps only the hashes of its keys, so no key moves
     * with the history; the recipe's {@code keys create} on the new store is what lets its
     * clients in again.
     */
    @Test
    void afterReadmesMoveAKeyMadeOnTheNewStoreReadsTheWholeMovedHistoryThroughTheApi() throws Exception {
        Config sqlite = TestStores.SQLITE.freshConfig();
        Config postgres = TestStores.POSTGRESQL.freshConfig();
        try (Parley parley = Parley.open(sqlite)) {
            TransferTest.demoData(parley, "acme", 300, 7);
        }
        String oldKey = lastLine(parleyOutput(sqlite, "keys", "create", "--workspace", "acme", "--scopes", "read"));
        Path exported = TestStores.newDirectory().resolve("acme.ndjson");

        parley(sqlite, "export", "--workspace", "acme", "-o", exported.toString());
        parley(postgres, "import", exported.toString(), "--workspace", "acme");
        String key = lastLine(parleyOutput(postgres, "keys", "create", "--workspace", "acme", "--scopes", "read,write"));

        List<String> exportedIds = new ArrayList<>();
        for (String line : Files.readAllLines(exported)) {
            exportedIds.add(JSON.readTree(line).get("id").asText());
        }
        try (TestServer server = TestServer.start(postgres)) {
            assertThat(server.get("/v2/bots/requests/public?source=all", oldKey).status())
                    .as("a key of the old store does not open the new one").isEqualTo(401);
            assertThat(idsOfEveryPage(server, key)).hasSize(300).isEqualTo(exportedIds);
        }
    }

    private static List<String> idsOfEveryPage(TestServer server, String key) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Response page = server.get("/v2/bots/requests/public?source=all&limit=200"
                    + (cursor == null ? "" : "&cursor=" + cursor), key);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("conversations").forEach(conversation -> ids.add(conversation.get("id").asText()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }

    @Test
    void theExportCommandTakesTheHistoryFiltersAsOptions() throws Exception {
        Config sqlite = TestStores.SQLITE.freshConfig();
        try (Parley parley = Parley.open(sqlite)) {
            TransferTest.demoData(parley, "default", 200, 4);
        }
        Path out = TestStores.newDirectory().resolve("zendesk.ndjson");

        assertThat(parley(sqlite, "export", "--source", "zendesk", "--escalation", "true", "-o", out.toString()))
                .isZero();

        assertThat(Files.readAllLines(out)).isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("\"source\":\"zendesk\",").contains("\"escalation\":true,"));
    }

    @Test
    void aBadImportFileIsOneLineNamingTheLineAndExitCode2() throws Exception {
        Config sqlite = TestStores.SQLITE.freshConfig();
        Path file = TestStores.newDirectory().resolve("bad.ndjson");
        Files.writeString(file, TransferTest.TRICKY_CONVERSATION + "\n{\"source\":\"fax\",\"createdAt\":1}\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Cli.run(new String[] {"import", file.toString()}, env(sqlite), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).endsWith(file + ": line 2: source must be one of zendesk,"
                + " slack, discord, widget, intercom, ui, api, got 'fax'; nothing was imported\n");
    }

    /** What a successful command printed on standard output. */
    private static String parleyOutput(Config config, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(args, env(config), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().toList();
        return lines.get(lines.size() - 1);
    }

    private static int parley(Config config, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(args, env(config), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return exit;
    }

    private static Map<String, String> env(Config config) {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_DATA_DIR", config.dataDir().toString());
        config.databaseUrl().ifPresent(url -> env.put("PARLEY_DATABASE_URL", url));
        return env;
    }
}
