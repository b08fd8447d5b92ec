package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.dashboard.Dashboard;
import dev.parley.testing.RawHttp;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAPI document is valid, describes every route the server has, and agrees with the server:
 * every example it gives is accepted, and every value it calls invalid gets the 400 it documents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {

    private static final Set<HandlerType> VERBS = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.POST,
            HandlerType.PUT, HandlerType.DELETE, HandlerType.PATCH);
    /** The examples tell one story (docs/tools/openapi.py): writes first, then reads, deletes last. */
    private static final List<PathItem.HttpMethod> STORY_ORDER = List.of(PathItem.HttpMethod.POST,
            PathItem.HttpMethod.PUT, PathItem.HttpMethod.PATCH, PathItem.HttpMethod.GET, PathItem.HttpMethod.HEAD,
            PathItem.HttpMethod.DELETE);
    /** The order of the methods in an {@code Allow} header (api/MethodNotAllowed). */
    private static final List<String> ALLOW_ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    private static final ObjectMapper JSON = new ObjectMapper();

    TestServer server;
    OpenAPI document;
    SchemaViolations violations;

    @BeforeAll
    void startServerAndReadTheDocument() {
        server = TestServer.start(TestStores.SQLITE);
        Response response = server.get("/openapi.json", null);
        assertThat(response.status()).isEqualTo(200);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(response.body());
        assertThat(parsed.getMessages()).as("the parser's complaints").isEmpty();
        document = parsed.getOpenAPI();
        violations = new SchemaViolations(document);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    /** One operation of the document. */
    record Op(String path, PathItem.HttpMethod method, Operation operation) {

        List<Parameter> parameters() {
            return operation.getParameters() == null ? List.of() : operation.getParameters();
        }

        Map<String, MediaType> bodies() {
            return operation.getRequestBody() == null ? Map.of() : operation.getRequestBody().getContent();
        }

        boolean needsKey() {
            return operation.getSecurity() == null || !operation.getSecurity().isEmpty();
        }

        boolean isHead() {
            return method == PathItem.HttpMethod.HEAD;
        }

        Set<String> documented() {
            return operation.getResponses().keySet();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** One request built from the document: path values, query pairs, and a body. */
    record Call(Op op, Map<String, String> pathValues, List<Map.Entry<String, String>> query, String contentType,
                String body) {

        Call withQuery(String name, String value) {
            List<Map.Entry<String, String>> more = new ArrayList<>(query.stream().filter(p -> !p.getKey().equals(name))
                    .toList());
            more.add(Map.entry(name, value));
            return new Call(op, pathValues, more, contentType, body);
        }

        Call withPath(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(pathValues);
            more.put(name, value);
            return new Call(op, more, query, contentType, body);
        }

        Call withBody(String type, String text) {
            return new Call(op, pathValues, query, type, text);
        }

        String target() {
            String path = op.path();
            for (Map.Entry<String, String> value : pathValues.entrySet()) {
                path = path.replace("{" + value.getKey() + "}", encode(value.getValue()));
            }
            StringBuilder target = new StringBuilder(path);
            for (int i = 0; i < query.size(); i++) {
                target.append(i == 0 ? '?' : '&').append(query.get(i).getKey()).append('=')
                        .append(encode(query.get(i).getValue()));
            }
            return target.toString();
        }

        Response send(TestServer server, String key) {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body);
            HttpRequest.Builder request = server.request(target(), key).method(op.method().name(), publisher);
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            return TestServer.send(request);
        }

        @Override
        public String toString() {
            String shown = target().length() > 200 ? target().substring(0, 200) + "…" : target();
            return op.method() + " " + shown + (body == null ? "" : " " + abbreviated(body));
        }
    }

    @Test
    void everyRouteTheServerRegistersIsDescribedAndNothingElse() {
        Set<String> registered = new TreeSet<>();
        for (ParsedEndpoint endpoint : server.app().unsafe.internalRouter.allHttpHandlers()) {
            if (VERBS.contains(endpoint.endpoint.method) && !Dashboard.PATHS.contains(endpoint.endpoint.path)) {
                registered.add(endpoint.endpoint.method.name() + " " + endpoint.endpoint.path);
            }
        }
        Set<String> described = new TreeSet<>();
        operations().forEach(op -> described.add(op.method().name() + " " + op.path()));

        assertThat(registered).isNotEmpty();
        assertThat(described).isEqualTo(registered);
    }

    @Test
    void theServedDocumentIsWhatItsSourceScriptWrites() throws Exception {
        Path written = Files.createTempFile("openapi", ".json");
        String python = System.getenv().getOrDefault("PARLEY_TEST_PYTHON", "python3");
        Process process = new ProcessBuilder(python, "docs/tools/openapi.py", written.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();

        assertThat(server.get("/openapi.json", null).body())
                .as("src/main/resources/openapi.json is stale: run python3 docs/tools/openapi.py")
                .isEqualTo(Files.readString(written));
    }

    @Test
    void theDocumentSaysWhereTheServerIs() {
        assertThat(document.getServers()).isNotEmpty();
        assertThat(document.getServers().get(0).getUrl()).isEqualTo("/");
    }

    @Test
    void everyParameterAndEveryBodyHasAnExample() {
        for (Op op : operations()) {
            for (Parameter parameter : op.parameters()) {
                assertThat(examplesOf(parameter)).as(op + " parameter " + parameter.getName()).isNotEmpty();
            }
            op.bodies().forEach((type, media) -> assertThat(examplesOf(media)).as(op + " body " + type).isNotEmpty());
        }
    }

    @Test
    void everyExampleOfEveryParameterAndBodyIsAcceptedByTheServer() {
        String key = server.newKey("examples", Scope.READ, Scope.WRITE, Scope.ADMIN);
        int sent = 0;
        for (Op op : operations()) {
            if (op.path().startsWith("/v2/bots/webhooks/{id}")) {
                continue; // a webhook's id is the server's to choose: the story cannot name one (WebhooksTest can)
            }
            for (Call call : acceptedCalls(op)) {
                Response response = call.send(server, key);
                assertThat(response.status()).as(call + " -> " + response).isBetween(200, 299);
                assertThat(op.documented()).as(call + " answered " + response.status()).contains(
                        String.valueOf(response.status()));
                assertTheAnswerHasTheDocumentedShape(call, op.operation().getResponses()
                        .get(String.valueOf(response.status())), response);
                sent++;
            }
        }
        assertThat(sent).isGreaterThan(60);
    }

    @Test
    void valuesTheDocumentCallsInvalidGetItsDocumented400NamingTheField() {
        String key = server.newKey("violations", Scope.READ, Scope.WRITE, Scope.ADMIN);
        int sent = 0;
        for (Op op : operations()) {
            Call valid = validCall(op);
            List<Map.Entry<Call, String>> invalid = new ArrayList<>();
            for (Parameter parameter : op.parameters()) {
                for (SchemaViolations.InvalidText bad : violations.ofText(parameter.getSchema())) {
                    if (parameter.getIn().equals("path") && bad.value().isEmpty()) {
                        continue; // an empty path segment is another path, not a bad value
                    }
                    Call call = parameter.getIn().equals("path") ? valid.withPath(parameter.getName(), bad.value())
                            : valid.withQuery(parameter.getName(), bad.value());
                    invalid.add(Map.entry(call, parameter.getName()));
                }
            }
            op.bodies().forEach((type, media) -> {
                String linesOf = lineSchema(media);
                Schema<?> schema = linesOf == null ? media.getSchema() : document.getComponents().getSchemas()
                        .get(linesOf.substring(linesOf.lastIndexOf('/') + 1));
                JsonNode example = linesOf == null ? examplesOf(media).get(0) : firstLine(examplesOf(media).get(0));
                for (SchemaViolations.InvalidBody bad : violations.ofBody(schema, example)) {
                    String body = linesOf == null ? bad.body().toString() : bad.body().toString() + "\n";
                    invalid.add(Map.entry(valid.withBody(type, body), bad.field() + " (" + bad.rule() + ")"));
                }
            });
            if (!invalid.isEmpty()) {
                assertThat(op.documented()).as(op + " documents its 400").contains("400");
            }
            for (Map.Entry<Call, String> call : invalid) {
                Response response = call.getKey().send(server, key);
                String field = call.getValue();
                assertThat(response.status()).as(call.getKey() + " breaks " + field + " -> " + response).isEqualTo(400);
                if (op.isHead()) {
                    assertThat(response.body()).as(call.getKey() + " has no body").isEmpty();
                    sent++;
                    continue;
                }
                assertThat(response.json().at("/error/code").asText()).as(call.getKey() + " -> " + response)
                        .isIn("invalid_parameter", "invalid_cursor", "invalid_body");
                assertThat(response.json().at("/error/param").asText()).as(call.getKey() + " -> " + response)
                        .startsWith(topLevelName(field));
                sent++;
            }
        }
        assertThat(sent).isGreaterThan(150);
    }

    @Test
    void withoutAKeyEveryRouteThatNeedsOneAnswersTheDocumented401() {
        for (Op op : operations()) {
            if (!op.needsKey()) {
                continue;
            }
            Call call = validCall(op);
            Response response = call.send(server, null);
            assertThat(response.status()).as(call + " -> " + response).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(op.documented()).contains("401");
            if (op.isHead()) {
                assertThat(response.body()).as(call + " has no body").isEmpty();
            }
        }
    }

    /**
     * The edge rules the document states for every operation: a query value that cannot be decoded
     * is a 400 naming its parameter, X-HTTP-Method-Override a 400 naming it, an over-long request
     * line the documented 414 and over-large headers the documented 431, each with its code.
     */
    @Test
    void theEdgeRefusalsTheDocumentStatesAreTheOnesEveryOperationGets() {
        String key = server.newKey("edges", Scope.READ, Scope.WRITE, Scope.ADMIN);
        String authorization = "Authorization: Bearer " + key;
        int sent = 0;
        for (Op op : operations()) {
            String target = validCall(op).target();
            String more = target.contains("?") ? "&" : "?";
            for (Parameter parameter : op.parameters()) {
                if (!parameter.getIn().equals("query")) {
                    continue;
                }
                for (String undecodable : List.of("%zz", "%ff", "a%")) {
                    String bad = target + more + parameter.getName() + "=" + undecodable;
                    assertRefusal(op, raw(op, bad, authorization), 400, "invalid_parameter", parameter.getName());
                    sent++;
                }
            }
            assertRefusal(op, raw(op, target, authorization, "X-HTTP-Method-Override: DELETE"), 400,
                    "invalid_parameter", "X-HTTP-Method-Override");
            if (!op.isHead()) {
                // Jetty refuses these while parsing, before a request exists: it cannot tell a HEAD (see decisions)
                assertRefusal(op, raw(op, target + more + "pad=" + "a".repeat(9 * 1024), authorization), 414,
                        "uri_too_long", null);
                assertRefusal(op, raw(op, target, authorization, "X-Big: " + "a".repeat(9 * 1024)), 431,
                        "headers_too_large", null);
                sent += 2;
            }
            sent++;
        }
        assertThat(sent).isGreaterThan(250);
    }

    private RawHttp.Answer raw(Op op, String target, String... headers) {
        return RawHttp.send(server.baseUrl(), RawHttp.request(op.method().name(), target, headers));
    }

    private static void assertRefusal(Op op, RawHttp.Answer answer, int status, String code, String param) {
        assertThat(answer.status()).as(op + " -> " + answer).isEqualTo(status);
        assertThat(op.documented()).as(op + " documents " + status).contains(String.valueOf(status));
        if (op.isHead()) {
            assertThat(answer.body()).as(op + " has no body").isEmpty();
            return;
        }
        assertThat(answer.json().at("/error/code").asText()).as(op + " -> " + answer).isEqualTo(code);
        if (param != null) {
            assertThat(answer.json().at("/error/param").asText()).as(op + " -> " + answer).isEqualTo(param);
        }
    }

    @Test
    void aBodyOfAMediaTypeNotDescribedGetsTheDocumented415() {
        String key = server.newKey("media-types", Scope.READ, Scope.WRITE, Scope.ADMIN);
        for (Op op : operations()) {
            if (op.bodies().isEmpty()) {
                continue;
            }
            Call call = validCall(op);
            Response response = call.withBody("text/plain", call.body()).send(server, key);
            assertThat(response.status()).as(call + " as text/plain -> " + response).isEqualTo(415);
            assertThat(op.documented()).contains("415");
        }
    }

    @Test
    void everyPathAnswersEachMethodItDoesNotListWithJson405AndTheAllowTheDocumentImplies() {
        int sent = 0;
        for (String path : document.getPaths().keySet()) {
            String concrete = path.replaceAll("\\{[^}]+}", "x");
            List<String> allowed = allowedOn(concrete);
            List<String> others = new ArrayList<>(ALLOW_ORDER);
            others.add("OPTIONS");
            others.removeAll(allowed);
            for (String method : others) {
                Response response = TestServer.send(server.request(concrete, null)
                        .method(method, HttpRequest.BodyPublishers.noBody()));
                assertThat(response.status()).as(method + " " + concrete + " -> " + response).isEqualTo(405);
                assertThat(response.header("Allow")).as(method + " " + concrete).isEqualTo(String.join(", ", allowed));
                if (!method.equals("HEAD")) {
                    assertThat(response.json().at("/error/code").asText()).isEqualTo("method_not_allowed");
                }
                sent++;
            }
        }
        assertThat(sent).isGreaterThan(20);
        assertThat(document.getComponents().getResponses().get("MethodNotAllowed").getHeaders()).containsKey("Allow");
    }

    @Test
    void everyGetHasAHeadWithTheSameParametersAndStatusesAndNoBody() {
        document.getPaths().forEach((path, item) -> {
            if (item.getGet() == null) {
                assertThat(item.getHead()).as("HEAD " + path + " without a GET").isNull();
                return;
            }
            assertThat(item.getHead()).as("HEAD " + path).isNotNull();
            assertThat(item.getHead().getParameters()).as("HEAD " + path).isEqualTo(item.getGet().getParameters());
            assertThat(item.getHead().getResponses().keySet()).as("HEAD " + path)
                    .isEqualTo(item.getGet().getResponses().keySet());
            item.getHead().getResponses().forEach((status, response) ->
                    assertThat(response.getContent()).as("HEAD " + path + " " + status).isNull());
        });
    }

    @Test
    void everyOperationDocumentsTheErrorsItCanAnswer() {
        for (Op op : operations()) {
            assertThat(op.documented()).as(op.toString()).contains("400", "414", "431");
            if (op.needsKey()) {
                assertThat(op.documented()).as(op.toString()).contains("401", "403", "429", "503");
            }
            if (!op.bodies().isEmpty()) {
                assertThat(op.documented()).as(op.toString()).contains("400", "413", "415");
            }
            if (!op.parameters().isEmpty()) {
                assertThat(op.documented()).as(op.toString()).contains("400");
            }
            op.operation().getResponses().forEach((status, response) -> {
                if (op.isHead()) {
                    assertThat(response.getContent()).as(op + " " + status + " has no body").isNull();
                } else if (status.startsWith("4") || status.startsWith("5")) {
                    assertThat(errorSchemaOf(response)).as(op + " " + status).isEqualTo("#/components/schemas/Error");
                }
            });
        }
    }

    /** The methods of every documented path that this concrete path matches, in Allow's order. */
    private List<String> allowedOn(String concrete) {
        Set<String> methods = new java.util.HashSet<>();
        document.getPaths().forEach((path, item) -> {
            if (concrete.matches(path.replaceAll("\\{[^}]+}", "[^/]+"))) {
                item.readOperationsMap().keySet().forEach(method -> methods.add(method.name()));
            }
        });
        return ALLOW_ORDER.stream().filter(methods::contains).toList();
    }

    // --- building requests from the document ---------------------------------------------

    private List<Op> operations() {
        List<Op> operations = new ArrayList<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap()
                .forEach((method, operation) -> operations.add(new Op(path, method, operation))));
        operations.sort(Comparator.comparing((Op op) -> STORY_ORDER.indexOf(op.method())).thenComparing(Op::path));
        return operations;
    }

    /** The path's examples, the required query parameters' first examples, and the first body example. */
    private Call validCall(Op op) {
        Map<String, String> pathValues = new LinkedHashMap<>();
        List<Map.Entry<String, String>> query = new ArrayList<>();
        for (Parameter parameter : op.parameters()) {
            if (parameter.getIn().equals("path")) {
                pathValues.put(parameter.getName(), text(examplesOf(parameter).get(0)));
            } else if (parameter.getIn().equals("query") && Boolean.TRUE.equals(parameter.getRequired())) {
                query.add(Map.entry(parameter.getName(), text(examplesOf(parameter).get(0))));
            }
        }
        Call call = new Call(op, pathValues, query, null, null);
        for (Map.Entry<String, MediaType> body : op.bodies().entrySet()) {
            return call.withBody(body.getKey(), bodyText(examplesOf(body.getValue()).get(0)));
        }
        return call;
    }

    /** Every example on its own, each empty value the document allows, and all examples together. */
    private List<Call> acceptedCalls(Op op) {
        Call valid = validCall(op);
        List<Call> calls = new ArrayList<>();
        op.bodies().forEach((type, media) -> examplesOf(media).forEach(example ->
                calls.add(valid.withBody(type, bodyText(example)))));
        if (calls.isEmpty()) {
            calls.add(valid);
        }
        Call together = valid;
        for (Parameter parameter : op.parameters()) {
            if (!parameter.getIn().equals("query")) {
                continue;
            }
            for (JsonNode example : examplesOf(parameter)) {
                calls.add(valid.withQuery(parameter.getName(), text(example)));
            }
            if (Boolean.TRUE.equals(parameter.getAllowEmptyValue())) {
                calls.add(valid.withQuery(parameter.getName(), ""));
            }
            together = together.withQuery(parameter.getName(), text(examplesOf(parameter).get(0)));
        }
        if (together != valid) {
            calls.add(together);
        }
        return calls;
    }

    private static List<JsonNode> examplesOf(Parameter parameter) {
        return examples(parameter.getExample(), parameter.getExamples());
    }

    private static List<JsonNode> examplesOf(MediaType media) {
        return examples(media.getExample(), media.getExamples());
    }

    private static List<JsonNode> examples(Object example, Map<String, Example> examples) {
        List<JsonNode> all = new ArrayList<>();
        if (example != null) {
            all.add(Json.mapper().valueToTree(example));
        }
        if (examples != null) {
            examples.values().forEach(value -> all.add(Json.mapper().valueToTree(value.getValue())));
        }
        return all;
    }

    private static String text(JsonNode value) {
        if (value.isNumber()) {
            // the parser may hold a whole number as a double: 1633046400000 must not become 1.6330464E12
            return value.decimalValue().stripTrailingZeros().toPlainString();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String bodyText(JsonNode example) {
        return example.isTextual() ? example.textValue() : example.toString();
    }

    /** The components schema that each line of an NDJSON body follows, or null for a JSON body. */
    private static String lineSchema(MediaType media) {
        Object line = media.getSchema().getExtensions() == null ? null
                : media.getSchema().getExtensions().get("x-ndjson-line");
        return line == null ? null : line.toString();
    }

    private static JsonNode firstLine(JsonNode ndjson) {
        try {
            return JSON.readTree(ndjson.textValue().lines().findFirst().orElseThrow());
        } catch (java.io.IOException e) {
            throw new AssertionError("an NDJSON example line is not JSON: " + ndjson, e);
        }
    }

    /** {@code basedOn[0].score} → {@code basedOn}: the body field a refusal must name. */
    private static String topLevelName(String field) {
        return field.split("[.\\[ ]", 2)[0];
    }

    // --- checking answers ------------------------------------------------------------------

    private void assertTheAnswerHasTheDocumentedShape(Call call, ApiResponse documented, Response response) {
        if (documented.getContent() == null) {
            assertThat(response.body()).as(call + " has no body").isEmpty();
            return;
        }
        String contentType = response.header("Content-Type");
        assertThat(documented.getContent().keySet()).as(call + " answered " + contentType)
                .anySatisfy(type -> assertThat(contentType).startsWith(type));
        MediaType json = documented.getContent().get("application/json");
        if (json != null && contentType.startsWith("application/json")) {
            JsonNode body = response.json();
            for (String field : requiredFields(json.getSchema())) {
                assertThat(body.has(field)).as(call + " answers " + field + ": " + abbreviated(response.body()))
                        .isTrue();
            }
        }
    }

    private List<String> requiredFields(Schema<?> given) {
        Schema<?> schema = violations.resolve(given);
        List<String> required = new ArrayList<>(schema.getRequired() == null ? List.of() : schema.getRequired());
        if (schema.getAllOf() != null) {
            schema.getAllOf().forEach(part -> required.addAll(requiredFields(part)));
        }
        return required;
    }

    private String errorSchemaOf(ApiResponse given) {
        ApiResponse response = given;
        if (given.get$ref() != null) {
            response = document.getComponents().getResponses()
                    .get(given.get$ref().substring(given.get$ref().lastIndexOf('/') + 1));
        }
        return response.getContent().get("application/json").getSchema().get$ref();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviated(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
