package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two writes to one conversation at the same moment, through the real server, many rounds: never a
 * 5xx, and the end state is one that the two writes in some order would have left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RacingWritesTest {

    private static final int ROUNDS = 30;
    /** Pairs racing at once in a round: more chances for the two writes to interleave. */
    private static final int PAIRS = 4;

    private ExecutorService pool;

    @BeforeAll
    void startPool() {
        pool = Executors.newFixedThreadPool(2 * PAIRS);
    }

    @AfterAll
    void stopPool() {
        pool.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void feedbackRacingADeleteIsAppliedOrNotFound(TestStores store) throws Exception {
        try (TestServer server = TestServer.start(store)) {
            String key = server.newKey("race", Scope.READ, Scope.WRITE);
            for (int round = 0; round < ROUNDS; round++) {
                List<Callable<Response>> writes = new ArrayList<>();
                List<String> conversations = new ArrayList<>();
                for (int pair = 0; pair < PAIRS; pair++) {
                    String conversation = UUID.randomUUID().toString();
                    String request = seed(server, key, conversation, "u-" + conversation);
                    conversations.add(conversation);
                    writes.add(() -> server.put("/v2/bots/requests/" + request + "/feedback", key,
                            "{\"feedbackType\": \"thumbs_down\"}"));
                    writes.add(() -> server.delete("/v2/bots/conversations/" + conversation, key));
                }
                List<Response> answers = race(writes);
                for (int pair = 0; pair < PAIRS; pair++) {
                    assertThat(answers.get(2 * pair).status()).as(answers.get(2 * pair).toString()).isIn(200, 404);
                    assertThat(answers.get(2 * pair + 1).status()).as(answers.get(2 * pair + 1).toString())
                            .isEqualTo(204);
                    assertThat(server.get("/v2/bots/conversations/" + conversations.get(pair), key).status())
                            .isEqualTo(404);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void anAppendRacingADeleteLeavesTheConversationGoneOrHoldingOnlyTheAppend(TestStores store) throws Exception {
        try (TestServer server = TestServer.start(store)) {
            String key = server.newKey("race", Scope.READ, Scope.WRITE);
            for (int round = 0; round < ROUNDS; round++) {
                List<Callable<Response>> writes = new ArrayList<>();
                List<String> conversations = new ArrayList<>();
                for (int pair = 0; pair < PAIRS; pair++) {
                    String conversation = UUID.randomUUID().toString();
                    seed(server, key, conversation, "u-" + conversation);
                    conversations.add(conversation);
                    writes.add(() -> append(server, key, conversation, "u-" + conversation));
                    writes.add(() -> server.delete("/v2/bots/conversations/" + conversation, key));
                }
                List<Response> answers = race(writes);
                for (int pair = 0; pair < PAIRS; pair++) {
                    Response append = answers.get(2 * pair);
                    assertThat(append.status()).as(append.toString()).isEqualTo(201);
                    assertThat(answers.get(2 * pair + 1).status()).as(answers.get(2 * pair + 1).toString())
                            .isEqualTo(204);
                    assertGoneOrOnly(server, key, conversations.get(pair), append.json().get("id").asText());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void anAppendRacingTheErasureOfItsUserLeavesNothingOrOnlyTheAppend(TestStores store) throws Exception {
        try (TestServer server = TestServer.start(store)) {
            String key = server.newKey("race", Scope.READ, Scope.WRITE);
            for (int round = 0; round < ROUNDS; round++) {
                List<Callable<Response>> writes = new ArrayList<>();
                List<String> conversations = new ArrayList<>();
                for (int pair = 0; pair < PAIRS; pair++) {
                    String conversation = UUID.randomUUID().toString();
                    String user = "u-" + conversation;
                    seed(server, key, conversation, user);
                    seed(server, key, UUID.randomUUID().toString(), user); // erasure takes several conversations
                    conversations.add(conversation);
                    writes.add(() -> append(server, key, conversation, user));
                    writes.add(() -> server.delete("/v2/bots/users/" + user + "/conversations", key));
                }
                List<Response> answers = race(writes);
                for (int pair = 0; pair < PAIRS; pair++) {
                    Response append = answers.get(2 * pair);
                    Response erase = answers.get(2 * pair + 1);
                    assertThat(append.status()).as(append.toString()).isEqualTo(201);
                    assertThat(erase.status()).as(erase.toString()).isEqualTo(200);
                    assertThat(erase.json().get("deleted").asInt()).isBetween(2, 3);
                    assertGoneOrOnly(server, key, conversations.get(pair), append.json().get("id").asText());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void feedbackRacingAnImportThatReplacesItsConversationLeavesTheImportWithOrWithoutTheFeedback(TestStores store)
            throws Exception {
        try (TestServer server = TestServer.start(store)) {
            String key = server.newKey("race", Scope.READ, Scope.WRITE);
            for (int round = 0; round < ROUNDS; round++) {
                List<Callable<Response>> writes = new ArrayList<>();
                List<String> conversations = new ArrayList<>();
                for (int pair = 0; pair < PAIRS; pair++) {
                    String conversation = UUID.randomUUID().toString();
                    String request = seed(server, key, conversation, "u-" + conversation);
                    conversations.add(conversation);
                    JsonNode stored = server.get("/v2/bots/conversations/" + conversation, key).json();
                    ((com.fasterxml.jackson.databind.node.ObjectNode) stored.get("botRequests").get(0))
                            .put("answer", "replaced by the import");
                    writes.add(() -> server.put("/v2/bots/requests/" + request + "/feedback", key,
                            "{\"feedbackType\": \"thumbs_down\"}"));
                    writes.add(() -> TestServer.send(server.request("/v2/bots/conversations/import", key)
                            .header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(stored + "\n"))));
                }
                List<Response> answers = race(writes);
                for (int pair = 0; pair < PAIRS; pair++) {
                    Response feedback = answers.get(2 * pair);
                    assertThat(feedback.status()).as(feedback.toString()).isIn(200, 404);
                    assertThat(answers.get(2 * pair + 1).status()).as(answers.get(2 * pair + 1).toString())
                            .isEqualTo(200);
                    JsonNode after = server.get("/v2/bots/conversations/" + conversations.get(pair), key).json();
                    JsonNode only = after.get("botRequests").get(0);
                    assertThat(only.get("answer").asText()).isEqualTo("replaced by the import");
                    assertThat(after.get("feedbackType")).isEqualTo(only.get("feedbackType"));
                }
            }
        }
    }

    /** Starts the writes together; answers their responses in the same order. */
    private List<Response> race(List<Callable<Response>> writes) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        for (Callable<Response> write : writes) {
            futures.add(pool.submit(() -> {
                start.await();
                return write.call();
            }));
        }
        start.countDown();
        List<Response> answers = new ArrayList<>();
        for (Future<Response> future : futures) {
            answers.add(future.get());
        }
        return answers;
    }

    /** A conversation with three requests and a category each; answers the first request's id. */
    private static String seed(TestServer server, String key, String conversation, String user) {
        String first = null;
        for (int i = 0; i < 3; i++) {
            Response response = server.post("/v2/bots/requests", key, """
                    {"conversationId": "%s", "source": "widget", "userId": "%s", "question": "q%d", "answer": "a",
                     "categories": ["c%d"]}""".formatted(conversation, user, i, i));
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            if (first == null) {
                first = response.json().get("id").asText();
            }
        }
        return first;
    }

    private static Response append(TestServer server, String key, String conversation, String user) {
        return server.post("/v2/bots/requests", key, """
                {"conversationId": "%s", "source": "widget", "userId": "%s", "question": "late", "answer": "b",
                 "categories": ["c0", "late"]}""".formatted(conversation, user));
    }

    /** The conversation is gone, or holds exactly the appended request (the append came after the delete). */
    private static void assertGoneOrOnly(TestServer server, String key, String conversation, String appended) {
        Response after = server.get("/v2/bots/conversations/" + conversation, key);
        assertThat(after.status()).isIn(200, 404);
        if (after.status() == 200) {
            JsonNode requests = after.json().get("botRequests");
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0).get("id").asText()).isEqualTo(appended);
            List<String> categories = new ArrayList<>();
            after.json().get("categories").forEach(c -> categories.add(c.asText()));
            assertThat(categories).containsExactly("c0", "late");
        }
    }
}
