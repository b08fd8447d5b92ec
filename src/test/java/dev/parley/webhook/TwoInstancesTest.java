package dev.parley.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.testing.WebhookReceiver;
import dev.parley.workspace.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one PostgreSQL, each with its dispatcher: every event is delivered, and none
 * twice — the two never claim the same delivery for one attempt.
 */
class TwoInstancesTest {

    private static final int EXCHANGES = 300;

    @Test
    void twoDispatchersOnOnePostgresDeliverEveryEventExactlyOnce() throws Exception {
        Config config = TestStores.POSTGRESQL.freshConfig().withWebhookAllowPrivate(true);
        try (TestServer first = TestServer.start(config); TestServer second = TestServer.start(config);
             WebhookReceiver receiver = WebhookReceiver.accepting();
             WebhookReceiver other = WebhookReceiver.accepting()) {
            String key = first.newKey("shared", Scope.ADMIN, Scope.WRITE);
            assertThat(first.post("/v2/bots/webhooks", key, "{\"url\":\"" + receiver.url() + "\"}").status())
                    .isEqualTo(201);
            assertThat(second.post("/v2/bots/webhooks", key, "{\"url\":\"" + other.url() + "\"}").status())
                    .isEqualTo(201);
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<Future<Integer>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < EXCHANGES; i++) {
                TestServer server = i % 2 == 0 ? first : second;
                writes.add(writers.submit(() -> server.post("/v2/bots/requests", key,
                        "{\"source\":\"api\",\"question\":\"Q\",\"answer\":\"A\"}").status()));
            }
            for (Future<Integer> write : writes) {
                assertThat(write.get()).isEqualTo(201);
            }
            writers.shutdown();
            for (WebhookReceiver endpoint : List.of(receiver, other)) {
                List<WebhookReceiver.Received> received = endpoint.await(EXCHANGES, Duration.ofSeconds(60));
                Thread.sleep(1_000); // a second delivery of any event would arrive by now
                received = endpoint.received();
                Map<String, Long> perEvent = received.stream()
                        .collect(Collectors.groupingBy(WebhookReceiver.Received::id, Collectors.counting()));
                assertThat(perEvent).hasSize(EXCHANGES);
                assertThat(perEvent.values()).as("deliveries per event").allMatch(count -> count == 1);
            }
            // both dispatchers took part
            assertThat(delivered(first) + delivered(second)).isEqualTo(2.0 * EXCHANGES);
            assertThat(delivered(first)).isPositive();
            assertThat(delivered(second)).isPositive();
        }
    }

    /** What this instance's dispatcher delivered, from its /metrics. */
    private static double delivered(TestServer server) {
        String metrics = server.get("/metrics", null).body();
        return metrics.lines().filter(line -> line.startsWith("parley_webhook_deliveries_total{outcome=\"delivered\"}"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
