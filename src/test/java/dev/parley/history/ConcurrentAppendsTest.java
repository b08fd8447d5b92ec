package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sixteen writers on one conversation at once leave it with every request and exact aggregates. */
class ConcurrentAppendsTest {

    private static final int THREADS = 16;
    private static final int PER_THREAD = 10;

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void sixteenThreadsAppendingToOneConversationLeaveExactAggregates(TestStores store) throws Exception {
        try (TestServer server = TestServer.start(store)) {
            String key = server.newKey("busy", Scope.READ, Scope.WRITE);
            String conversationId = UUID.randomUUID().toString();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < PER_THREAD; i++) {
                        int n = thread * PER_THREAD + i;
                        var response = server.post("/v2/bots/requests", key, """
                                {"conversationId": "%s", "source": "widget", "question": "q%d", "answer": "%s",
                                 "categories": ["c%d", "shared"], "escalation": %s, "createdAt": %d,
                                 "expectingUserFollowup": %s}""".formatted(conversationId, n,
                                n == 77 ? "see https://kb.example.com" : "plain", n % 7, n == 42, 1_000_000 + n,
                                n == THREADS * PER_THREAD - 1));
                        assertThat(response.status()).as(response.body()).isEqualTo(201);
                        ids.add(response.json().get("id").asText());
                    }
                    return ids;
                }));
            }
            start.countDown();
            Set<String> acknowledged = new HashSet<>();
            for (Future<List<String>> result : results) {
                acknowledged.addAll(result.get());
            }
            pool.shutdown();

            // feedback from many threads too: the newest request with feedback decides
            List<String> sorted = new ArrayList<>(acknowledged);
            ExecutorService feedbackPool = Executors.newFixedThreadPool(THREADS);
            List<Future<Integer>> feedback = new ArrayList<>();
            for (String id : sorted.subList(0, 40)) {
                feedback.add(feedbackPool.submit(() -> server.put("/v2/bots/requests/" + id + "/feedback", key,
                        "{\"feedbackType\": \"thumbs_up\"}").status()));
            }
            for (Future<Integer> status : feedback) {
                assertThat(status.get()).isEqualTo(200);
            }
            feedbackPool.shutdown();

            JsonNode conversation = server.get("/v2/bots/conversations/" + conversationId, key).json();
            JsonNode requests = conversation.get("botRequests");
            assertThat(requests).hasSize(THREADS * PER_THREAD);
            Set<String> stored = new HashSet<>();
            long previous = Long.MIN_VALUE;
            for (JsonNode request : requests) {
                stored.add(request.get("id").asText());
                assertThat(request.get("createdAt").asLong()).isGreaterThanOrEqualTo(previous);
                previous = request.get("createdAt").asLong();
            }
            assertThat(stored).isEqualTo(acknowledged);
            assertThat(conversation.get("escalation").asBoolean()).isTrue();
            assertThat(conversation.get("hasLinks").asBoolean()).isTrue();
            assertThat(conversation.get("expectingUserFollowup").asBoolean()).isTrue();
            assertThat(conversation.get("feedbackType").asText()).isEqualTo("thumbs_up");
            assertThat(conversation.get("updatedAt").asLong()).isGreaterThanOrEqualTo(1_000_000 + THREADS * PER_THREAD - 1);
            List<String> categories = new ArrayList<>();
            conversation.get("categories").forEach(c -> categories.add(c.asText()));
            assertThat(categories).containsExactly(expectedCategoriesInOrder());
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aConversationStartedByConcurrentAppendsBeginsWhenItsFirstRequestDoes(TestStores store) throws Exception {
        try (TestServer server = TestServer.start(store)) {
            String key = server.newKey("racing", Scope.READ, Scope.WRITE);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<String> gaps = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                String conversationId = UUID.randomUUID().toString();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    statuses.add(pool.submit(() -> {
                        start.await();
                        return server.post("/v2/bots/requests", key, """
                                {"conversationId": "%s", "source": "widget", "question": "q", "answer": "a"}"""
                                .formatted(conversationId)).status();
                    }));
                }
                start.countDown();
                for (Future<Integer> status : statuses) {
                    assertThat(status.get()).isEqualTo(201);
                }
                JsonNode conversation = server.get("/v2/bots/conversations/" + conversationId, key).json();
                long createdAt = conversation.get("createdAt").asLong();
                long firstRequest = conversation.at("/botRequests/0/createdAt").asLong();
                if (createdAt != firstRequest) {
                    gaps.add(conversationId + ": conversation " + createdAt + ", first request " + firstRequest);
                }
            }
            pool.shutdown();
            assertThat(gaps).as("conversations whose createdAt is not their first request's").isEmpty();
        }
    }

    /** The union of categories in request order: request n has c(n % 7) and shared. */
    private static String[] expectedCategoriesInOrder() {
        List<String> order = new ArrayList<>();
        for (int n = 0; n < THREADS * PER_THREAD; n++) {
            for (String category : List.of("c" + n % 7, "shared")) {
                if (!order.contains(category)) {
                    order.add(category);
                }
            }
        }
        return order.toArray(String[]::new);
    }
}
