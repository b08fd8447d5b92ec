package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.net.http.HttpRequest;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every refusal is the SPEC §3 error shape, with a message that names what to fix. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiErrorsTest {

    TestServer server;
    String readWrite;
    String readOnly;
    String writeOnly;

    @BeforeAll
    void startServer() {
        server = TestServer.start(TestStores.SQLITE);
        readWrite = server.newKey("errors", Scope.READ, Scope.WRITE);
        readOnly = server.newKey("errors", Scope.READ);
        writeOnly = server.newKey("errors", Scope.WRITE);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    static void assertError(Response response, int status, String code, String param, String message) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().at("/error/code").asText()).isEqualTo(code);
        assertThat(response.json().at("/error/message").asText()).isEqualTo(message);
        if (param == null) {
            assertThat(response.json().at("/error/param").isNull()).isTrue();
        } else {
            assertThat(response.json().at("/error/param").asText()).isEqualTo(param);
        }
        assertThat(response.body()).doesNotContain("Exception", "SQL", "at dev.");
    }

    Response record(String json) {
        return server.post("/v2/bots/requests", readWrite, json);
    }

    @Nested
    class BadBodyFields {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                {"source":"api","answer":"a"}                              | question | question is required
                {"source":"api","question":7,"answer":"a"}                 | question | question must be a string
                {"question":"q","answer":"a"}                              | source   | source is required
                {"source":"fax","question":"q","answer":"a"}               | source   | source must be one of zendesk, slack, discord, widget, intercom, ui, api, got 'fax'
                {"source":"api","question":"q","answer":"a","escalation":"yes"} | escalation | escalation must be true or false
                {"source":"api","question":"q","answer":"a","categories":"x"}   | categories | categories must be an array of strings
                {"source":"api","question":"q","answer":"a","categories":[""]}  | categories | categories entries must be strings of 1 to 100 characters
                {"source":"api","question":"q","answer":"a","id":"123"}         | id | id must be a UUID such as 'a35607bc-8008-44fd-9991-1d7c2c5c3f22'
                {"source":"api","question":"q","answer":"a","conversationId":"1-1-1-1-1"} | conversationId | conversationId must be a UUID such as 'a35607bc-8008-44fd-9991-1d7c2c5c3f22'
                {"source":"api","question":"q","answer":"a","createdAt":-1}     | createdAt | createdAt must be epoch milliseconds from 0 to 253402300799999, got -1
                {"source":"api","question":"q","answer":"a","createdAt":1.5}    | createdAt | createdAt must be a whole number of epoch milliseconds
                {"source":"api","question":"q","answer":"a","basedOn":{}}       | basedOn | basedOn must be an array of objects
                {"source":"api","question":"q","answer":"a","basedOn":[{"title":3}]} | basedOn[0].title | basedOn[0].title must be a string or null
                {"source":"api","question":"q","answer":"a","basedOn":[{"score":"high"}]} | basedOn[0].score | basedOn[0].score must be a number or null
                {"source":"api","question":"q","answer":"a","userId":""}        | userId | userId must be a string of 1 to 256 characters
                {"source":"api","question":"q","answer":"a","question2":"x"}    | question2 | 'question2' is not a field here; the fields are answer, basedOn, categories, channel, conversationId, createdAt, escalation, expectingUserFollowup, externalId, id, question, reasoning, source, url, userId
                {"source":"api","question":"q\\u0000","answer":"a"}            | question | question must not contain the NUL character (U+0000)
                """)
        void aBadFieldIsA400NamingIt(String body, String param, String message) {
            assertError(record(body), 400, "invalid_body", param, message);
        }

        @Test
        void tooManyCategoriesAreRefused() {
            String categories = String.join(",", Arrays.stream(new String[21]).map(x -> "\"c\"").toList());
            assertError(record("{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\",\"categories\":[" + categories + "]}"),
                    400, "invalid_body", "categories", "categories must have at most 20 entries, got 21");
        }

        @Test
        void aQuestionOver32KiBIsRefused() {
            String question = "é".repeat(16 * 1024 + 1);
            assertError(record("{\"source\":\"api\",\"question\":\"" + question + "\",\"answer\":\"a\"}"),
                    400, "invalid_body", "question", "question must be at most 32768 bytes of UTF-8 (32 KiB)");
        }

        @Test
        void aQuestionOfExactly32KiBIsAccepted() {
            String question = "é".repeat(16 * 1024);
            assertThat(record("{\"source\":\"api\",\"question\":\"" + question + "\",\"answer\":\"a\"}").status())
                    .isEqualTo(201);
        }

        @Test
        void anUnknownFeedbackTypeIsRefused() {
            String id = record("{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}").json().get("id").asText();
            assertError(server.put("/v2/bots/requests/" + id + "/feedback", readWrite, "{\"feedbackType\":\"meh\"}"),
                    400, "invalid_body", "feedbackType", "feedbackType must be thumbs_up, thumbs_down, or null to clear it");
            assertError(server.put("/v2/bots/requests/" + id + "/feedback", readWrite, "{}"),
                    400, "invalid_body", "feedbackType", "feedbackType is required: thumbs_up, thumbs_down, or null to clear it");
        }
    }

    @Nested
    class UnreadableBodies {

        @Test
        void malformedJsonIsA400() {
            Response response = record("{\"source\":\"api\",");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().at("/error/code").asText()).isEqualTo("invalid_body");
            assertThat(response.json().at("/error/message").asText()).startsWith("the body is not valid JSON in UTF-8");
        }

        @Test
        void invalidUtf8IsA400() {
            byte[] body = {'{', '"', 'q', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
            Response response = TestServer.send(server.request("/v2/bots/requests", readWrite)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().at("/error/message").asText()).startsWith("the body is not valid JSON in UTF-8");
        }

        @Test
        void anEmptyBodyIsA400() {
            assertError(record(""), 400, "invalid_body", null, "the body is empty: send a JSON object");
        }

        @Test
        void aBodyThatIsNotAnObjectIsA400() {
            assertError(record("[1,2]"), 400, "invalid_body", null, "the body must be a JSON object");
        }

        @Test
        void duplicateKeysAreA400() {
            Response response = record("{\"source\":\"api\",\"source\":\"slack\",\"question\":\"q\",\"answer\":\"a\"}");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().at("/error/message").asText()).contains("Duplicate field 'source'");
        }

        @Test
        void aBodyOverOneMebibyteIsA413() {
            String big = "{\"source\":\"api\",\"question\":\"" + "x".repeat(1024 * 1024) + "\",\"answer\":\"a\"}";
            assertError(record(big), 413, "payload_too_large", null, "the request body must be at most 1048576 bytes");
        }

        @Test
        void aChunkedBodyOverOneMebibyteIsA413WhileReading() {
            byte[] big = new byte[3 * 1024 * 1024];
            Arrays.fill(big, (byte) ' ');
            Response response = TestServer.send(server.request("/v2/bots/requests", readWrite)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
            assertError(response, 413, "payload_too_large", null, "the request body must be at most 1048576 bytes");
        }

        @Test
        void aWrongMediaTypeIsA415() {
            Response response = TestServer.send(server.request("/v2/bots/requests", readWrite)
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertError(response, 415, "unsupported_media_type", null,
                    "send the body as application/json (Content-Type was 'text/plain')");
        }

        @Test
        void aCharsetOtherThanUtf8IsA415() {
            Response response = TestServer.send(server.request("/v2/bots/requests", readWrite)
                    .header("Content-Type", "application/json; charset=latin1").POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(response.status()).isEqualTo(415);
        }
    }

    @Nested
    class Authentication {

        @Test
        void noKeyIsA401WithTheBearerChallenge() {
            Response response = server.get("/v2/bots/conversations/a35607bc-8008-44fd-9991-1d7c2c5c3f22", null);
            assertError(response, 401, "unauthorized", null, "send an API key as 'Authorization: Bearer <key>'");
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        }

        @Test
        void anotherSchemeIsA401() {
            Response response = TestServer.send(server.request("/v2/bots/conversations/a35607bc-8008-44fd-9991-1d7c2c5c3f22", null)
                    .header("Authorization", "Basic dXNlcjpwYXNz"));
            assertError(response, 401, "unauthorized", null,
                    "the Authorization header must use the Bearer scheme: 'Bearer <key>'");
        }

        @Test
        void anUnknownKeyIsA401() {
            Response response = server.get("/v2/bots/conversations/a35607bc-8008-44fd-9991-1d7c2c5c3f22", "parley_guess");
            assertError(response, 401, "unauthorized", null, "the API key is not valid, or has been revoked");
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        }

        @Test
        void theSchemeIsMatchedInAnyCase() {
            Response response = TestServer.send(server.request("/v2/bots/requests", null)
                    .header("Authorization", "bEaReR " + readWrite).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}")));
            assertThat(response.status()).isEqualTo(201);
        }

        @Test
        void aRevokedKeyIsRefusedOnTheNextRequest() {
            var created = server.parley().keys().create(new dev.parley.workspace.WorkspaceName("errors"),
                    java.util.Set.of(Scope.READ, Scope.WRITE));
            assertThat(server.post("/v2/bots/requests", created.secret(),
                    "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}").status()).isEqualTo(201);

            server.parley().keys().revoke(created.key().id());

            assertError(server.post("/v2/bots/requests", created.secret(),
                    "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}"),
                    401, "unauthorized", null, "the API key is not valid, or has been revoked");
        }

        @Test
        void aReadKeyCannotWrite() {
            assertError(server.post("/v2/bots/requests", readOnly, "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}"),
                    403, "insufficient_scope", null, "this key lacks the 'write' scope that this request needs");
        }

        @Test
        void aWriteKeyCannotRead() {
            assertError(server.get("/v2/bots/conversations/a35607bc-8008-44fd-9991-1d7c2c5c3f22", writeOnly),
                    403, "insufficient_scope", null, "this key lacks the 'read' scope that this request needs");
        }

        @Test
        void authenticationComesBeforeTheBodyIsRead() {
            assertError(server.post("/v2/bots/requests", null, "not json"), 401, "unauthorized", null,
                    "send an API key as 'Authorization: Bearer <key>'");
        }
    }

    @Nested
    class Routing {

        @Test
        void anUnknownRouteIsA404InJson() {
            assertError(server.get("/v2/nothing-here", readWrite), 404, "not_found", null, "no route GET /v2/nothing-here");
        }

        @Test
        void aWrongMethodIsA405InJson() {
            Response response = server.post("/healthz", null, "{}");
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.json().at("/error/code").asText()).isEqualTo("method_not_allowed");
        }

        @Test
        void aMalformedIdInThePathIsA400NamingIt() {
            assertError(server.get("/v2/bots/conversations/not-a-uuid", readWrite), 400, "invalid_parameter", "id",
                    "the id in the path must be a UUID, got 'not-a-uuid'");
        }

        @Test
        void anUnknownConversationIsA404() {
            assertError(server.get("/v2/bots/conversations/a35607bc-8008-44fd-9991-1d7c2c5c3f22", readWrite), 404,
                    "not_found", null, "this workspace has no conversation with id a35607bc-8008-44fd-9991-1d7c2c5c3f22");
        }

        @Test
        void healthzAnswersWithoutAKey() {
            Response response = server.get("/healthz", null);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
        }

        @Test
        void everyResponseForbidsSniffingAndApiResponsesAreNotCached() {
            Response api = server.get("/v2/bots/conversations/a35607bc-8008-44fd-9991-1d7c2c5c3f22", readWrite);
            Response unknown = server.get("/nowhere", null);
            assertThat(api.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(api.header("Cache-Control")).isEqualTo("no-store");
            assertThat(unknown.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }
}
