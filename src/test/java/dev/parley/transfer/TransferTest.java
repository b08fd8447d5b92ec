package dev.parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.Parley;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Export and import through a real server, on both stores. Each test has workspaces of its own. */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger WORKSPACES = new AtomicInteger();

    /** Text that breaks naive CSV and JSON writers, and cells a spreadsheet would run as formulas. */
    static final String TRICKY_CONVERSATION = """
            {"id":"0b0e2c4a-1111-4a4a-9c9c-000000000001","externalId":"=HYPERLINK(\\"http://evil\\")","source":"zendesk",\
            "channel":"email","escalation":true,"hasLinks":true,"feedbackType":"thumbs_down","expectingUserFollowup":false,\
            "url":"https://desk.example.com/t/1","categories":["billing","=cmd"],"createdAt":1700000000000,"updatedAt":1700000009000,\
            "botRequests":[{"question":"Hello, \\"world\\"\\nsecond line; with; semicolons","answer":"+1 see https://x.example\\r\\nok",\
            "categories":["billing"],"escalation":false,"reasoning":"-because","feedbackType":null,"expectingUserFollowup":false,\
            "createdAt":1700000000000,"basedOn":[{"sourceId":"kb-1","title":"Refunds, \\"fast\\"","url":"https://kb/1","custom":[1,{"a":null}]},\
            {"sourceId":"kb-2","url":"https://kb/2"}],"id":"0b0e2c4a-2222-4a4a-9c9c-000000000001"},\
            {"question":"@mention 注文はどこ？ Ünïcödé 🚚","answer":"\\tTabbed","categories":["=cmd"],"escalation":true,\
            "reasoning":null,"feedbackType":"thumbs_down","expectingUserFollowup":false,"createdAt":1700000009000,"basedOn":[],\
            "id":"0b0e2c4a-2222-4a4a-9c9c-000000000002"}],"userId":"user, with comma"}""";

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
        key = newKey();
    }

    String newKey() {
        return server.newKey("t" + WORKSPACES.incrementAndGet(), Scope.READ, Scope.WRITE);
    }

    static void demoData(Parley parley, String workspace, int conversations, long seed) {
        long id = parley.keys().ensureWorkspace(new WorkspaceName(workspace));
        DemoData.generate(seed, conversations, 100, batch -> parley.history().writer().storeWhole(id, batch));
    }

    String workspaceOf(String secret) {
        return server.parley().keys().authenticate(secret).orElseThrow().workspaceName();
    }

    Response export(String secret, String query) {
        return server.get("/v2/bots/conversations/export" + query, secret);
    }

    Response importNdjson(String secret, String body) {
        return TestServer.send(server.request("/v2/bots/conversations/import", secret)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void exportThenImportIntoAnEmptyWorkspaceThenExportAgainGivesIdenticalBytes() {
        demoData(server.parley(), workspaceOf(key), 300, 11);
        importNdjson(key, TRICKY_CONVERSATION + "\n");
        String first = export(key, "").body();

        String target = newKey();
        Response imported = importNdjson(target, first);
        String second = export(target, "").body();

        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(imported.body()).isEqualTo("{\"imported\":301}");
        assertThat(first.lines()).hasSize(301);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void anExportIsNewestFirstAndStreamedAsNdjson() throws IOException {
        demoData(server.parley(), workspaceOf(key), 50, 3);
        Response response = export(key, "?source=all");

        assertThat(response.header("Content-Type")).startsWith("application/x-ndjson");
        assertThat(response.header("Content-Disposition")).isEqualTo("attachment; filename=\"parley-export.ndjson\"");
        long previous = Long.MAX_VALUE;
        for (String line : response.body().lines().toList()) {
            long createdAt = JSON.readTree(line).get("createdAt").asLong();
            assertThat(createdAt).isLessThanOrEqualTo(previous);
            previous = createdAt;
        }
    }

    @Test
    void anExportTakesTheHistoryFilters() throws IOException {
        demoData(server.parley(), workspaceOf(key), 200, 5);

        String slack = export(key, "?source=slack&escalation=true").body();

        assertThat(slack.lines()).isNotEmpty();
        for (String line : slack.lines().toList()) {
            JsonNode conversation = JSON.readTree(line);
            assertThat(conversation.get("source").asText()).isEqualTo("slack");
            assertThat(conversation.get("escalation").asBoolean()).isTrue();
        }
    }

    @Test
    void aCsvExportReadsBackFieldForFieldWithARealCsvParser() throws IOException {
        importNdjson(key, TRICKY_CONVERSATION + "\n");
        Response response = TestServer.send(server.request("/v2/bots/conversations/export", key)
                .header("Accept", "text/csv").GET());

        assertThat(response.header("Content-Type")).startsWith("text/csv");
        String body = response.body();
        assertThat(body).startsWith("\uFEFF");
        List<CSVRecord> rows;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(body.substring(1)))) {
            assertThat(parser.getHeaderNames()).containsExactlyElementsOf(Export.CSV_COLUMNS);
            rows = parser.getRecords();
        }
        assertThat(rows).hasSize(2);
        CSVRecord first = rows.get(0);
        assertThat(first.get("conversationId")).isEqualTo("0b0e2c4a-1111-4a4a-9c9c-000000000001");
        assertThat(first.get("conversationCreatedAt")).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(first.get("externalId")).isEqualTo("'=HYPERLINK(\"http://evil\")");
        assertThat(first.get("userId")).isEqualTo("user, with comma");
        assertThat(first.get("question")).isEqualTo("Hello, \"world\"\nsecond line; with; semicolons");
        assertThat(first.get("answer")).isEqualTo("'+1 see https://x.example\r\nok");
        assertThat(first.get("reasoning")).isEqualTo("'-because");
        assertThat(first.get("categories")).isEqualTo("billing");
        assertThat(first.get("escalation")).isEqualTo("false");
        assertThat(first.get("feedbackType")).isEmpty();
        assertThat(first.get("sources")).isEqualTo("Refunds, \"fast\";https://kb/2");
        CSVRecord second = rows.get(1);
        assertThat(second.get("question")).isEqualTo("'@mention 注文はどこ？ Ünïcödé 🚚");
        assertThat(second.get("answer")).isEqualTo("'\tTabbed");
        assertThat(second.get("categories")).isEqualTo("'=cmd");
        assertThat(second.get("feedbackType")).isEqualTo("thumbs_down");
        assertThat(second.get("createdAt")).isEqualTo("2023-11-14T22:13:29.000Z");
    }

    @ParameterizedTest(name = "a bad line {0}")
    @ValueSource(strings = {"first", "middle", "last"})
    void anImportWithABadLineNamesItAndWritesNothing(String where) {
        demoData(server.parley(), workspaceOf(key), 30, 9);
        String before = export(key, "").body();
        String source = newKey();
        demoData(server.parley(), workspaceOf(source), 30, 10);
        List<String> lines = new ArrayList<>(export(source, "").body().lines().toList());
        String bad = "{\"source\":\"api\",\"createdAt\":1,\"botRequests\":[{\"question\":\"q\",\"createdAt\":1}]}";
        int index = switch (where) {
            case "first" -> 0;
            case "middle" -> lines.size() / 2;
            default -> lines.size();
        };
        lines.add(index, bad);

        Response response = importNdjson(key, String.join("\n", lines) + "\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/code").asText()).isEqualTo("invalid_body");
        assertThat(response.json().at("/error/param").asText()).isEqualTo("botRequests[0].answer");
        assertThat(response.json().at("/error/message").asText())
                .isEqualTo("line " + (index + 1) + ": botRequests[0].answer is required");
        assertThat(export(key, "").body()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a conversation field | \"updatedAt\":1700000009000, | \"updatedAt\":1700000009000,\"createAt\":5, | createAt",
            "a bot request field | \"reasoning\":\"-because\", | \"reasoning\":\"-because\",\"feedback\":\"thumbs_up\", | botRequests[0].feedback",
            "the PlacedRequest's conversationId | \"reasoning\":null, | \"reasoning\":null,\"conversationId\":\"x\", | botRequests[1].conversationId"})
    void anUnknownFieldInAnImportLineIsA400NamingItAndTheLineAndWritesNothing(String what, String given, String with,
                                                                              String field) {
        String unknown = TRICKY_CONVERSATION.replace("0b0e2c4a-1111-4a4a-9c9c-000000000001",
                "0b0e2c4a-1111-4a4a-9c9c-000000000003").replace("-000000000001\"}", "-000000000005\"}")
                .replace("-000000000002\"}", "-000000000006\"}").replace(given, with);
        assertThat(unknown).as("the line has the unknown field").contains(with);

        Response response = importNdjson(key, TRICKY_CONVERSATION + "\n" + unknown + "\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/code").asText()).isEqualTo("invalid_body");
        assertThat(response.json().at("/error/param").asText()).isEqualTo(field);
        assertThat(response.json().at("/error/message").asText()).startsWith("line 2: '" + field
                + "' is not a field here; the fields are ");
        assertThat(export(key, "").body()).isEmpty();
    }

    @Test
    void aCitationsOtherKeysAreKeptAsGivenByAnImport() throws IOException {
        importNdjson(key, TRICKY_CONVERSATION + "\n");

        JsonNode citation = JSON.readTree(export(key, "").body()).at("/botRequests/0/basedOn/0");
        assertThat(citation.get("custom").toString()).isEqualTo("[1,{\"a\":null}]");
    }

    @Test
    void anImportLineThatIsNotJsonIsNamed() {
        Response response = importNdjson(key, TRICKY_CONVERSATION + "\n{\"source\": \n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/message").asText()).startsWith("line 2: is not valid JSON");
        assertThat(export(key, "").body()).isEmpty();
    }

    @Test
    void anImportLineThatIsNotUtf8IsNamed() {
        byte[] body = (TRICKY_CONVERSATION + "\n{\"source\":\"api\",\"createdAt\":1,\"userId\":\"\u00ff\"}\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] latin1 = "\"\u00e9\"".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] bad = new byte[body.length + latin1.length];
        System.arraycopy(body, 0, bad, 0, body.length);
        System.arraycopy(latin1, 0, bad, body.length, latin1.length);

        Response response = TestServer.send(server.request("/v2/bots/conversations/import", key)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(bad)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/message").asText()).isEqualTo("line 3: is not valid UTF-8");
    }

    @Test
    void importingAnExistingIdReplacesThatConversation() throws IOException {
        importNdjson(key, TRICKY_CONVERSATION + "\n");
        String changed = TRICKY_CONVERSATION.replace("\"channel\":\"email\"", "\"channel\":\"chat\"");

        assertThat(importNdjson(key, changed + "\n").status()).isEqualTo(200);

        List<String> lines = export(key, "").body().lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(JSON.readTree(lines.get(0)).get("channel").asText()).isEqualTo("chat");
    }

    @Test
    void botRequestsWithoutAnIdGetOneAndMissingAggregatesAreComputed() throws IOException {
        String minimal = "{\"source\":\"api\",\"botRequests\":[{\"question\":\"q\",\"answer\":\"see http://a.b\","
                + "\"createdAt\":5,\"categories\":[\"x\"],\"escalation\":true}]}";

        assertThat(importNdjson(key, minimal).status()).isEqualTo(200);

        JsonNode conversation = JSON.readTree(export(key, "").body());
        assertThat(conversation.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(conversation.at("/botRequests/0/id").asText()).matches("[0-9a-f-]{36}");
        assertThat(conversation.get("createdAt").asLong()).isEqualTo(5);
        assertThat(conversation.get("escalation").asBoolean()).isTrue();
        assertThat(conversation.get("hasLinks").asBoolean()).isTrue();
        assertThat(conversation.get("categories").get(0).asText()).isEqualTo("x");
    }

    @Test
    void aBotRequestIdOfAnotherConversationIsAConflictAndWritesNothing() {
        importNdjson(key, TRICKY_CONVERSATION + "\n");
        String sameRequestIds = TRICKY_CONVERSATION.replace("0b0e2c4a-1111-4a4a-9c9c-000000000001",
                "0b0e2c4a-1111-4a4a-9c9c-000000000009");

        Response response = importNdjson(key, sameRequestIds + "\n");

        assertThat(response.status()).isEqualTo(409);
        assertThat(export(key, "").body().lines()).hasSize(1);
    }

    @Test
    void anImportNeedsTheNdjsonMediaType() {
        Response response = server.post("/v2/bots/conversations/import", key, TRICKY_CONVERSATION);

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json().at("/error/message").asText())
                .isEqualTo("send the body as application/x-ndjson (Content-Type was 'application/json')");
    }

    @Test
    void anUnknownExportFormatNamesTheParameter() {
        Response response = export(key, "?format=xml");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/param").asText()).isEqualTo("format");
        assertThat(response.json().at("/error/message").asText()).isEqualTo("format must be ndjson or csv, got 'xml'");
    }

    @Test
    void anotherWorkspacesConversationsAreNeverExported() {
        importNdjson(key, TRICKY_CONVERSATION + "\n");

        assertThat(export(newKey(), "").body()).isEmpty();
    }

    @Test
    void statsAreTheNumbersAnExportImplies() throws IOException {
        demoData(server.parley(), workspaceOf(key), 400, 21);
        for (String query : List.of("", "?source=zendesk,slack", "?escalation=true", "?category=billing",
                "?feedbackType=no_feedback&hasLinks=true", "?question=order", "?startEpoch=1785000000000")) {
            JsonNode stats = server.get("/v2/bots/stats" + query, key).json();
            List<JsonNode> conversations = new ArrayList<>();
            for (String line : export(key, query).body().lines().toList()) {
                conversations.add(JSON.readTree(line));
            }
            assertThat(stats.toString()).as(query).isEqualTo(expectedStats(conversations).toString());
        }
    }

    /** The stats of SPEC §4, computed here from exported conversations. */
    static JsonNode expectedStats(List<JsonNode> conversations) {
        long requests = 0;
        long escalated = 0;
        long links = 0;
        long up = 0;
        long down = 0;
        java.util.TreeMap<String, long[]> days = new java.util.TreeMap<>();
        Map<String, Long> categories = new HashMap<>();
        for (JsonNode c : conversations) {
            requests += c.get("botRequests").size();
            boolean esc = c.get("escalation").asBoolean();
            String feedback = c.get("feedbackType").asText("");
            escalated += esc ? 1 : 0;
            links += c.get("hasLinks").asBoolean() ? 1 : 0;
            up += feedback.equals("thumbs_up") ? 1 : 0;
            down += feedback.equals("thumbs_down") ? 1 : 0;
            String day = java.time.Instant.ofEpochMilli(c.get("createdAt").asLong()).toString().substring(0, 10);
            long[] counts = days.computeIfAbsent(day, d -> new long[4]);
            counts[0]++;
            counts[1] += esc ? 1 : 0;
            counts[2] += feedback.equals("thumbs_up") ? 1 : 0;
            counts[3] += feedback.equals("thumbs_down") ? 1 : 0;
            c.get("categories").forEach(category -> categories.merge(category.asText(), 1L, Long::sum));
        }
        var stats = JSON.createObjectNode();
        stats.put("conversations", conversations.size());
        stats.put("botRequests", requests);
        stats.put("escalated", escalated);
        stats.put("withLinks", links);
        var feedback = stats.putObject("feedback");
        feedback.put("thumbs_up", up);
        feedback.put("thumbs_down", down);
        feedback.put("no_feedback", conversations.size() - up - down);
        var byDay = stats.putArray("byDay");
        days.forEach((day, counts) -> byDay.addObject().put("day", day).put("conversations", counts[0])
                .put("escalated", counts[1]).put("thumbsUp", counts[2]).put("thumbsDown", counts[3]));
        var top = stats.putArray("topCategories");
        categories.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10)
                .forEach(entry -> top.addObject().put("category", entry.getKey()).put("conversations", entry.getValue()));
        return stats;
    }
}
