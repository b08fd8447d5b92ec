package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Review and attention (SPEC §11) through a real server, on both stores. Each test has a workspace of its own. */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewApiTest {

    private static final AtomicInteger WORKSPACES = new AtomicInteger();
    private static final String CITED = "[{\"sourceId\": \"kb-1\", \"title\": \"Refunds\"}]";

    @Parameter
    TestStores store;

    TestServer server;
    String workspace;
    String writeKey;
    String readKey;
    String reviewKey;

    @BeforeParameterizedClassInvocation
    void startServer() {
        server = TestServer.start(store);
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        server.close();
    }

    @BeforeEach
    void newWorkspace() {
        workspace = "r" + WORKSPACES.incrementAndGet();
        writeKey = server.newKey(workspace, Scope.READ, Scope.WRITE);
        readKey = server.newKey(workspace, Scope.READ);
        reviewKey = server.newKey(workspace, Scope.REVIEW);
    }

    /** Records a cited exchange in a new conversation, answers the conversation id. */
    String conversation(long createdAt) {
        return record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\", \"basedOn\": " + CITED
                + ", \"createdAt\": " + createdAt + "}").get("conversationId").asText();
    }

    JsonNode record(String json) {
        Response response = server.post("/v2/bots/requests", writeKey, json);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    Response review(String conversationId, String key, String json) {
        return server.put("/v2/bots/conversations/" + conversationId + "/review", key, json);
    }

    JsonNode conversationJson(String id) {
        return server.get("/v2/bots/conversations/" + id, readKey).json();
    }

    /** The ids a list answers for a query, in order. */
    List<String> ids(String query) {
        Response response = server.get("/v2/bots/requests/public?source=all&limit=200" + query, readKey);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().get("conversations").forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }

    static void assertRefused(Response response, int status, String code, String param) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        JsonNode error = response.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        if (param != null) {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
    }

    @Test
    void aReviewIsAnsweredAndCarriedAfterUserIdWithoutChangingUpdatedAt() {
        String id = conversation(1_700_000_000_000L);
        long updatedAt = conversationJson(id).get("updatedAt").asLong();

        Response response = review(id, reviewKey, """
                {"status": "needs_work", "labels": ["wrong-answer", "tone", "wrong-answer"], "note": "cites the old policy"}""");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode answered = response.json();
        assertThat(WriteApiTest.fieldNames(answered)).containsExactly("status", "labels", "note", "reviewedBy",
                "reviewedAt");
        assertThat(answered.get("status").asText()).isEqualTo("needs_work");
        assertThat(answered.get("labels").toString()).isEqualTo("[\"wrong-answer\",\"tone\"]");
        assertThat(answered.get("reviewedBy").asText()).isNotEmpty();
        assertThat(answered.get("reviewedAt").asLong()).isPositive();
        JsonNode conversation = conversationJson(id);
        List<String> fields = WriteApiTest.fieldNames(conversation);
        assertThat(fields.subList(fields.size() - 2, fields.size())).containsExactly("userId", "review");
        assertThat(conversation.get("review")).isEqualTo(answered);
        assertThat(conversation.get("updatedAt").asLong()).isEqualTo(updatedAt);
    }

    @Test
    void aConversationNeverReviewedCarriesANullReview() {
        String id = conversation(1_700_000_000_000L);
        assertThat(conversationJson(id).get("review").isNull()).isTrue();
    }

    @Test
    void aWriteKeyMayReviewAndAReadKeyMayNot() {
        String id = conversation(1_700_000_000_000L);

        assertThat(review(id, writeKey, "{\"status\": \"reviewed\"}").status()).isEqualTo(200);
        assertRefused(review(id, readKey, "{\"status\": \"reviewed\"}"), 403, "insufficient_scope", null);
        assertThat(review(id, readKey, "{\"status\": \"reviewed\"}").json().get("error").get("message").asText())
                .contains("review").contains("write");
        assertRefused(review(id, null, "{\"status\": \"reviewed\"}"), 401, "unauthorized", null);
    }

    @Test
    void aReviewKeyCannotRecordOrReadHistory() {
        assertThat(server.post("/v2/bots/requests", reviewKey, "{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\"}")
                .status()).isEqualTo(403);
        assertThat(server.get("/v2/bots/requests/public?source=all", reviewKey).status()).isEqualTo(403);
    }

    @Test
    void aLaterReviewReplacesTheEarlierOneAndNullClearsItsStatus() {
        String id = conversation(1_700_000_000_000L);
        review(id, reviewKey, "{\"status\": \"reviewed\", \"labels\": [\"good\"], \"note\": \"fine\"}");

        Response second = review(id, writeKey, "{\"status\": null}");

        assertThat(second.status()).isEqualTo(200);
        JsonNode review = conversationJson(id).get("review");
        assertThat(review.get("status").isNull()).isTrue();
        assertThat(review.get("labels").size()).isZero();
        assertThat(review.get("note").isNull()).isTrue();
        assertThat(ids("&label=good")).isEmpty();
    }

    @Test
    void labelsAreAtMostTenOfOneToFiftyCharacters() {
        String id = conversation(1_700_000_000_000L);
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("\"l" + i + "\"");
        }
        assertRefused(review(id, reviewKey, "{\"labels\": [" + String.join(",", eleven) + "]}"), 400, "invalid_body",
                "labels");
        assertThat(review(id, reviewKey, "{\"labels\": [" + String.join(",", eleven.subList(0, 10)) + "]}").status())
                .isEqualTo(200);
        assertRefused(review(id, reviewKey, "{\"labels\": [\"\"]}"), 400, "invalid_body", "labels");
        assertRefused(review(id, reviewKey, "{\"labels\": [\"" + "x".repeat(51) + "\"]}"), 400, "invalid_body", "labels");
        assertThat(review(id, reviewKey, "{\"labels\": [\"" + "x".repeat(50) + "\"]}").status()).isEqualTo(200);
        assertRefused(review(id, reviewKey, "{\"labels\": [1]}"), 400, "invalid_body", "labels");
        assertRefused(review(id, reviewKey, "{\"labels\": \"one\"}"), 400, "invalid_body", "labels");
    }

    @Test
    void aNoteIsAtMostFourKibibytesOfUtf8() {
        String id = conversation(1_700_000_000_000L);
        assertThat(review(id, reviewKey, "{\"note\": \"" + "n".repeat(4096) + "\"}").status()).isEqualTo(200);
        assertRefused(review(id, reviewKey, "{\"note\": \"" + "n".repeat(4097) + "\"}"), 400, "invalid_body", "note");
        // 1366 three-byte characters: 4098 bytes
        assertRefused(review(id, reviewKey, "{\"note\": \"" + "€".repeat(1366) + "\"}"), 400, "invalid_body", "note");
        assertRefused(review(id, reviewKey, "{\"note\": 5}"), 400, "invalid_body", "note");
    }

    @Test
    void aBadStatusAnUnknownFieldAndAnUnknownConversationAreRefused() {
        String id = conversation(1_700_000_000_000L);
        assertRefused(review(id, reviewKey, "{\"status\": \"done\"}"), 400, "invalid_body", "status");
        assertRefused(review(id, reviewKey, "{\"status\": \"reviewed\", \"stars\": 5}"), 400, "invalid_body", "stars");
        assertRefused(review(UUID.randomUUID().toString(), reviewKey, "{\"status\": \"reviewed\"}"), 404, "not_found",
                null);
        assertRefused(review("not-a-uuid", reviewKey, "{\"status\": \"reviewed\"}"), 400, "invalid_parameter", "id");
    }

    @Test
    void anotherWorkspacesConversationCannotBeReviewed() {
        String id = conversation(1_700_000_000_000L);
        String otherKey = server.newKey(workspace + "-other", Scope.REVIEW);
        assertRefused(review(id, otherKey, "{\"status\": \"reviewed\"}"), 404, "not_found", null);
        assertThat(conversationJson(id).get("review").isNull()).isTrue();
    }

    @Test
    void reviewStatusFiltersReviewedNeedsWorkAndUnreviewed() {
        String reviewed = conversation(1_700_000_000_003L);
        String needsWork = conversation(1_700_000_000_002L);
        String withoutStatus = conversation(1_700_000_000_001L);
        String never = conversation(1_700_000_000_000L);
        review(reviewed, reviewKey, "{\"status\": \"reviewed\"}");
        review(needsWork, reviewKey, "{\"status\": \"needs_work\"}");
        review(withoutStatus, reviewKey, "{\"labels\": [\"later\"]}");

        assertThat(ids("&reviewStatus=reviewed")).containsExactly(reviewed);
        assertThat(ids("&reviewStatus=needs_work")).containsExactly(needsWork);
        assertThat(ids("&reviewStatus=UNREVIEWED")).containsExactly(withoutStatus, never);
        assertThat(ids("&reviewStatus=")).hasSize(4);
        assertRefused(server.get("/v2/bots/requests/public?source=all&reviewStatus=done", readKey), 400,
                "invalid_parameter", "reviewStatus");
    }

    @Test
    void labelFiltersOnAnyOfTheLabelsGiven() {
        String tone = conversation(1_700_000_000_002L);
        String wrong = conversation(1_700_000_000_001L);
        String both = conversation(1_700_000_000_000L);
        conversation(1_699_999_999_999L);
        review(tone, reviewKey, "{\"labels\": [\"tone\"]}");
        review(wrong, reviewKey, "{\"labels\": [\"wrong-answer\"]}");
        review(both, reviewKey, "{\"status\": \"reviewed\", \"labels\": [\"tone\", \"wrong-answer\"]}");

        assertThat(ids("&label=tone")).containsExactly(tone, both);
        assertThat(ids("&label=tone,wrong-answer")).containsExactly(tone, wrong, both);
        assertThat(ids("&label=tone&label=nothing")).containsExactly(tone, both);
        assertThat(ids("&label=wrong-answer&reviewStatus=reviewed")).containsExactly(both);
        assertRefused(server.get("/v2/bots/requests/public?source=all&label=tone,", readKey), 400,
                "invalid_parameter", "label");
        assertRefused(server.get("/v2/bots/requests/public?source=all&label=" + "x".repeat(51), readKey), 400,
                "invalid_parameter", "label");
    }

    @Test
    void theStatsAndTheExportTakeTheReviewFilters() {
        String reviewed = conversation(1_700_000_000_001L);
        conversation(1_700_000_000_000L);
        review(reviewed, reviewKey, "{\"status\": \"reviewed\", \"labels\": [\"good\"]}");

        JsonNode stats = server.get("/v2/bots/stats?reviewStatus=reviewed", readKey).json();
        assertThat(stats.get("conversations").asLong()).isEqualTo(1);
        assertThat(server.get("/v2/bots/stats?reviewStatus=unreviewed", readKey).json().get("conversations").asLong())
                .isEqualTo(1);
        assertThat(server.get("/v2/bots/stats?label=good", readKey).json().get("botRequests").asLong()).isEqualTo(1);

        String ndjson = server.get("/v2/bots/conversations/export?label=good", readKey).body();
        assertThat(ndjson.lines().toList()).hasSize(1);
        assertThat(ndjson).contains(reviewed).contains("\"review\":{\"status\":\"reviewed\",\"labels\":[\"good\"]");
    }

    @Test
    void theCsvExportAppendsTheReviewColumns() {
        String id = conversation(1_700_000_000_000L);
        review(id, reviewKey, "{\"status\": \"needs_work\", \"labels\": [\"tone\", \"facts\"], \"note\": \"=too curt\"}");

        Response csv = server.get("/v2/bots/conversations/export?format=csv", readKey);

        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).endsWith(",reasoning,sources,reviewStatus,reviewLabels,reviewNote,reviewedBy,reviewedAt");
        assertThat(lines.get(1)).contains(",needs_work,tone;facts,\"'=too curt\",key_").containsPattern(",\\d{4}-\\d\\d-\\d\\dT");
    }

    @Test
    void anExportedReviewIsImportedAsGiven() {
        String id = conversation(1_700_000_000_000L);
        review(id, reviewKey, "{\"status\": \"reviewed\", \"labels\": [\"good\"], \"note\": \"ok\"}");
        JsonNode before = conversationJson(id);
        String ndjson = server.get("/v2/bots/conversations/export", readKey).body();
        String otherKey = server.newKey(workspace + "-copy", Scope.READ, Scope.WRITE);

        Response imported = TestServer.send(server.request("/v2/bots/conversations/import", otherKey)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson)));

        assertThat(imported.status()).as(imported.toString()).isBetween(200, 204);
        JsonNode after = server.get("/v2/bots/conversations/" + id, otherKey).json();
        assertThat(after).isEqualTo(before);
        assertThat(server.get("/v2/bots/requests/public?source=all&label=good", otherKey).json().get("conversations")
                .size()).isEqualTo(1);
    }

    @Test
    void deletingAConversationDeletesItsReview() {
        String id = conversation(1_700_000_000_000L);
        review(id, reviewKey, "{\"status\": \"reviewed\", \"labels\": [\"good\"]}");

        assertThat(server.delete("/v2/bots/conversations/" + id, writeKey).status()).isEqualTo(204);

        assertThat(ids("&label=good")).isEmpty();
        assertThat(ids("&reviewStatus=reviewed")).isEmpty();
    }

    @Test
    void eachBotRequestSaysWhetherItIsUncitedRightAfterItsId() {
        String conversationId = record("""
                {"source": "api", "question": "q1", "answer": "no idea", "createdAt": 1700000000000}""")
                .get("conversationId").asText();
        JsonNode linked = record("{\"source\": \"api\", \"conversationId\": \"" + conversationId + "\", \"question\": \"q2\","
                + " \"answer\": \"see HTTPS://help.example.com/a\", \"createdAt\": 1700000000001}");
        record("{\"source\": \"api\", \"conversationId\": \"" + conversationId + "\", \"question\": \"q3\","
                + " \"answer\": \"per the article\", \"basedOn\": " + CITED + ", \"createdAt\": 1700000000002}");

        assertThat(linked.get("uncited").asBoolean()).isFalse();
        JsonNode requests = conversationJson(conversationId).get("botRequests");
        List<String> fields = WriteApiTest.fieldNames(requests.get(0));
        assertThat(fields.subList(fields.size() - 2, fields.size())).containsExactly("id", "uncited");
        assertThat(requests.get(0).get("uncited").asBoolean()).isTrue();
        assertThat(requests.get(1).get("uncited").asBoolean()).isFalse();
        assertThat(requests.get(2).get("uncited").asBoolean()).isFalse();
        // the conversation has links, and still an uncited answer
        assertThat(conversationJson(conversationId).get("hasLinks").asBoolean()).isTrue();
    }

    @Test
    void attentionKeepsConversationsWithAnEscalatedThumbsDownOrUncitedRequest() {
        String fine = conversation(1_700_000_000_004L);
        String escalated = record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\", \"basedOn\": " + CITED
                + ", \"escalation\": true, \"createdAt\": 1700000000003}").get("conversationId").asText();
        JsonNode disliked = record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\", \"basedOn\": " + CITED
                + ", \"createdAt\": 1700000000002}");
        String uncited = record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\","
                + " \"createdAt\": 1700000000001}").get("conversationId").asText();
        String linkedButUncited = record("""
                {"source": "api", "question": "q", "answer": "https://help.example.com", "createdAt": 1700000000000}""")
                .get("conversationId").asText();
        record("{\"source\": \"api\", \"conversationId\": \"" + linkedButUncited + "\", \"question\": \"q2\","
                + " \"answer\": \"nothing\", \"createdAt\": 1700000000005}");
        String dislikedId = disliked.get("conversationId").asText();
        String requestId = disliked.get("id").asText();
        assertThat(ids("&attention=true")).containsExactly(escalated, uncited, linkedButUncited);

        server.put("/v2/bots/requests/" + requestId + "/feedback", writeKey, "{\"feedbackType\": \"thumbs_down\"}");

        assertThat(ids("&attention=TRUE")).containsExactly(escalated, dislikedId, uncited, linkedButUncited);
        assertThat(ids("&attention=false")).containsExactly(fine);
        assertThat(ids("&attention=true&hasLinks=true")).containsExactly(escalated, dislikedId, linkedButUncited);
        server.put("/v2/bots/requests/" + requestId + "/feedback", writeKey, "{\"feedbackType\": null}");
        assertThat(ids("&attention=true")).doesNotContain(dislikedId);
        assertRefused(server.get("/v2/bots/requests/public?source=all&attention=maybe", readKey), 400,
                "invalid_parameter", "attention");
        assertThat(server.get("/v2/bots/stats?attention=true", readKey).json().get("conversations").asLong())
                .isEqualTo(3);
    }

    @Test
    void anImportedConversationNeedsAttentionByItsRequestsWhateverItsAggregatesSay() {
        String line = """
                {"id": "%s", "source": "api", "escalation": false, "hasLinks": true, "createdAt": 1700000000000,
                 "botRequests": [{"question": "q", "answer": "a", "createdAt": 1700000000000, "uncited": false}]}"""
                .formatted(UUID.randomUUID()).replace("\n", " ");
        Response imported = TestServer.send(server.request("/v2/bots/conversations/import", writeKey)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(line + "\n")));
        assertThat(imported.status()).as(imported.toString()).isBetween(200, 204);

        assertThat(ids("&attention=true")).hasSize(1);
        Set<Boolean> uncited = new TreeSet<>();
        server.get("/v2/bots/conversations/export", readKey).json().get("botRequests")
                .forEach(r -> uncited.add(r.get("uncited").asBoolean()));
        assertThat(uncited).containsExactly(true);
    }
}
