package dev.parley.api;

import static dev.parley.api.ApiErrorsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.RawHttp;
import dev.parley.testing.RawHttp.Answer;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of the HTTP edge that hold on every route and every method (SPEC §3): what cannot be
 * decoded is refused rather than dropped, the server's own refusals are the API's JSON, HEAD is
 * GET without the body, a 405 says what is allowed, and labels a client invents stay out of metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpEdgesTest {

    static final List<String> FILTERED_ROUTES = List.of("/v2/bots/requests/public?source=zendesk&",
            "/v2/bots/conversations/export?", "/v2/bots/stats?");
    static final String UNDECODABLE = " cannot be decoded: a %-escape must be two hex digits, and the bytes must be"
            + " UTF-8 (send '%' itself as %25), got '";

    TestServer server;
    String key;
    String conversationId;

    @BeforeAll
    void startServer() {
        server = TestServer.start(TestStores.SQLITE);
        key = server.newKey("edges", Scope.READ, Scope.WRITE);
        conversationId = server.post("/v2/bots/requests", key,
                "{\"source\":\"zendesk\",\"question\":\"q\",\"answer\":\"a\",\"externalId\":\"T-1\",\"userId\":\"u-1\"}")
                .json().get("conversationId").asText();
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    Answer raw(String method, String target, String... headers) {
        return RawHttp.send(server.baseUrl(), RawHttp.request(method, target, headers));
    }

    static void assertJsonRefusal(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/json");
        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(answer.json().at("/error/code").asText()).isEqualTo(code);
        assertThat(answer.json().at("/error/message").asText()).isNotBlank();
        assertThat(answer.body()).doesNotContain("<html", "Exception", "at org.");
    }

    static void assertInvalidParameter(Answer answer, String param, String message) {
        assertJsonRefusal(answer, 400, "invalid_parameter");
        assertThat(answer.json().at("/error/param").asText()).isEqualTo(param);
        assertThat(answer.json().at("/error/message").asText()).isEqualTo(message);
    }

    @Nested
    class ValuesThatCannotBeDecoded {

        @ParameterizedTest(name = "{0}{1}={2}")
        @CsvSource(delimiter = '|', textBlock = """
                /v2/bots/requests/public?source=zendesk& | question | %zz
                /v2/bots/requests/public?source=zendesk& | question | %ff
                /v2/bots/requests/public?source=zendesk& | question | abc%
                /v2/bots/requests/public?source=zendesk& | question | %e9t%c3
                /v2/bots/requests/public?source=zendesk& | ticketId | %ZZ
                /v2/bots/requests/public?               | source   | zendesk%2
                /v2/bots/requests/public?source=zendesk& | cursor   | %zz
                /v2/bots/conversations/export?          | ticketId | %ZZ
                /v2/bots/conversations/export?          | userId   | %zz
                /v2/bots/conversations/export?          | format   | %zz
                /v2/bots/stats?                         | userId   | %zz
                /v2/bots/stats?                         | category | %c3%28
                """)
        void areA400NamingTheParameterNeverADroppedFilter(String route, String param, String value) {
            Answer answer = raw("GET", route + param + "=" + value, "Authorization: Bearer " + key);

            assertInvalidParameter(answer, param, param + UNDECODABLE + value + "'");
        }

        @Test
        void rawBytesThatAreNotUtf8AreRefusedToo() {
            Answer answer = RawHttp.send(server.baseUrl(), "GET /v2/bots/requests/public?source=zendesk&question=\u00ff"
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\nConnection: close\r\n\r\n");

            assertJsonRefusal(answer, 400, "invalid_parameter");
            assertThat(answer.json().at("/error/param").asText()).isEqualTo("question");
        }

        @Test
        void anUndecodableParameterNameIsRefusedToo() {
            Answer answer = raw("GET", "/v2/bots/stats?user%zzId=u-1", "Authorization: Bearer " + key);

            assertInvalidParameter(answer, "user%zzId", "the parameter name" + UNDECODABLE + "user%zzId'");
        }

        @Test
        void wellFormedEscapesAndPlusSignsStillDecode() {
            server.post("/v2/bots/requests", key, "{\"source\":\"zendesk\",\"question\":\"où est 50% + é?\",\"answer\":\"a\"}");

            Response response = server.get("/v2/bots/requests/public?source=zendesk&question=o%C3%B9+est+50%25+%2B+%C3%A9",
                    key);

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.json().get("conversations")).hasSize(1);
        }
    }

    @Nested
    class SourceLists {

        static final String RULE = "use 'all', or one or more of zendesk, slack, discord, widget, intercom, ui, api"
                + " (comma-separated or repeated)";

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"/v2/bots/requests/public?", "/v2/bots/conversations/export?", "/v2/bots/stats?"})
        void allWithAnUnknownSourceIsRefused(String route) {
            assertError(server.get(route + "source=all,fax", key), 400, "invalid_parameter", "source",
                    "source 'fax' is not allowed: " + RULE);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"source=all,zendesk", "source=zendesk&source=all", "source=ALL,api"})
        void allCannotBeCombinedWithNamedSources(String query) {
            assertError(server.get("/v2/bots/stats?" + query, key), 400, "invalid_parameter", "source",
                    "source 'all' cannot be combined with named sources: " + RULE);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"source=zendesk,", "source=,zendesk", "source=zendesk,,api", "source=,"})
        void anEmptyElementOfTheListIsRefused(String query) {
            assertError(server.get("/v2/bots/requests/public?" + query, key), 400, "invalid_parameter", "source",
                    "source has an empty element in '" + query.substring("source=".length()) + "': " + RULE);
        }

        @Test
        void anEmptyCategoryInTheListIsRefusedRatherThanWideningTheFilter() {
            assertError(server.get("/v2/bots/stats?category=,", key), 400, "invalid_parameter", "category",
                    "category has an empty element in ',': give one or more categories, comma-separated or repeated");
        }
    }

    @Nested
    class TheServersOwnRefusals {

        @Test
        void aRequestLineOver8KibIsA414InJson() {
            assertJsonRefusal(raw("GET", "/v2/bots/requests/public?source=all&question=" + "a".repeat(100_000)), 414,
                    "uri_too_long");
        }

        @Test
        void tenThousandParametersAreA414InJson() {
            String query = IntStream.range(0, 10_000).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));
            assertJsonRefusal(raw("GET", "/v2/bots/stats?" + query), 414, "uri_too_long");
        }

        @Test
        void oneHeaderOver8KibIsA431InJson() {
            assertJsonRefusal(raw("GET", "/healthz", "X-Big: " + "a".repeat(9 * 1024)), 431, "headers_too_large");
        }

        @Test
        void manyHeadersOver8KibInAllAreA431InJson() {
            String[] headers = IntStream.range(0, 100).mapToObj(i -> "X-H" + i + ": " + "a".repeat(90))
                    .toArray(String[]::new);
            assertJsonRefusal(raw("GET", "/healthz", headers), 431, "headers_too_large");
        }

        @ParameterizedTest(name = "{0} {1}")
        @CsvSource(delimiter = '|', textBlock = """
                GET    | /v2/bots/%00
                GET    | /v2/bots/conversations/%zz
                GET    | /v2/bots/conversations/%ff
                GET    | /../../etc/passwd
                GET    | /%2e%2e/%2e%2e/etc/passwd
                GET    | /v2/bots/conversations/a\\b
                PUT    | /v2/bots/requests/{"a":1}/feedback
                GET    | http://elsewhere/healthz
                """)
        void aPathTheServerCannotTakeIsA400InJson(String method, String target) {
            assertJsonRefusal(raw(method, target, "Authorization: Bearer " + key), 400, "bad_request");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"Host: ", "Host: a\r\nHost: b", "Content-Length: abc", "Bad Header: x",
                "Transfer-Encoding: chunked\r\nContent-Length: 5"})
        void aMalformedHeaderIsA400InJson(String header) {
            assertJsonRefusal(raw("POST", "/v2/bots/requests", header), 400, "bad_request");
        }

        @Test
        void anUnknownHttpVersionIsA400InJsonNotA5xx() {
            Answer answer = RawHttp.send(server.baseUrl(), "GET /healthz HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertJsonRefusal(answer, 400, "bad_request");
        }
    }

    @Nested
    class Head {

        @Test
        void withoutAKeyIsA401WithoutABody() {
            Answer answer = raw("HEAD", "/v2/bots/stats");

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(answer.header("Content-Type")).startsWith("application/json");
            assertThat(answer.body()).isEmpty();
        }

        @Test
        void answersTheGetsErrorForABadParameter() {
            Answer answer = raw("HEAD", "/v2/bots/requests/public?source=fax", "Authorization: Bearer " + key);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).isEmpty();
        }

        @Test
        void ofAnUnknownConversationIsA404() {
            assertThat(raw("HEAD", "/v2/bots/conversations/" + UUID.randomUUID(), "Authorization: Bearer " + key)
                    .status()).isEqualTo(404);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"/v2/bots/requests/public?source=all", "/v2/bots/stats", "/v2/bots/conversations/{id}",
                "/healthz", "/readyz", "/openapi.json"})
        void hasTheGetsStatusAndHeadersWithoutTheBody(String path) {
            String target = path.replace("{id}", conversationId);
            Answer get = raw("GET", target, "Authorization: Bearer " + key);
            Answer head = raw("HEAD", target, "Authorization: Bearer " + key);

            assertThat(head.status()).isEqualTo(get.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            for (String header : List.of("Content-Type", "Content-Length", "X-Content-Type-Options", "Cache-Control")) {
                assertThat(head.header(header)).as(header).isEqualTo(get.header(header));
            }
        }

        @Test
        void ofAnExportIsItsHeadersWithoutTheBody() {
            Answer head = raw("HEAD", "/v2/bots/conversations/export?format=csv", "Authorization: Bearer " + key);

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).startsWith("text/csv");
            assertThat(head.header("Content-Disposition")).isEqualTo("attachment; filename=\"parley-export.csv\"");
            assertThat(head.header("Content-Length")).isNull();
            assertThat(head.body()).isEmpty();
        }
    }

    @Nested
    class MethodNotAllowed {

        @ParameterizedTest(name = "{0} {1} -> Allow: {2}")
        @CsvSource(delimiter = '|', textBlock = """
                POST   | /v2/bots/requests/public              | GET, HEAD
                DELETE | /v2/bots/requests                     | POST
                GET    | /v2/bots/requests/{id}/feedback       | PUT
                PATCH  | /v2/bots/conversations/{id}           | GET, HEAD, DELETE
                PUT    | /v2/bots/conversations/export         | GET, HEAD, DELETE
                PUT    | /v2/bots/conversations/import         | GET, HEAD, POST, DELETE
                POST   | /v2/bots/stats                        | GET, HEAD
                GET    | /v2/bots/users/u-1/conversations      | DELETE
                POST   | /healthz                              | GET, HEAD
                DELETE | /metrics                              | GET, HEAD
                CARD1  | /openapi.json                         | GET, HEAD
                """)
        void a405SaysWhichMethodsThePathAllows(String method, String path, String allow) {
            Answer answer = raw(method, path.replace("{id}", conversationId), "Authorization: Bearer " + key,
                    "Content-Length: 0");

            assertJsonRefusal(answer, 405, "method_not_allowed");
            assertThat(answer.header("Allow")).isEqualTo(allow);
        }
    }

    @Nested
    class MethodOverride {

        @Test
        void aMethodOverrideHeaderIsRefusedRatherThanTurningAGetIntoADelete() {
            Answer answer = raw("GET", "/v2/bots/conversations/" + conversationId, "Authorization: Bearer " + key,
                    "X-HTTP-Method-Override: DELETE");

            assertJsonRefusal(answer, 400, "invalid_parameter");
            assertThat(answer.json().at("/error/param").asText()).isEqualTo("X-HTTP-Method-Override");
            assertThat(server.get("/v2/bots/conversations/" + conversationId, key).status()).isEqualTo(200);
        }

        @ParameterizedTest(name = "{0} /healthz")
        @ValueSource(strings = {"GET", "HEAD"})
        void theLivenessProbeRefusesAMethodOverrideLikeEveryRoute(String method) {
            Answer answer = raw(method, "/healthz", "X-HTTP-Method-Override: DELETE");

            assertThat(answer.status()).isEqualTo(400);
            if (method.equals("GET")) {
                assertJsonRefusal(answer, 400, "invalid_parameter");
                assertThat(answer.json().at("/error/param").asText()).isEqualTo("X-HTTP-Method-Override");
            }
        }
    }

    @Nested
    class Metrics {

        @Test
        void methodsAndRoutesAClientInventsShareOneLabelValue() {
            for (int i = 0; i < 20; i++) {
                raw("CARD" + i, "/v2/bots/stats");
                raw("GET", "/invented/path/" + i);
                raw("GET", "/v2/bots/invented" + i);
            }

            String metrics = server.get("/metrics", null).body().lines()
                    .filter(line -> line.startsWith("http_server_requests_seconds_count")).collect(Collectors.joining("\n"));

            assertThat(metrics).doesNotContain("CARD", "invented")
                    .contains("http_server_requests_seconds_count{method=\"other\",route=\"unmatched\",status=\"405\"} 20");
            assertThat(metrics).contains("http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"} 40");
        }
    }

    @Nested
    class Credentials {

        @Test
        void twoAuthorizationHeadersAreA401EvenWhenTheFirstIsValid() {
            Answer answer = raw("GET", "/v2/bots/stats", "Authorization: Bearer " + key, "Authorization: Bearer other");

            assertJsonRefusal(answer, 401, "unauthorized");
            assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(answer.json().at("/error/message").asText())
                    .isEqualTo("send one Authorization header, not 2: which key is meant is ambiguous");
        }
    }

    @Nested
    class Compression {

        @ParameterizedTest(name = "Accept-Encoding: {0}")
        @ValueSource(strings = {"gzip", "identity"})
        void aCompressibleAnswerVariesByAcceptEncodingWhetherOrNotItWasCompressed(String encoding) {
            Response response = TestServer.send(server.request("/openapi.json", null).header("Accept-Encoding", encoding));

            assertThat(response.headers().allValues("Vary")).containsExactly("Accept-Encoding");
        }

        @Test
        void aGzippedListVariesByAcceptEncoding() {
            HttpRequest.Builder request = server.request("/v2/bots/requests/public?source=all", key)
                    .header("Accept-Encoding", "gzip");
            Response response = TestServer.send(request);

            assertThat(response.headers().allValues("Vary")).containsExactly("Accept-Encoding");
        }
    }
}
