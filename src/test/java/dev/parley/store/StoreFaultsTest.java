package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.Config;
import dev.parley.testing.CuttableProxy;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When PostgreSQL goes away, Parley answers 503 with Retry-After within about a second — never a
 * 500, never a hang — says so on /readyz, stays alive on /healthz, and serves again by itself
 * once the database is back. A write that got a 503 left nothing behind. A statement cancelled
 * past its timeout is a 503 too, saying that the store took too long, not that it is gone.
 */
class StoreFaultsTest {

    @Test
    void aDatabaseThatGoesAwayGives503QuicklyAndServiceResumesWhenItReturns() throws Exception {
        Config direct = TestStores.POSTGRESQL.freshConfig();
        URI target = URI.create(direct.databaseUrl().orElseThrow().substring("jdbc:".length()));
        try (CuttableProxy proxy = new CuttableProxy(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort())) {
            String throughProxy = direct.databaseUrl().orElseThrow()
                    .replace(target.getHost() + (target.getPort() < 0 ? "" : ":" + target.getPort()),
                            "127.0.0.1:" + proxy.port());
            Config config = new Config(0, direct.dataDir(), Optional.of(throughProxy), Optional.empty())
                    .withRateLimit(0);
            try (TestServer server = TestServer.start(config)) {
                String key = server.newKey("faults", Scope.READ, Scope.WRITE);
                assertThat(record(server, key, "before").status()).isEqualTo(201);

                proxy.cut();

                long started = System.nanoTime();
                Response write = record(server, key, "during");
                long writeMillis = (System.nanoTime() - started) / 1_000_000;
                assertThat(write.status()).as(write.body()).isEqualTo(503);
                assertThat(write.header("Retry-After")).isEqualTo("1");
                assertThat(write.json().at("/error/code").asText()).isEqualTo("unavailable");
                assertThat(writeMillis).as("ms to the 503").isLessThan(2_500);
                started = System.nanoTime();
                Response read = server.get("/v2/bots/requests/public?source=all", key);
                assertThat(read.status()).isEqualTo(503);
                assertThat((System.nanoTime() - started) / 1_000_000).as("ms to the 503").isLessThan(2_500);
                assertThat(server.get("/readyz", null).status()).isEqualTo(503);
                assertThat(server.get("/healthz", null).status()).isEqualTo(200);

                proxy.mend();

                long deadline = System.nanoTime() + 15_000_000_000L;
                int status;
                do {
                    Thread.sleep(200);
                    status = server.get("/readyz", null).status();
                } while (status != 200 && System.nanoTime() < deadline);
                assertThat(status).as("ready again within 15 s").isEqualTo(200);
                // a pooled write connection broken by the cut may fail one more write (a 503, never
                // committed): the service has resumed when a write succeeds before the deadline
                Response after;
                do {
                    after = record(server, key, "after");
                } while (after.status() == 503 && System.nanoTime() < deadline && sleep());
                assertThat(after.status()).as(after.body()).isEqualTo(201);
                var questions = server.get("/v2/bots/requests/public?source=all", key).json().findValuesAsText("question");
                assertThat(questions).containsExactlyInAnyOrder("before", "after");
            }
        }
    }

    @Test
    void aStatementPastItsTimeoutIsTheStoreTakingTooLongNotTheStoreGone() {
        Config config = TestStores.POSTGRESQL.freshConfig();
        try (Database database = Database.open(config.dataDir(), config.databaseUrl(), config.writeTimeout(),
                config.databasePoolSize(), new SimpleMeterRegistry())) {
            StoreException error = catchThrowableOfType(StoreException.class, () -> database.read(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL statement_timeout = '50ms'");
                    return statement.execute("SELECT pg_sleep(5)");
                }
            }));

            assertThat(error.unavailableBecause()).isEqualTo(StoreException.Unavailable.TIMED_OUT);
            assertThat(error.unavailableBecause().reason).contains("took longer than 60 s");
        }
    }

    private static Response record(TestServer server, String key, String question) {
        return server.post("/v2/bots/requests", key,
                "{\"source\":\"api\",\"question\":\"" + question + "\",\"answer\":\"a\"}");
    }

    private static boolean sleep() {
        try {
            Thread.sleep(200);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
