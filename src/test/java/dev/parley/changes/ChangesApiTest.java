package dev.parley.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.history.FeedPosition;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code GET /v2/bots/conversations/changes} (SPEC §8) through a real server, on both stores. */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangesApiTest {

    private static final AtomicInteger WORKSPACES = new AtomicInteger();
    private static final String CHANGES = "/v2/bots/conversations/changes";

    @Parameter
    TestStores store;

    TestServer server;
    String workspace;
    String key;

    @BeforeParameterizedClassInvocation
    void startServer() {
        server = TestServer.start(store.freshConfig().withRateLimit(0).withCapacity(2, 0));
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        server.close();
    }

    @BeforeEach
    void newWorkspace() {
        workspace = "feed" + WORKSPACES.incrementAndGet();
        key = server.newKey(workspace, Scope.READ, Scope.WRITE);
    }

    @Test
    void theFeedListsEachChangedConversationOnceAtItsLatestChangeAndDeletionsAsTombstones() {
        JsonNode first = record("{\"source\": \"api\", \"question\": \"q1\", \"answer\": \"a1\"}");
        String kept = first.get("conversationId").asText();
        record("{\"source\": \"api\", \"question\": \"q2\", \"answer\": \"a2\", \"conversationId\": \"" + kept + "\"}");
        String deleted = record("{\"source\": \"api\", \"question\": \"q3\", \"answer\": \"a3\"}")
                .get("conversationId").asText();
        assertThat(server.put("/v2/bots/requests/" + first.get("id").asText() + "/feedback", key,
                "{\"feedbackType\": \"thumbs_up\"}").status()).isEqualTo(200);
        assertThat(server.delete("/v2/bots/conversations/" + deleted, key).status()).isEqualTo(204);

        JsonNode page = changes("").json();

        assertThat(page.get("changes")).hasSize(2);
        JsonNode upsert = page.get("changes").get(0);
        assertThat(upsert.get("type").asText()).isEqualTo("upsert");
        assertThat(upsert.get("conversationId").asText()).isEqualTo(kept);
        assertThat(upsert.get("conversation")).isEqualTo(server.get("/v2/bots/conversations/" + kept, key).json());
        assertThat(upsert.get("conversation").get("botRequests")).hasSize(2);
        assertThat(upsert.get("conversation").get("feedbackType").asText()).isEqualTo("thumbs_up");
        JsonNode delete = page.get("changes").get(1);
        assertThat(delete.get("type").asText()).isEqualTo("delete");
        assertThat(delete.get("conversationId").asText()).isEqualTo(deleted);
        assertThat(delete.get("conversation").isNull()).isTrue();
        assertThat(delete.get("changedAt").asLong()).isPositive();
        assertThat(page.get("hasMore").asBoolean()).isFalse();
        List<String> names = new ArrayList<>();
        page.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("changes", "nextCursor", "hasMore");
    }

    @Test
    void pagesFollowNextCursorWithoutRepeatsAndANewChangeComesAfterTheLastCursor() {
        for (int i = 0; i < 5; i++) {
            record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\"}");
        }
        JsonNode firstPage = changes("?limit=3").json();
        assertThat(firstPage.get("changes")).hasSize(3);
        assertThat(firstPage.get("hasMore").asBoolean()).isTrue();
        JsonNode secondPage = changes("?limit=3&cursor=" + encoded(firstPage)).json();
        assertThat(secondPage.get("changes")).hasSize(2);
        assertThat(secondPage.get("hasMore").asBoolean()).isFalse();
        JsonNode empty = changes("?cursor=" + encoded(secondPage)).json();
        assertThat(empty.get("changes")).isEmpty();
        assertThat(empty.get("nextCursor").asText()).isNotEmpty();

        String later = record("{\"source\": \"api\", \"question\": \"later\", \"answer\": \"a\"}")
                .get("conversationId").asText();

        JsonNode next = changes("?cursor=" + encoded(empty)).json();
        assertThat(next.get("changes")).hasSize(1);
        assertThat(next.get("changes").get(0).get("conversationId").asText()).isEqualTo(later);
    }

    @Test
    void aWaitingRequestIsAnsweredWithin100MillisecondsOfTheCommitThatEndsTheWait() throws Exception {
        String[] cursor = {encoded(changes("").json())};
        List<Long> delays = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long[] answeredAt = new long[1];
            CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> {
                Response response = changes("?wait=20&cursor=" + cursor[0]);
                answeredAt[0] = System.nanoTime();
                return response;
            });
            Thread.sleep(500);
            assertThat(waiting).isNotDone();
            long committed = System.nanoTime();
            String id = record("{\"source\": \"api\", \"question\": \"now\", \"answer\": \"a\"}")
                    .get("conversationId").asText();
            long acknowledged = System.nanoTime();
            Response response = waiting.get();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().get("changes").get(0).get("conversationId").asText()).isEqualTo(id);
            // the commit happened between sending the write and its answer
            delays.add(Math.max(0, answeredAt[0] - acknowledged) / 1_000_000);
            assertThat((answeredAt[0] - committed) / 1_000_000).isLessThan(2_000);
            cursor[0] = encoded(response.json());
        }
        System.out.println(store + ": long polls answered " + delays + " ms after the write was acknowledged");
        assertThat(delays.stream().sorted().toList().get(1)).isLessThan(100);
    }

    @Test
    void withNothingNewAWaitEndsWithAnEmptyPageAtTheSamePlace() {
        JsonNode start = changes("").json();
        long begun = System.nanoTime();
        JsonNode waited = changes("?wait=1&cursor=" + encoded(start)).json();
        assertThat(System.nanoTime() - begun).isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
        assertThat(waited.get("changes")).isEmpty();
        assertThat(waited.get("hasMore").asBoolean()).isFalse();
        assertThat(position(waited)).isEqualTo(position(start));
    }

    @Test
    void aChangeInAnotherWorkspaceDoesNotEndTheWait() throws Exception {
        String other = server.newKey(workspace + "-other", Scope.READ, Scope.WRITE);
        String cursor = encoded(changes("").json());
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> changes("?wait=2&cursor=" + cursor));
        Thread.sleep(300);
        server.post("/v2/bots/requests", other, "{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\"}");
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        assertThat(waiting.get().json().get("changes")).isEmpty();
    }

    @Test
    void aMalformedAlteredOrForeignCursorIsA400InvalidCursor() {
        record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\"}");
        String cursor = changes("").json().get("nextCursor").asText();
        String altered = cursor.substring(0, 10) + (cursor.charAt(10) == 'A' ? 'B' : 'A') + cursor.substring(11);
        String foreign = server.newKey(workspace + "-foreign", Scope.READ);

        for (String bad : List.of("not-a-cursor", "%ZZ", altered, cursor.substring(1), "AAAA")) {
            assertInvalidCursor(server.get(CHANGES + "?cursor=" + URLEncoder.encode(bad, StandardCharsets.UTF_8), key));
        }
        assertInvalidCursor(server.get(CHANGES + "?cursor=" + cursor, foreign));
    }

    private static void assertInvalidCursor(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode error = response.json().get("error");
        assertThat(error.get("code").asText()).isIn("invalid_cursor", "invalid_parameter");
        assertThat(error.get("param").asText()).isEqualTo("cursor");
        assertThat(error.get("message").asText()).doesNotContain("workspace ").doesNotContainIgnoringCase("exception");
    }

    @Test
    void aCursorOlderThanTheTombstoneDaysIsA410CursorExpired() {
        long workspaceId = server.parley().keys().ensureWorkspace(new WorkspaceName(workspace));
        long days = 31;
        String old = new ChangesCursor(workspaceId, FeedPosition.START,
                System.currentTimeMillis() - Duration.ofDays(days).toMillis()).encode();
        String recent = new ChangesCursor(workspaceId, FeedPosition.START,
                System.currentTimeMillis() - Duration.ofDays(29).toMillis()).encode();

        Response expired = changes("?cursor=" + old);
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.json().get("error").get("code").asText()).isEqualTo("cursor_expired");
        assertThat(expired.json().get("error").get("message").asText()).contains("export");
        assertThat(changes("?cursor=" + recent).status()).isEqualTo(200);
    }

    @Test
    void tombstonesOlderThanTheTombstoneDaysArePurged() {
        String deleted = record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\"}")
                .get("conversationId").asText();
        assertThat(server.delete("/v2/bots/conversations/" + deleted, key).status()).isEqualTo(204);
        assertThat(changes("").json().get("changes")).hasSize(1);

        server.parley().changes().feed().purgeTombstones(System.currentTimeMillis() - Duration.ofDays(1).toMillis());
        assertThat(changes("").json().get("changes")).as("a day-old deletion is kept").hasSize(1);
        server.parley().changes().feed().purgeTombstones(System.currentTimeMillis() + 1);

        assertThat(changes("").json().get("changes")).isEmpty();
    }

    @Test
    void limitAndWaitOutsideTheirRangesAre400sNamingThem() {
        for (String query : List.of("?limit=0", "?limit=501", "?limit=x", "?wait=31", "?wait=-1", "?wait=1.5")) {
            Response response = changes(query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.json().get("error").get("param").asText())
                    .isEqualTo(query.substring(1, query.indexOf('=')));
        }
        assertThat(server.get(CHANGES, server.newKey(workspace + "-w", Scope.WRITE)).status()).isEqualTo(403);
    }

    @Test
    void everyExportCarriesAChangesCursorAfterWhichOnlyLaterChangesAreListed() {
        record("{\"source\": \"api\", \"question\": \"before\", \"answer\": \"a\"}");
        Response ndjson = server.get("/v2/bots/conversations/export", key);
        Response csv = server.get("/v2/bots/conversations/export?format=csv", key);
        Response head = TestServer.send(server.request("/v2/bots/conversations/export", key)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        for (Response export : List.of(ndjson, csv, head)) {
            assertThat(export.status()).isEqualTo(200);
            assertThat(export.header("Parley-Changes-Cursor")).isNotBlank();
        }
        String after = record("{\"source\": \"api\", \"question\": \"after\", \"answer\": \"a\"}")
                .get("conversationId").asText();

        JsonNode page = changes("?cursor=" + ndjson.header("Parley-Changes-Cursor")).json();

        assertThat(page.get("changes")).hasSize(1);
        assertThat(page.get("changes").get(0).get("conversationId").asText()).isEqualTo(after);
    }

    @Test
    void waitingRequestsTakeNoneOfTheCapacityOfShortRequestsAndAreBoundedPerKey() throws Exception {
        // this server runs 2 requests at once and queues none
        String cursor = encoded(changes("").json());
        List<CompletableFuture<Response>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(CompletableFuture.supplyAsync(() -> changes("?wait=3&cursor=" + cursor)));
        }
        Thread.sleep(700);

        assertThat(server.get("/v2/bots/requests/public?source=all", key).status()).isEqualTo(200);
        Response fifth = changes("?wait=3&cursor=" + cursor);
        assertThat(fifth.status()).isEqualTo(429);
        assertThat(fifth.header("Retry-After")).isNotBlank();
        for (CompletableFuture<Response> poll : waiting) {
            assertThat(poll.get().status()).isEqualTo(200);
        }
    }

    private JsonNode record(String json) {
        Response response = server.post("/v2/bots/requests", key, json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private Response changes(String query) {
        return server.get(CHANGES + query, key);
    }

    private static String encoded(JsonNode page) {
        return URLEncoder.encode(page.get("nextCursor").asText(), StandardCharsets.UTF_8);
    }

    private FeedPosition position(JsonNode page) {
        long workspaceId = server.parley().keys().ensureWorkspace(new WorkspaceName(workspace));
        return ChangesCursor.decode(page.get("nextCursor").asText(), workspaceId, System.currentTimeMillis(),
                Duration.ofDays(30)).position();
    }
}
