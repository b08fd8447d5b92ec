package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.Config;
import dev.parley.testing.ChildServer;
import dev.parley.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 2xx write is durable: {@code serve} is SIGKILLed in the middle of an eight-client write load,
 * restarted on the same store, and every acknowledged exchange is there, in a conversation whose
 * aggregates match its requests.
 */
class KillDuringWritesTest {

    private static final String KEY = "kill-test-bootstrap-key-0123456789";
    private static final int CLIENTS = 8;
    private static final int CYCLES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void everyAcknowledgedWriteSurvivesAKillOfTheServer(TestStores store) throws Exception {
        Config config = store.freshConfig();
        Path log = config.dataDir().resolve("serve.log");
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // request id -> conversation id
        long seed = System.nanoTime();
        Random random = new Random(seed);

        for (int cycle = 0; cycle < CYCLES; cycle++) {
            try (ChildServer server = ChildServer.start(config, KEY, log)) {
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                List<Future<?>> running = new ArrayList<>();
                List<String> conversations = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
                for (int c = 0; c < CLIENTS; c++) {
                    running.add(clients.submit(() -> writeUntilRefused(server.baseUrl(), conversations, acknowledged)));
                }
                Thread.sleep(400 + random.nextInt(800));
                server.kill();
                for (Future<?> client : running) {
                    client.get();
                }
                clients.shutdown();
            }
        }

        try (ChildServer server = ChildServer.start(config, KEY, log)) {
            assertThat(acknowledged).as("seed %d: the load wrote something", seed).isNotEmpty();
            Map<String, JsonNode> conversations = new ConcurrentHashMap<>();
            for (var entry : acknowledged.entrySet()) {
                JsonNode conversation = conversations.computeIfAbsent(entry.getValue(), id -> get(server, id));
                List<String> ids = new ArrayList<>();
                conversation.get("botRequests").forEach(request -> ids.add(request.get("id").asText()));
                assertThat(ids).as("seed %d: acknowledged request %s", seed, entry.getKey()).contains(entry.getKey());
            }
            for (JsonNode conversation : conversations.values()) {
                assertAggregatesMatchRequests(conversation);
            }
        }
    }

    private static void writeUntilRefused(String baseUrl, List<String> conversations, Map<String, String> acknowledged) {
        Random random = new Random();
        while (true) {
            String requestId = UUID.randomUUID().toString();
            String conversation = random.nextBoolean() ? "\"conversationId\": \"" + conversations.get(random.nextInt(2)) + "\","
                    : "";
            String body = """
                    {%s "id": "%s", "source": "api", "question": "q", "answer": "a",
                     "escalation": %s, "categories": ["k%d"]}""".formatted(conversation, requestId,
                    random.nextInt(10) == 0, random.nextInt(5));
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v2/bots/requests"))
                        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    throw new AssertionError("unexpected answer " + response.statusCode() + " " + response.body());
                }
                acknowledged.put(requestId, JSON.readTree(response.body()).get("conversationId").asText());
            } catch (java.io.IOException e) {
                return; // the server is gone: this write was never acknowledged
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static JsonNode get(ChildServer server, String conversationId) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create(server.baseUrl() + "/v2/bots/conversations/" + conversationId))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertAggregatesMatchRequests(JsonNode conversation) {
        boolean escalation = false;
        List<String> categories = new ArrayList<>();
        for (JsonNode request : conversation.get("botRequests")) {
            escalation |= request.get("escalation").asBoolean();
            request.get("categories").forEach(c -> {
                if (!categories.contains(c.asText())) {
                    categories.add(c.asText());
                }
            });
        }
        List<String> stored = new ArrayList<>();
        conversation.get("categories").forEach(c -> stored.add(c.asText()));
        assertThat(conversation.get("escalation").asBoolean()).isEqualTo(escalation);
        assertThat(stored).isEqualTo(categories);
    }
}
