package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.history.HistoryFilter;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.transfer.DemoData;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * No write waits without a deadline: while another process holds SQLite's write lock, a write
 * that cannot start within PARLEY_WRITE_TIMEOUT is answered 503 with Retry-After — and, being
 * abandoned before it started, it is never stored later. A bulk write (a batch of demo data)
 * has a bulk write's deadline, not a bot's.
 */
class WriteTimeoutTest {

    @Test
    void aWriteThatCannotStartWithinTheWriteTimeoutIs503AndNeverRunsLater() throws Exception {
        Config config = TestStores.SQLITE.freshConfig().withWriteTimeout(Duration.ofSeconds(1));
        try (TestServer server = TestServer.start(config)) {
            String key = server.newKey("waiting", Scope.READ, Scope.WRITE);
            String requestId = UUID.randomUUID().toString();
            String conversationId = UUID.randomUUID().toString();
            String body = """
                    {"id": "%s", "conversationId": "%s", "source": "api", "question": "q", "answer": "a"}"""
                    .formatted(requestId, conversationId);

            Response refused;
            long started;
            try (Connection other = DriverManager.getConnection(
                    "jdbc:sqlite:" + config.dataDir().resolve(Database.SQLITE_FILE).toAbsolutePath());
                 Statement statement = other.createStatement()) {
                statement.execute("BEGIN IMMEDIATE"); // another process writing, for as long as it likes
                started = System.nanoTime();
                refused = server.post("/v2/bots/requests", key, body);
                statement.execute("ROLLBACK");
            }
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isNotBlank();
            assertThat(refused.json().at("/error/message").asText()).contains("busy");
            assertThat(waitedMillis).as("ms until the answer (the busy timeout is 30 s)").isLessThan(10_000);

            Thread.sleep(500); // time for the writer to have run the abandoned write, had it kept it
            assertThat(server.get("/v2/bots/conversations/" + conversationId, key).status()).isEqualTo(404);
            Response retried = server.post("/v2/bots/requests", key, body);
            assertThat(retried.status()).as("the retry is new, not a replay: " + retried.body()).isEqualTo(201);
        }
    }

    @Test
    void aBulkBatchOfDemoDataIsNotHeldToTheTimeoutOfABotsWrite() {
        Config config = TestStores.SQLITE.freshConfig().withWriteTimeout(Duration.ofMillis(300));
        try (Parley parley = Parley.open(config)) {
            long workspace = parley.keys().ensureWorkspace(new WorkspaceName("bulk"));

            DemoData.generate(1, 3000, 3000, batch -> parley.history().writer().storeWhole(workspace, batch));

            assertThat(parley.history().reader().stats(workspace, HistoryFilter.ALL).conversations()).isEqualTo(3000);
        }
    }

    @Test
    void aWriteThatRunsPastTheWriteTimeoutIsRolledBackAndAnsweredUnavailableAndTheWriterCarriesOn() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(TestStores.SQLITE.freshConfig().dataDir());
        String url = "jdbc:sqlite:" + dir.resolve("cut.db").toAbsolutePath();
        try (Connection setup = DriverManager.getConnection(url); Statement statement = setup.createStatement()) {
            statement.execute("CREATE TABLE marks (name TEXT NOT NULL)");
        }
        SqliteWriter writer = new SqliteWriter(() -> DriverManager.getConnection(url), Duration.ofMillis(500));
        try {
            assertThatThrownBy(() -> writer.write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO marks VALUES ('long')");
                    // counts far past any write timeout
                    statement.executeQuery("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n"
                            + " WHERE x < 5000000000) SELECT count(*) FROM n").close();
                }
                return null;
            })).isInstanceOfSatisfying(StoreException.class, e ->
                    assertThat(e.unavailableBecause()).isEqualTo(StoreException.Unavailable.BUSY))
                    .hasMessageContaining("nothing of it is stored");

            writer.write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO marks VALUES ('short')");
                }
                return null;
            });
            try (Connection reader = DriverManager.getConnection(url); Statement statement = reader.createStatement();
                 java.sql.ResultSet rows = statement.executeQuery("SELECT group_concat(name) FROM marks")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("short");
            }
        } finally {
            writer.close();
        }
    }
}
