package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.testing.ChildServer;
import dev.parley.testing.ParleyJar;
import dev.parley.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The admin CLI on the SQLite store of a running {@code serve} that clients keep writing to. */
class CliBesideServeIT {

    private static final String KEY = "cli-beside-serve-key-0123456789";
    private static final int WRITERS = 8;

    @Test
    void everyWritingCommandWaitsItsTurnAndTheServersWritersSeeNoFailure() throws Exception {
        Config config = TestStores.SQLITE.freshConfig();
        Map<String, String> store = Map.of("PARLEY_DATA_DIR", config.dataDir().toString());
        Path history = config.dataDir().resolve("history.ndjson");
        Files.writeString(history, """
                {"id":"7d1c2f4e-8a2b-4c1d-9e3f-0a1b2c3d4e5f","source":"api","createdAt":1700000000000,"botRequests":[{"question":"q1","answer":"a1","createdAt":1700000000000}]}
                {"id":"7d1c2f4e-8a2b-4c1d-9e3f-0a1b2c3d4e60","source":"api","createdAt":1700000000000,"botRequests":[{"question":"q2","answer":"a2","createdAt":1700000000000}]}
                """);
        ConcurrentMap<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        List<ParleyJar.Result> runs = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(WRITERS);
        try (ChildServer server = ChildServer.startJar(config, KEY, config.dataDir().resolve("serve.log"), Map.of())) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                load.add(clients.submit(() -> {
                    while (!stop.get()) {
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                            URI.create(server.baseUrl() + "/v2/bots/requests"))
                                    .timeout(Duration.ofSeconds(60))
                                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                            if (response.statusCode() >= 500) {
                                failures.add(response.statusCode() + " " + response.body());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(1_000);

            ParleyJar.Result created = ParleyJar.run(store, "keys", "create", "--workspace", "ops", "--scopes", "read");
            runs.add(created);
            String id = ParleyJar.run(store, "keys", "list", "--workspace", "ops").out().split("\t")[0];
            runs.add(ParleyJar.run(store, "keys", "revoke", id));
            runs.add(ParleyJar.run(store, "import", history.toString(), "--workspace", "imported"));
            runs.add(ParleyJar.run(store, "demo-data", "--conversations", "3000", "--workspace", "demo"));
            runs.add(ParleyJar.run(store, "keys", "create", "--workspace", "ops", "--scopes", "write"));

            stop.set(true);
            for (Future<?> client : load) {
                client.get();
            }
        } finally {
            stop.set(true);
            clients.shutdownNow();
        }

        assertThat(runs).allSatisfy(run -> assertThat(run.exitCode()).as(run.err()).isZero());
        assertThat(failures).isEmpty();
        assertThat(statuses).containsOnlyKeys(201);
        assertThat(statuses.get(201).get()).isPositive();
    }
}
