package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.util.ArrayList;
import java.util.List;
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

/** The write API of SPEC §4 through a real server, on both stores. Each test has a workspace of its own. */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteApiTest {

    private static final AtomicInteger WORKSPACES = new AtomicInteger();

    @Parameter
    TestStores store;

    TestServer server;
    String key;

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
        key = server.newKey("w" + WORKSPACES.incrementAndGet(), Scope.READ, Scope.WRITE);
    }

    Response record(String json) {
        return server.post("/v2/bots/requests", key, json);
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void recordingAnExchangeAnswers201WithTheStoredRequestAndItsConversation() {
        Response response = record("""
                {"source": "widget", "question": "Hello", "answer": "Hello, how can I help you?",
                 "categories": ["fini-other"], "createdAt": 1740407178963}""");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Content-Type")).isEqualToIgnoringWhitespace("application/json;charset=utf-8");
        JsonNode body = response.json();
        assertThat(fieldNames(body)).containsExactly("question", "answer", "categories", "escalation", "reasoning",
                "feedbackType", "expectingUserFollowup", "createdAt", "basedOn", "id", "uncited", "conversationId");
        assertThat(body.get("question").asText()).isEqualTo("Hello");
        assertThat(body.get("createdAt").asLong()).isEqualTo(1740407178963L);
        assertThat(body.get("reasoning").isNull()).isTrue();
        assertThat(body.get("basedOn").isArray()).isTrue();
    }

    @Test
    void aConversationReadsBackInTheReferenceShape() {
        String conversationId = record("""
                {"source": "zendesk", "question": "Where is my order?", "answer": "See https://help.example.com",
                 "externalId": "ticket456", "userId": "u-1", "channel": "email", "createdAt": 1740407169191}""")
                .json().get("conversationId").asText();

        Response response = server.get("/v2/bots/conversations/" + conversationId, key);

        assertThat(response.status()).isEqualTo(200);
        JsonNode conversation = response.json();
        assertThat(fieldNames(conversation)).containsExactly("id", "externalId", "source", "channel", "escalation",
                "hasLinks", "feedbackType", "expectingUserFollowup", "url", "categories", "createdAt", "updatedAt",
                "botRequests", "userId", "review");
        assertThat(fieldNames(conversation.get("botRequests").get(0))).containsExactly("question", "answer",
                "categories", "escalation", "reasoning", "feedbackType", "expectingUserFollowup", "createdAt",
                "basedOn", "id", "uncited");
        assertThat(conversation.get("externalId").asText()).isEqualTo("ticket456");
        assertThat(conversation.get("hasLinks").asBoolean()).isTrue();
        assertThat(conversation.get("url").isNull()).isTrue();
        assertThat(conversation.get("createdAt").asLong()).isEqualTo(1740407169191L);
    }

    @Test
    void retryingWithTheSameIdAnswers200WithTheStoredRequest() {
        String body = """
                {"id": "6F9619FF-8B86-4011-B42D-00C04FC964FF", "source": "api", "question": "q", "answer": "a"}""";
        Response first = record(body);
        Response retry = record(body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(first.json().get("id").asText()).isEqualTo("6f9619ff-8b86-4011-b42d-00c04fc964ff");
    }

    @Test
    void reusingAnIdForOtherContentIsAConflict() {
        String id = UUID.randomUUID().toString();
        record("{\"id\": \"" + id + "\", \"source\": \"api\", \"question\": \"q\", \"answer\": \"a\"}");
        Response conflict = record("{\"id\": \"" + id + "\", \"source\": \"api\", \"question\": \"q\", \"answer\": \"b\"}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body()).isEqualTo("{\"error\":{\"code\":\"conflict\",\"message\":\"bot request " + id
                + " is already recorded with other content; send a new id for a new exchange\",\"param\":null}}");
    }

    @Test
    void feedbackIsSetAndClearedOnARequestAndItsConversation() {
        JsonNode recorded = record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\"}").json();
        String requestPath = "/v2/bots/requests/" + recorded.get("id").asText() + "/feedback";
        String conversationPath = "/v2/bots/conversations/" + recorded.get("conversationId").asText();

        Response set = server.put(requestPath, key, "{\"feedbackType\": \"thumbs_down\"}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("feedbackType").asText()).isEqualTo("thumbs_down");
        assertThat(server.get(conversationPath, key).json().get("feedbackType").asText()).isEqualTo("thumbs_down");

        Response cleared = server.put(requestPath, key, "{\"feedbackType\": null}");
        assertThat(cleared.json().get("feedbackType").isNull()).isTrue();
        assertThat(server.get(conversationPath, key).json().get("feedbackType").isNull()).isTrue();
    }

    @Test
    void feedbackOnAnUnknownRequestIsNotFound() {
        String id = UUID.randomUUID().toString();
        Response response = server.put("/v2/bots/requests/" + id + "/feedback", key, "{\"feedbackType\": \"thumbs_up\"}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().at("/error/message").asText())
                .isEqualTo("this workspace has no bot request with id " + id);
    }

    @Test
    void aDeletedConversationIsGone() {
        String id = record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\"}").json()
                .get("conversationId").asText();

        assertThat(server.delete("/v2/bots/conversations/" + id, key).status()).isEqualTo(204);
        assertThat(server.get("/v2/bots/conversations/" + id, key).status()).isEqualTo(404);
        assertThat(server.delete("/v2/bots/conversations/" + id, key).status()).isEqualTo(404);
    }

    @Test
    void erasingAUserAnswersHowManyConversationsWereDeleted() {
        record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\", \"userId\": \"user 1/é\"}");
        record("{\"source\": \"slack\", \"question\": \"q\", \"answer\": \"a\", \"userId\": \"user 1/é\"}");
        record("{\"source\": \"api\", \"question\": \"q\", \"answer\": \"a\", \"userId\": \"someone else\"}");

        Response erased = server.delete("/v2/bots/users/user%201%2F%C3%A9/conversations", key);

        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.body()).isEqualTo("{\"deleted\":2}");
        assertThat(server.delete("/v2/bots/users/user%201%2F%C3%A9/conversations", key).body())
                .isEqualTo("{\"deleted\":0}");
    }

    @Test
    void anotherWorkspacesConversationIsNeitherShownNorTouched() {
        String theirKey = server.newKey("other" + WORKSPACES.incrementAndGet(), Scope.READ, Scope.WRITE);
        JsonNode theirs = server.post("/v2/bots/requests", theirKey,
                "{\"source\": \"api\", \"question\": \"their secret\", \"answer\": \"a\", \"userId\": \"u\"}").json();
        String conversationId = theirs.get("conversationId").asText();
        String requestId = theirs.get("id").asText();

        Response get = server.get("/v2/bots/conversations/" + conversationId, key);
        Response feedback = server.put("/v2/bots/requests/" + requestId + "/feedback", key, "{\"feedbackType\":\"thumbs_up\"}");
        Response delete = server.delete("/v2/bots/conversations/" + conversationId, key);
        Response append = record("{\"conversationId\": \"" + conversationId
                + "\", \"source\": \"slack\", \"question\": \"mine\", \"answer\": \"a\"}");

        assertThat(get.status()).isEqualTo(404);
        assertThat(feedback.status()).isEqualTo(404);
        assertThat(delete.status()).isEqualTo(404);
        assertThat(append.status()).isEqualTo(201);
        JsonNode stillTheirs = server.get("/v2/bots/conversations/" + conversationId, theirKey).json();
        assertThat(stillTheirs.get("source").asText()).isEqualTo("api");
        assertThat(stillTheirs.get("botRequests")).hasSize(1);
        assertThat(stillTheirs.get("feedbackType").isNull()).isTrue();
    }
}
