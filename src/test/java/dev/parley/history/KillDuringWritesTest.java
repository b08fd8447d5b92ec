package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.Config;
import dev.parley.store.Database;
import dev.parley.testing.ChildServer;
import dev.parley.testing.TestStores;
import dev.parley.transfer.DemoData;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 2xx write is durable: {@code serve} is SIGKILLed at a random moment of a load of concurrent
 * exchanges, imports and feedback changes, twenty times over, restarted on the same store each
 * time. Afterwards every acknowledged write is there, no conversation is half-written, every
 * conversation's aggregates are what its requests imply, and SQLite's integrity check passes.
 */
class KillDuringWritesTest {

    private static final String KEY = "kill-test-bootstrap-key-0123456789";
    private static final int WRITERS = 6;
    private static final int CYCLES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What the server acknowledged, and so must still hold. */
    static final class Acknowledged {
        final Map<String, String> requests = new ConcurrentHashMap<>(); // request id -> conversation id
        final Map<String, String> feedback = new ConcurrentHashMap<>(); // request id -> feedback type
        final Map<String, Integer> imported = new ConcurrentHashMap<>(); // conversation id -> request count
        final Set<String> feedbackSent = ConcurrentHashMap.newKeySet();
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void everyAcknowledgedWriteSurvivesTwentyKillsOfTheServer(TestStores store) throws Exception {
        Config config = store.freshConfig();
        Path log = config.dataDir().resolve("serve.log");
        Acknowledged acknowledged = new Acknowledged();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        AtomicLong importSeed = new AtomicLong(seed);

        for (int cycle = 0; cycle < CYCLES; cycle++) {
            try (ChildServer server = ChildServer.start(config, KEY, log)) {
                ExecutorService clients = Executors.newFixedThreadPool(WRITERS + 2);
                List<Future<?>> running = new ArrayList<>();
                List<String> conversations = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
                for (int c = 0; c < WRITERS; c++) {
                    running.add(clients.submit(() -> recordUntilRefused(server.baseUrl(), conversations, acknowledged)));
                }
                running.add(clients.submit(() -> importUntilRefused(server.baseUrl(), importSeed, acknowledged)));
                running.add(clients.submit(() -> feedbackUntilRefused(server.baseUrl(), acknowledged)));
                Thread.sleep(300 + random.nextInt(900));
                if (cycle == CYCLES - 1) {
                    // on a slow machine no import may have finished inside the short windows: the last
                    // cycle lets one through, so that the checks below always have imports to check
                    awaitAnImport(acknowledged);
                }
                server.kill();
                for (Future<?> client : running) {
                    client.get();
                }
                clients.shutdown();
            }
        }

        try (ChildServer server = ChildServer.start(config, KEY, log)) {
            assertThat(acknowledged.requests).as("seed %d: exchanges were acknowledged", seed).isNotEmpty();
            assertThat(acknowledged.imported).as("seed %d: imports were acknowledged", seed).isNotEmpty();
            Map<String, JsonNode> everything = new HashMap<>();
            for (String line : get(server, "/v2/bots/conversations/export").lines().toList()) {
                JsonNode conversation = JSON.readTree(line);
                everything.put(conversation.get("id").asText(), conversation);
            }
            Map<String, JsonNode> requests = new HashMap<>();
            for (JsonNode conversation : everything.values()) {
                assertAggregatesMatchRequests(conversation, seed);
                conversation.get("botRequests").forEach(r -> requests.put(r.get("id").asText(), r));
            }
            acknowledged.requests.forEach((requestId, conversationId) -> {
                assertThat(requests).as("seed %d: acknowledged exchange %s", seed, requestId).containsKey(requestId);
                assertThat(everything.get(conversationId).toString()).contains(requestId);
            });
            acknowledged.imported.forEach((conversationId, count) -> {
                assertThat(everything).as("seed %d: imported conversation %s", seed, conversationId)
                        .containsKey(conversationId);
                assertThat(everything.get(conversationId).get("botRequests")).as("not half-written").hasSize(count);
            });
            acknowledged.feedback.forEach((requestId, feedback) ->
                    assertThat(requests.get(requestId).get("feedbackType").asText()).as("seed %d", seed)
                            .isEqualTo(feedback));
        }
        if (store == TestStores.SQLITE) {
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:"
                    + config.dataDir().resolve(Database.SQLITE_FILE));
                 ResultSet rows = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("ok");
            }
        }
    }

    private static void awaitAnImport(Acknowledged acknowledged) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (acknowledged.imported.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static void recordUntilRefused(String baseUrl, List<String> conversations, Acknowledged acknowledged) {
        Random random = new Random();
        while (true) {
            String requestId = UUID.randomUUID().toString();
            String conversation = random.nextBoolean()
                    ? "\"conversationId\": \"" + conversations.get(random.nextInt(2)) + "\"," : "";
            String body = """
                    {%s "id": "%s", "source": "api", "question": "q", "answer": "%s",
                     "escalation": %s, "categories": ["k%d"], "expectingUserFollowup": %s}""".formatted(conversation,
                    requestId, random.nextInt(4) == 0 ? "see https://kb.example.com" : "a", random.nextInt(10) == 0,
                    random.nextInt(5), random.nextBoolean());
            HttpResponse<String> response = send(baseUrl, "/v2/bots/requests", "application/json", body);
            if (response == null) {
                return;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            acknowledged.requests.put(requestId, read(response.body()).get("conversationId").asText());
        }
    }

    private static void importUntilRefused(String baseUrl, AtomicLong seeds, Acknowledged acknowledged) {
        while (true) {
            List<Conversation> batch = new ArrayList<>();
            DemoData.generate(seeds.incrementAndGet(), 20, 20, batch::addAll);
            StringWriter ndjson = new StringWriter();
            try (JsonGenerator out = new JsonFactory().createGenerator(ndjson)) {
                out.setRootValueSeparator(null);
                for (Conversation conversation : batch) {
                    HistoryJson.writeConversation(out, conversation);
                    out.writeRaw('\n');
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            HttpResponse<String> response = send(baseUrl, "/v2/bots/conversations/import", "application/x-ndjson",
                    ndjson.toString());
            if (response == null) {
                return;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            batch.forEach(c -> acknowledged.imported.put(c.id().toString(), c.botRequests().size()));
        }
    }

    /** Sets feedback once on each acknowledged request, so that the last acknowledged value is the truth. */
    private static void feedbackUntilRefused(String baseUrl, Acknowledged acknowledged) {
        Random random = new Random();
        while (true) {
            String target = acknowledged.requests.keySet().stream().filter(id -> !acknowledged.feedbackSent.contains(id))
                    .findAny().orElse(null);
            if (target == null) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
                if (send(baseUrl, "/healthz", null, null) == null) {
                    return;
                }
                continue;
            }
            acknowledged.feedbackSent.add(target);
            String feedback = random.nextBoolean() ? "thumbs_up" : "thumbs_down";
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v2/bots/requests/" + target + "/feedback"))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"feedbackType\": \"" + feedback + "\"}")).build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                acknowledged.feedback.put(target, feedback);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sends a request; null once the server is gone (that request was never acknowledged). */
    private static HttpResponse<String> send(String baseUrl, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(10));
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String get(ChildServer server, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** SPEC §1's aggregates, recomputed here from the requests as stored. */
    private static void assertAggregatesMatchRequests(JsonNode conversation, long seed) {
        boolean escalation = false;
        boolean hasLinks = false;
        String feedback = null;
        boolean expecting = false;
        List<String> categories = new ArrayList<>();
        for (JsonNode request : conversation.get("botRequests")) {
            escalation |= request.get("escalation").asBoolean();
            hasLinks |= request.get("basedOn").size() > 0 || request.get("answer").asText().matches("(?is).*https?://.*");
            if (!request.get("feedbackType").isNull()) {
                feedback = request.get("feedbackType").asText();
            }
            expecting = request.get("expectingUserFollowup").asBoolean();
            request.get("categories").forEach(c -> {
                if (!categories.contains(c.asText())) {
                    categories.add(c.asText());
                }
            });
        }
        List<String> stored = new ArrayList<>();
        conversation.get("categories").forEach(c -> stored.add(c.asText()));
        String what = "seed " + seed + ", conversation " + conversation.get("id").asText();
        assertThat(conversation.get("botRequests").size()).as(what).isPositive();
        assertThat(conversation.get("escalation").asBoolean()).as(what).isEqualTo(escalation);
        assertThat(conversation.get("hasLinks").asBoolean()).as(what).isEqualTo(hasLinks);
        assertThat(conversation.get("feedbackType").isNull() ? null : conversation.get("feedbackType").asText())
                .as(what).isEqualTo(feedback);
        assertThat(conversation.get("expectingUserFollowup").asBoolean()).as(what).isEqualTo(expecting);
        assertThat(stored).as(what).isEqualTo(categories);
    }
}
