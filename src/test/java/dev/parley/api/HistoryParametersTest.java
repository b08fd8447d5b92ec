package dev.parley.api;

import static dev.parley.api.ApiErrorsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each parameter of the history API: what it accepts, and the error that names it when it cannot. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryParametersTest {

    TestServer server;
    String key;

    @BeforeAll
    void startServer() {
        server = TestServer.start(TestStores.SQLITE);
        key = server.newKey("params", Scope.READ, Scope.WRITE);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    Response list(String query) {
        return server.get("/v2/bots/requests/public?" + query, key);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            limit=10                      | source      | source is required: 'all', or one or more of zendesk, slack, discord, widget, intercom, ui, api (comma-separated or repeated)
            source=                       | source      | source is required: 'all', or one or more of zendesk, slack, discord, widget, intercom, ui, api (comma-separated or repeated)
            source=fax                    | source      | source 'fax' is not allowed: use 'all', or one or more of zendesk, slack, discord, widget, intercom, ui, api (comma-separated or repeated)
            source=slack,fax              | source      | source 'fax' is not allowed: use 'all', or one or more of zendesk, slack, discord, widget, intercom, ui, api (comma-separated or repeated)
            source=all&startEpoch=abc     | startEpoch  | startEpoch must be epoch milliseconds, a whole number from 0 to 253402300799999, got 'abc'
            source=all&endEpoch=-5        | endEpoch    | endEpoch must be epoch milliseconds, a whole number from 0 to 253402300799999, got '-5'
            source=all&startEpoch=5&endEpoch=5 | startEpoch | startEpoch must be before endEpoch (the range is [startEpoch, endEpoch))
            source=all&limit=0            | limit       | limit must be a whole number from 1 to 200, got '0'
            source=all&limit=201          | limit       | limit must be a whole number from 1 to 200, got '201'
            source=all&limit=ten          | limit       | limit must be a whole number from 1 to 200, got 'ten'
            source=all&limit=99999999999999999999 | limit | limit must be a whole number from 1 to 200, got '99999999999999999999'
            source=all&limit=5&limit=6    | limit       | limit was given 2 times; give it once
            source=all&direction=up       | direction   | direction must be 'next' (older) or 'previous' (newer), got 'up'
            source=all&feedbackType=meh   | feedbackType | feedbackType must be one of thumbs_up, thumbs_down, no_feedback, got 'meh'
            source=all&escalation=yes     | escalation  | escalation must be true or false, got 'yes'
            source=all&hasLinks=1         | hasLinks    | hasLinks must be true or false, got '1'
            source=all&userId=%00         | userId      | userId must not contain the NUL character (U+0000)
            """)
    void anInvalidParameterIsA400NamingIt(String query, String param, String message) {
        assertError(list(query), 400, "invalid_parameter", param, message);
    }

    @Test
    void aQuestionOver500CharactersIsRefused() {
        assertError(list("source=all&question=" + "a".repeat(501)), 400, "invalid_parameter", "question",
                "question must be at most 500 characters, got 501");
    }

    @Test
    void aUserIdOver256CharactersIsRefused() {
        assertError(list("source=all&userId=" + "u".repeat(257)), 400, "invalid_parameter", "userId",
                "userId must be at most 256 characters, got 257");
    }

    @Test
    void aMalformedCursorIsAnInvalidCursor() {
        assertError(list("source=all&cursor=your_cursor_value"), 400, "invalid_cursor", "cursor",
                "cursor must be the id of a conversation from an earlier page of this workspace (nextCursor or prevCursor)");
    }

    @Test
    void anotherWorkspacesCursorLooksExactlyLikeAnUnknownOne() {
        String otherKey = server.newKey("params-other", Scope.READ, Scope.WRITE);
        String theirs = server.post("/v2/bots/requests", otherKey, "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}")
                .json().get("conversationId").asText();

        Response foreign = list("source=all&cursor=" + theirs);
        Response unknown = list("source=all&cursor=" + UUID.randomUUID());

        assertError(foreign, 400, "invalid_cursor", "cursor",
                "cursor must be the id of a conversation from an earlier page of this workspace (nextCursor or prevCursor)");
        assertThat(foreign.body()).isEqualTo(unknown.body());
    }

    @Test
    void emptyValuesMeanAbsentAndBooleansComeInAnyCase() {
        server.post("/v2/bots/requests", key, "{\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\",\"escalation\":true}");

        Response response = list("source=all&direction=&feedbackType=&userId=&cursor=&escalation=True&hasLinks=FALSE");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("conversations")).isNotEmpty();
    }

    @Test
    void unknownParametersAreIgnored() {
        assertThat(list("source=all&page=3&sort=asc").status()).isEqualTo(200);
    }

    @Test
    void sourcesMayBeRepeatedOrCommaSeparated() {
        assertThat(list("source=slack&source=api").status()).isEqualTo(200);
        assertThat(list("source=slack,api").status()).isEqualTo(200);
    }

    @Test
    void thePageIsJsonInUtf8WithEveryKeyOfTheContract() {
        Response response = list("source=all&limit=1");

        assertThat(response.header("Content-Type")).isEqualToIgnoringWhitespace("application/json;charset=utf-8");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(WriteApiTest.fieldNames(response.json())).containsExactly("conversations", "hasMore", "nextCursor",
                "prevCursor");
    }

    @Test
    void readingHistoryNeedsTheReadScope() {
        String writeOnly = server.newKey("params", Scope.WRITE);
        assertError(server.get("/v2/bots/requests/public?source=all", writeOnly), 403, "insufficient_scope", null,
                "this key lacks the 'read' scope that this request needs");
        assertError(server.get("/v2/bots/requests/public?source=all", null), 401, "unauthorized", null,
                "send an API key as 'Authorization: Bearer <key>'");
    }
}
