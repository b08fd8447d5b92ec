package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The OpenAPI document is valid, describes every route the server has, and the server takes what it describes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {

    private static final Set<HandlerType> VERBS = Set.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.DELETE, HandlerType.PATCH);

    TestServer server;
    String key;
    OpenAPI document;

    @BeforeAll
    void startServerAndReadTheDocument() {
        server = TestServer.start(TestStores.SQLITE);
        key = server.newKey("openapi", Scope.READ, Scope.WRITE);
        Response response = server.get("/openapi.json", null);
        assertThat(response.status()).isEqualTo(200);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(response.body());
        assertThat(parsed.getMessages()).as("the parser's complaints").isEmpty();
        document = parsed.getOpenAPI();
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    @Test
    void everyRouteTheServerRegistersIsDescribedAndNothingElse() {
        Set<String> registered = new TreeSet<>();
        for (ParsedEndpoint endpoint : server.app().unsafe.internalRouter.allHttpHandlers()) {
            if (VERBS.contains(endpoint.endpoint.method)) {
                registered.add(endpoint.endpoint.method.name() + " " + endpoint.endpoint.path);
            }
        }
        Set<String> described = new TreeSet<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> described.add(method.name() + " " + path)));

        assertThat(registered).isNotEmpty();
        assertThat(described).isEqualTo(registered);
    }

    @Test
    void everyDescribedQueryParameterIsAcceptedWithItsExample() {
        server.post("/v2/bots/requests", key, "{\"source\":\"zendesk\",\"question\":\"q\",\"answer\":\"a\"}");
        int checked = 0;
        for (Map.Entry<String, PathItem> path : document.getPaths().entrySet()) {
            Operation get = path.getValue().getGet();
            if (get == null || get.getParameters() == null || path.getKey().contains("{")) {
                continue;
            }
            for (Parameter parameter : get.getParameters()) {
                if (!"query".equals(parameter.getIn()) || parameter.getExample() == null) {
                    continue;
                }
                String value = URLEncoder.encode(String.valueOf(parameter.getExample()), StandardCharsets.UTF_8);
                String query = (parameter.getName().equals("source") ? "" : "source=all&")
                        + parameter.getName() + "=" + value;
                Response response = server.get(path.getKey() + "?" + query, key);
                assertThat(response.status()).as(path.getKey() + "?" + query + " -> " + response.body())
                        .isEqualTo(200);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
    }

    @Test
    void everyDescribedOperationDocumentsItsErrors() {
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (operation.getSecurity() == null || !operation.getSecurity().isEmpty()) {
                assertThat(operation.getResponses()).as(method + " " + path).containsKeys("401", "403", "429", "503");
            }
        }));
    }
}
