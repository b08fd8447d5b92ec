package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code GET /v2/bots/insights/failing-questions} (SPEC §11) through a real server, on both stores. */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailingQuestionsApiTest {

    private static final AtomicInteger WORKSPACES = new AtomicInteger();
    private static final String CITED = "[{\"sourceId\": \"kb-1\", \"title\": \"Passwords\"}]";
    private static final long DAY = 86_400_000L;

    @Parameter
    TestStores store;

    TestServer server;
    String key;
    String readKey;
    long now;

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
        String workspace = "f" + WORKSPACES.incrementAndGet();
        key = server.newKey(workspace, Scope.READ, Scope.WRITE);
        readKey = server.newKey(workspace, Scope.READ);
        now = System.currentTimeMillis();
    }

    /** Records one exchange in a conversation of its own; answers the stored request. */
    JsonNode ask(String question, String extra, long createdAt) {
        Response response = server.post("/v2/bots/requests", key, "{\"source\": \"widget\", \"question\": \""
                + question + "\", \"answer\": \"an answer\"" + extra + ", \"createdAt\": " + createdAt + "}");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    JsonNode insight(String query) {
        Response response = server.get("/v2/bots/insights/failing-questions" + query, readKey);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    static List<String> questions(JsonNode answer) {
        List<String> questions = new ArrayList<>();
        answer.get("groups").forEach(group -> questions.add(group.get("question").asText()));
        return questions;
    }

    @Test
    void failingRequestsGroupByNearDuplicateQuestionMostFailingFirst() {
        ask("How do I reset my password?", "", now - 5 * DAY);
        ask("how can i reset my password", ", \"escalation\": true", now - 4 * DAY);
        String latest = ask("How do I reset my password?", ", \"categories\": [\"account\"]", now - 3 * DAY)
                .get("conversationId").asText();
        ask("HOW DO I RESET MY PASSWORD??", ", \"basedOn\": " + CITED, now - 2 * DAY);
        ask("Where is my order #4521?", ", \"escalation\": true, \"basedOn\": " + CITED, now - DAY);
        ask("Where is my order #77?", ", \"basedOn\": " + CITED, now - DAY);

        JsonNode answer = insight("");

        assertThat(WriteApiTest.fieldNames(answer)).containsExactly("groups", "failingRequests", "requests");
        assertThat(answer.get("requests").asLong()).isEqualTo(6);
        assertThat(answer.get("failingRequests").asLong()).isEqualTo(4);
        assertThat(questions(answer)).containsExactly("How do I reset my password?", "Where is my order #4521?");
        JsonNode passwords = answer.get("groups").get(0);
        assertThat(WriteApiTest.fieldNames(passwords)).containsExactly("question", "failing", "escalated",
                "thumbsDown", "uncited", "conversations", "topCategories", "sampleConversationIds");
        assertThat(passwords.get("failing").asLong()).isEqualTo(3);
        assertThat(passwords.get("escalated").asLong()).isEqualTo(1);
        assertThat(passwords.get("uncited").asLong()).isEqualTo(3);
        assertThat(passwords.get("thumbsDown").asLong()).isZero();
        assertThat(passwords.get("conversations").asLong()).isEqualTo(3);
        assertThat(passwords.get("topCategories").toString()).isEqualTo("[{\"category\":\"account\",\"conversations\":1}]");
        assertThat(passwords.get("sampleConversationIds").get(0).asText()).isEqualTo(latest);
        assertThat(passwords.get("sampleConversationIds").size()).isEqualTo(3);
    }

    @Test
    void aThumbsDownMakesAnAnswerFailing() {
        JsonNode cited = ask("Can I pay by cheque?", ", \"basedOn\": " + CITED, now - DAY);
        assertThat(insight("").get("groups").size()).isZero();

        server.put("/v2/bots/requests/" + cited.get("id").asText() + "/feedback", key,
                "{\"feedbackType\": \"thumbs_down\"}");

        JsonNode group = insight("").get("groups").get(0);
        assertThat(group.get("question").asText()).isEqualTo("Can I pay by cheque?");
        assertThat(group.get("thumbsDown").asLong()).isEqualTo(1);
        assertThat(group.get("uncited").asLong()).isZero();
    }

    @Test
    void theWindowIsTheLastThirtyDaysUnlessGiven() {
        ask("An old question", "", now - 40 * DAY);
        ask("A new question", "", now - DAY);

        assertThat(questions(insight(""))).containsExactly("A new question");
        assertThat(questions(insight("?startEpoch=" + (now - 50 * DAY)))).containsExactly("A new question",
                "An old question");
        assertThat(questions(insight("?endEpoch=" + (now - 35 * DAY)))).containsExactly("An old question");
    }

    @Test
    void theHistoryFiltersNarrowTheRequestsCounted() {
        ask("Where is my parcel?", ", \"categories\": [\"shipping\"]", now - DAY);
        ask("Where is my parcel", ", \"categories\": [\"billing\"]", now - DAY);
        ask("Refund please", ", \"basedOn\": " + CITED + ", \"categories\": [\"shipping\"]", now - DAY);

        JsonNode shipping = insight("?category=shipping");
        assertThat(shipping.get("requests").asLong()).isEqualTo(2);
        assertThat(shipping.get("failingRequests").asLong()).isEqualTo(1);
        assertThat(shipping.get("groups").get(0).get("failing").asLong()).isEqualTo(1);
        assertThat(insight("?source=zendesk").get("requests").asLong()).isZero();
        assertThat(insight("?attention=false").get("failingRequests").asLong()).isZero();
        assertThat(insight("?attention=false").get("requests").asLong()).isEqualTo(1);
    }

    @Test
    void tiesAreOrderedByQuestionAndTheLimitCuts() {
        ask("Bananas come in bunches?", "", now - DAY);
        ask("Apples keep for weeks?", "", now - DAY);
        ask("Cherries grow on trees?", "", now - DAY);

        assertThat(questions(insight(""))).containsExactly("Apples keep for weeks?", "Bananas come in bunches?",
                "Cherries grow on trees?");
        assertThat(questions(insight("?limit=1"))).containsExactly("Apples keep for weeks?");
    }

    @Test
    void theMostFrequentWordingNamesTheGroupTiesTheEarliest() {
        ask("where is my order", "", now - 3 * DAY);
        ask("Where is my order?", "", now - 2 * DAY);
        ask("Where is my order?", "", now - DAY);
        ask("WHERE IS MY ORDER", "", now - 4 * DAY);
        ask("Where is my order??", "", now - 5 * DAY);
        assertThat(questions(insight(""))).containsExactly("Where is my order?");
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        for (String query : List.of("?limit=0", "?limit=101", "?limit=x")) {
            Response response = server.get("/v2/bots/insights/failing-questions" + query, readKey);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().get("error").get("param").asText()).isEqualTo("limit");
        }
        Response source = server.get("/v2/bots/insights/failing-questions?source=fax", readKey);
        assertThat(source.json().get("error").get("param").asText()).isEqualTo("source");
        assertThat(server.get("/v2/bots/insights/failing-questions", null).status()).isEqualTo(401);
        String reviewOnly = server.newKey("f-review-" + WORKSPACES.incrementAndGet(), Scope.REVIEW);
        assertThat(server.get("/v2/bots/insights/failing-questions", reviewOnly).status()).isEqualTo(403);
    }
}
