package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.testing.SmallDisk;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A store on a disk that fills up: writes are refused with 503 and Retry-After while it is full
 * (on SQLite /readyz says so too), and once space is freed writing resumes by itself. Throughout, every write
 * answered 2xx is stored and none answered with an error is.
 */
class FullDiskTest {

    private static final String LONG_ANSWER = "x".repeat(16 * 1024);

    @Test
    void aFullDiskRefusesWritesWith503AndWritingResumesByItselfOnceSpaceIsFreed() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(16)) {
            Config config = new Config(0, disk.root().resolve("data"), Optional.empty(), Optional.empty())
                    .withRateLimit(0);
            try (TestServer server = TestServer.start(config)) {
                String key = server.newKey("full", Scope.READ, Scope.WRITE);
                Ledger ledger = new Ledger(server, key);
                for (int i = 0; i < 5; i++) {
                    assertThat(ledger.write().status()).isEqualTo(201);
                }

                disk.fill();
                // the WAL may still have room it can reuse: write until the disk is really out of space
                Response refused = null;
                for (int i = 0; i < 400 && refused == null; i++) {
                    Response response = ledger.write();
                    if (response.status() != 201) {
                        refused = response;
                    }
                }
                assertThat(refused).as("a write refused while the disk is full").isNotNull();
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isNotBlank();
                assertThat(refused.json().at("/error/code").asText()).isEqualTo("unavailable");
                assertThat(refused.json().at("/error/message").asText()).contains("disk is full");
                // SQLite may give room back after the refusal (a write-ahead log dropped with the
                // writer's connection): take it again, so that the disk is full when readiness is asked
                disk.fill();
                assertThat(server.get("/readyz", null).status()).isEqualTo(503);
                // concurrent writers share a group commit: a group that fails fails for all of them
                for (Response whileFull : ledger.writeConcurrently(4, 5)) {
                    assertThat(whileFull.status()).as(whileFull.body()).isIn(201, 503);
                }

                disk.free();
                long deadline = System.nanoTime() + 10_000_000_000L;
                int ready;
                do {
                    ready = server.get("/readyz", null).status();
                } while (ready != 200 && System.nanoTime() < deadline && sleep());
                assertThat(ready).as("ready again once space is freed").isEqualTo(200);
                for (Response after : ledger.writeConcurrently(4, 5)) {
                    assertThat(after.status()).as(after.body()).isEqualTo(201);
                }

                ledger.assertEveryAcknowledgedWriteStoredAndNoRefusedOne();
            }
        }
    }

    /**
     * PostgreSQL's tables in a tablespace on the small disk: PostgreSQL itself recovers once space
     * is freed; Parley's part is to answer 503 (SQLSTATE 53100), not 500, and never lose track.
     */
    @Test
    void aFullTablespaceOnPostgreSqlRefusesWritesWith503AndWritingResumesOnceSpaceIsFreed() throws Exception {
        String server = System.getenv("PARLEY_TEST_DATABASE_URL");
        if (server == null || server.isBlank()) {
            System.err.println("SKIPPED: a tablespace on a small disk needs the machine's own PostgreSQL"
                    + " (PARLEY_TEST_DATABASE_URL), running on this host");
        }
        Assumptions.assumeTrue(server != null && !server.isBlank(), "needs PARLEY_TEST_DATABASE_URL");
        try (SmallDisk disk = SmallDisk.mount(16)) {
            disk.giveTo("postgres");
            String name = "parley_full_" + ProcessHandle.current().pid();
            admin(server, "CREATE TABLESPACE " + name + " LOCATION '" + disk.root() + "'");
            try {
                admin(server, "CREATE DATABASE " + name + " TABLESPACE " + name);
                Config config = new Config(0, TestStores.newDirectory(),
                        Optional.of(TestStores.withDatabase(server, name)), Optional.empty()).withRateLimit(0);
                try (TestServer parley = TestServer.start(config)) {
                    String key = parley.newKey("full", Scope.READ, Scope.WRITE);
                    Ledger ledger = new Ledger(parley, key);
                    for (int i = 0; i < 5; i++) {
                        assertThat(ledger.write().status()).isEqualTo(201);
                    }

                    disk.fill();
                    Response refused = null;
                    for (int i = 0; i < 400 && refused == null; i++) {
                        Response response = ledger.write();
                        if (response.status() != 201) {
                            refused = response;
                        }
                    }
                    assertThat(refused).as("a write refused while the disk is full").isNotNull();
                    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                    assertThat(refused.header("Retry-After")).isNotBlank();
                    assertThat(refused.json().at("/error/message").asText()).contains("disk is full");
                    for (Response whileFull : ledger.writeConcurrently(4, 5)) {
                        assertThat(whileFull.status()).as(whileFull.body()).isIn(201, 503);
                    }

                    disk.free();
                    for (Response after : ledger.writeConcurrently(4, 5)) {
                        assertThat(after.status()).as(after.body()).isEqualTo(201);
                    }
                    ledger.assertEveryAcknowledgedWriteStoredAndNoRefusedOne();
                }
            } finally {
                admin(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                admin(server, "DROP TABLESPACE IF EXISTS " + name);
            }
        }
    }

    private static void admin(String server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(100);
        return true;
    }

    /** Writes with known ids, each to a conversation of its own, and remembers what each was answered. */
    private static final class Ledger {
        private final TestServer server;
        private final String key;
        private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        private final Map<String, String> refused = new ConcurrentHashMap<>();

        Ledger(TestServer server, String key) {
            this.server = server;
            this.key = key;
        }

        Response write() {
            String requestId = UUID.randomUUID().toString();
            String conversationId = UUID.randomUUID().toString();
            Response response = server.post("/v2/bots/requests", key, body(requestId, conversationId));
            (response.status() / 100 == 2 ? acknowledged : refused).put(requestId, conversationId);
            return response;
        }

        List<Response> writeConcurrently(int threads, int each) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Response>> futures = new ArrayList<>();
                for (int i = 0; i < threads * each; i++) {
                    futures.add(pool.submit(this::write));
                }
                List<Response> responses = new ArrayList<>();
                for (Future<Response> future : futures) {
                    responses.add(future.get());
                }
                return responses;
            } finally {
                pool.shutdown();
            }
        }

        void assertEveryAcknowledgedWriteStoredAndNoRefusedOne() {
            assertThat(refused).as("writes refused").isNotEmpty();
            acknowledged.forEach((requestId, conversationId) -> {
                Response stored = server.get("/v2/bots/conversations/" + conversationId, key);
                assertThat(stored.status()).as("acknowledged " + requestId + ": " + stored.body()).isEqualTo(200);
                assertThat(stored.json().at("/botRequests/0/id").asText()).isEqualTo(requestId);
            });
            List<String> storedAfterAnError = new ArrayList<>();
            refused.forEach((requestId, conversationId) -> {
                if (server.get("/v2/bots/conversations/" + conversationId, key).status() != 404) {
                    storedAfterAnError.add(requestId);
                }
                // sent again, it is new: a 201, not the 200 of a replay
                Response retry = server.post("/v2/bots/requests", key, body(requestId, conversationId));
                assertThat(retry.status()).as("retry of " + requestId + ": " + retry.body()).isEqualTo(201);
            });
            assertThat(storedAfterAnError).as("answered with an error, yet stored").isEmpty();
        }

        private static String body(String requestId, String conversationId) {
            return """
                    {"id": "%s", "conversationId": "%s", "source": "api", "question": "still there?",
                     "answer": "%s"}""".formatted(requestId, conversationId, LONG_ANSWER);
        }
    }
}
