package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.CreatedKey;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every workspace route against every wrong credential: the answer is 401, 403 or 404, and
 * nothing of another workspace ever comes back or changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {

    private static final String SECRET_QUESTION = "their confidential question";

    /** A route, as a client calls it: {id} and {userId} are filled with the victim's. */
    record Route(String method, String path, Scope scope, String contentType, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Route> ROUTES = List.of(
            new Route("GET", "/v2/bots/requests/public?source=all", Scope.READ, null, null),
            new Route("POST", "/v2/bots/requests", Scope.WRITE, "application/json",
                    "{\"conversationId\":\"{id}\",\"source\":\"api\",\"question\":\"q\",\"answer\":\"a\"}"),
            new Route("PUT", "/v2/bots/requests/{requestId}/feedback", Scope.WRITE, "application/json",
                    "{\"feedbackType\":\"thumbs_down\"}"),
            new Route("GET", "/v2/bots/conversations/{id}", Scope.READ, null, null),
            new Route("DELETE", "/v2/bots/conversations/{id}", Scope.WRITE, null, null),
            new Route("DELETE", "/v2/bots/users/{userId}/conversations", Scope.WRITE, null, null),
            new Route("GET", "/v2/bots/conversations/export", Scope.READ, null, null),
            new Route("GET", "/v2/bots/conversations/changes", Scope.READ, null, null),
            new Route("POST", "/v2/bots/conversations/import", Scope.WRITE, "application/x-ndjson",
                    "{\"id\":\"{id}\",\"source\":\"api\",\"createdAt\":1}\n"),
            new Route("GET", "/v2/bots/stats", Scope.READ, null, null),
            new Route("POST", "/v2/bots/webhooks", Scope.ADMIN, "application/json",
                    "{\"url\":\"http://203.0.113.7/hook\"}"),
            new Route("GET", "/v2/bots/webhooks", Scope.ADMIN, null, null),
            new Route("DELETE", "/v2/bots/webhooks/{webhookId}", Scope.ADMIN, null, null),
            new Route("GET", "/v2/bots/webhooks/{webhookId}/deliveries", Scope.ADMIN, null, null),
            new Route("POST", "/v2/bots/webhooks/{webhookId}/deliveries/{deliveryId}/retry", Scope.ADMIN, null, null),
            // any scope: answers for the key's own workspace
            new Route("GET", "/v2/workspace", null, null, null),
            new Route("PATCH", "/v2/workspace", Scope.ADMIN, "application/json", "{\"retentionDays\": 30}"),
            new Route("GET", "/v2/workspace/audit", Scope.ADMIN, null, null),
            new Route("PUT", "/v2/bots/conversations/{id}/review", Scope.WRITE, "application/json",
                    "{\"status\":\"needs_work\",\"labels\":[\"x\"]}"),
            new Route("GET", "/v2/bots/insights/failing-questions?startEpoch=0", Scope.READ, null, null));

    TestServer server;
    String victimKey;
    String conversationId;
    String requestId;
    String webhookId;
    String deliveryId;
    String victimBefore;
    String attackerRead;
    String attackerWrite;
    String revoked;

    @BeforeAll
    void twoWorkspaces() {
        server = TestServer.start(TestStores.SQLITE);
        victimKey = server.newKey("victim", Scope.READ, Scope.WRITE, Scope.ADMIN);
        webhookId = server.post("/v2/bots/webhooks", victimKey, "{\"url\":\"http://203.0.113.7/victim\"}").json()
                .get("id").asText();
        var recorded = server.post("/v2/bots/requests", victimKey, "{\"source\":\"zendesk\",\"question\":\""
                + SECRET_QUESTION + "\",\"answer\":\"a\",\"userId\":\"victim-user\"}").json();
        conversationId = recorded.get("conversationId").asText();
        requestId = recorded.get("id").asText();
        deliveryId = server.get("/v2/bots/webhooks/" + webhookId + "/deliveries", victimKey).json().at("/data/0/id")
                .asText();
        victimBefore = server.get("/v2/bots/conversations/export", victimKey).body();
        attackerRead = server.newKey("attacker", Scope.READ);
        attackerWrite = server.newKey("attacker", Scope.WRITE);
        CreatedKey gone = server.parley().keys().create(new WorkspaceName("victim"), Set.of(Scope.READ, Scope.WRITE));
        server.parley().keys().revoke(gone.key().id());
        revoked = gone.secret();
    }

    @AfterAll
    void stop() {
        assertThat(server.get("/v2/bots/conversations/export", victimKey).body())
                .as("the victim's history after every attempt").isEqualTo(victimBefore);
        server.close();
    }

    Response call(Route route, String authorization) {
        String path = route.path().replace("{id}", conversationId).replace("{requestId}", requestId)
                .replace("{userId}", "victim-user").replace("{webhookId}", webhookId)
                .replace("{deliveryId}", deliveryId);
        HttpRequest.Builder request = server.request(path, null);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        String body = route.body() == null ? null : route.body().replace("{id}", conversationId);
        if (route.contentType() != null) {
            request.header("Content-Type", route.contentType());
        }
        request.method(route.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return TestServer.send(request);
    }

    Stream<Arguments> wrongCredentials() {
        List<Arguments> cases = new ArrayList<>();
        for (Route route : ROUTES) {
            cases.add(Arguments.of(route, "no key", null, 401));
            cases.add(Arguments.of(route, "a malformed header", "Bearer", 401));
            cases.add(Arguments.of(route, "another scheme", "Token " + victimKey, 401));
            cases.add(Arguments.of(route, "a revoked key", "Bearer " + revoked, 401));
            if (route.scope() != null) {
                cases.add(Arguments.of(route, "a key of the wrong scope", "Bearer "
                        + (route.scope() == Scope.READ ? attackerWrite : attackerRead), 403));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1} is {3}")
    @MethodSource("wrongCredentials")
    void aWrongCredentialIsRefusedBeforeAnythingHappens(Route route, String what, String authorization, int status) {
        Response response = call(route, authorization);

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).doesNotContain(SECRET_QUESTION);
        if (status == 401) {
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
    }

    @ParameterizedTest(name = "{0} with another workspace's key")
    @MethodSource("routes")
    void anotherWorkspacesKeyNeverSeesOrTouchesItsData(Route route) {
        // a workspace of its own for each route: a POST may create the same id there, legitimately
        String attacker = server.newKey("attacker-" + UUID.randomUUID().toString().substring(0, 8), Scope.READ,
                Scope.WRITE, Scope.ADMIN);
        Response response = call(route, "Bearer " + attacker);

        assertThat(response.status()).as(response.body()).isIn(200, 201, 204, 404);
        assertThat(response.body()).doesNotContain(SECRET_QUESTION).doesNotContain("\"victim\"");
        if (route.path().contains("{id}") && !route.method().equals("POST") || route.path().contains("{requestId}")
                || route.path().contains("{webhookId}")) {
            assertThat(response.status()).isEqualTo(404);
            Response unknown = call(new Route(route.method(), route.path().replace("{id}", UUID.randomUUID().toString())
                    .replace("{requestId}", UUID.randomUUID().toString())
                    .replace("{webhookId}", UUID.randomUUID().toString())
                    .replace("{deliveryId}", UUID.randomUUID().toString()), route.scope(), route.contentType(),
                    route.body()), "Bearer " + attacker);
            assertThat(response.body().replaceAll("[0-9a-f-]{36}", "ID"))
                    .as("an id that exists elsewhere looks exactly like one that exists nowhere")
                    .isEqualTo(unknown.body().replaceAll("[0-9a-f-]{36}", "ID"));
        }
    }

    Stream<Route> routes() {
        return ROUTES.stream();
    }

    @Test
    void theMatrixCoversEveryWorkspaceRouteTheServerRegisters() {
        Set<String> registered = new TreeSet<>();
        for (ParsedEndpoint endpoint : server.app().unsafe.internalRouter.allHttpHandlers()) {
            HandlerType method = endpoint.endpoint.method;
            // a HEAD route runs its GET route's handler, which the matrix covers
            if (endpoint.endpoint.path.startsWith("/v2/") && method != HandlerType.BEFORE && method != HandlerType.AFTER
                    && method != HandlerType.HEAD) {
                registered.add(method.name() + " " + endpoint.endpoint.path);
            }
        }
        Set<String> covered = new TreeSet<>();
        for (Route route : ROUTES) {
            covered.add(route.method() + " " + route.path().replaceAll("\\?.*", "").replace("{requestId}", "{id}")
                    .replace("{webhookId}", "{id}"));
        }
        assertThat(covered).isEqualTo(registered);
    }
}
