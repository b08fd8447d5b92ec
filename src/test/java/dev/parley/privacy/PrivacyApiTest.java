package dev.parley.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.Config;
import dev.parley.cli.Cli;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

/** Workspace settings and redaction on every write path (SPEC §10), through a real server, on both stores. */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivacyApiTest {

    private static final AtomicInteger WORKSPACES = new AtomicInteger();
    /** One of each kind, in the forms the issue names. */
    static final String PERSONAL = "Mail anna.müller@beispiel.de or call +44 20 7946 0958 / (415) 555-0100;"
            + " card 4111 1111 1111 1111. Order #4512-889 at 1740407169191.";
    static final String REDACTED = "Mail [EMAIL] or call [PHONE] / [PHONE]; card [CARD]. Order #4512-889 at 1740407169191.";

    @Parameter
    TestStores store;

    Config config;
    TestServer server;
    String workspace;
    String admin;
    String writer;

    @BeforeParameterizedClassInvocation
    void startServer() {
        config = store.freshConfig();
        server = TestServer.start(config);
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        server.close();
    }

    @BeforeEach
    void newWorkspace() {
        workspace = "p" + WORKSPACES.incrementAndGet();
        admin = server.newKey(workspace, Scope.ADMIN);
        writer = server.newKey(workspace, Scope.READ, Scope.WRITE);
    }

    Response redactEverything() {
        return server.patch("/v2/workspace", admin, """
                {"redaction": {"email": true, "phone": true, "card": true}}""");
    }

    String exchange(String id, String text) {
        return """
                {"id": "%s", "source": "api", "userId": "anna@example.com", "question": "%s", "answer": "%s",
                 "reasoning": "%s", "basedOn": [{"sourceId": "kb-1", "title": "%s", "snippet": "%s",
                 "url": "https://kb.example.com/anna@example.com"}], "createdAt": 1740407169191}"""
                .formatted(id, text, text, text, text, text);
    }

    @Test
    void aNewWorkspaceRedactsCardsAndKeepsEverything() {
        JsonNode body = server.get("/v2/workspace", writer).json();

        assertThat(body.get("name").asText()).isEqualTo(workspace);
        assertThat(body.get("redaction").toString()).isEqualTo("{\"email\":false,\"phone\":false,\"card\":true}");
        assertThat(body.get("retentionDays").isNull()).isTrue();
        assertThat(body.get("scopes").toString()).isEqualTo("[\"read\",\"write\"]");
        assertThat(body.get("keyId").asText()).isNotEmpty();
    }

    @Test
    void patchMergesWhatItIsGivenAndAnswersTheNewSettings() {
        server.patch("/v2/workspace", admin, "{\"retentionDays\": 30}");
        Response response = server.patch("/v2/workspace", admin, "{\"redaction\": {\"email\": true}}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("redaction").toString())
                .isEqualTo("{\"email\":true,\"phone\":false,\"card\":true}");
        assertThat(response.json().get("retentionDays").asInt()).isEqualTo(30);
        assertThat(server.patch("/v2/workspace", admin, "{\"retentionDays\": null}").json().get("retentionDays")
                .isNull()).isTrue();
    }

    @Test
    void onlyAnAdminKeyChangesSettingsOrReadsTheAuditLog() {
        assertThat(server.patch("/v2/workspace", writer, "{\"retentionDays\": 30}").status()).isEqualTo(403);
        assertThat(server.get("/v2/workspace/audit", writer).status()).isEqualTo(403);
        assertThat(server.get("/v2/workspace/audit", admin).status()).isEqualTo(200);
    }

    @Test
    void aRetentionOutsideItsRangeIsRefusedNamingTheField() {
        Response response = server.patch("/v2/workspace", admin, "{\"retentionDays\": 0}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/param").asText()).isEqualTo("retentionDays");
        assertThat(response.json().at("/error/message").asText()).isEqualTo("retentionDays must be a whole number of"
                + " days from 1 to 3650, or null to keep history for ever, got 0");
    }

    @Test
    void anExchangeIsStoredRedactedAndItsRetryIsStillA200() {
        redactEverything();
        String id = UUID.randomUUID().toString();

        Response first = server.post("/v2/bots/requests", writer, exchange(id, PERSONAL));
        Response retry = server.post("/v2/bots/requests", writer, exchange(id, PERSONAL));

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        JsonNode stored = server.get("/v2/bots/conversations/" + first.json().get("conversationId").asText(), writer)
                .json().get("botRequests").get(0);
        assertRedacted(stored);
    }

    static void assertRedacted(JsonNode request) {
        assertThat(request.get("question").asText()).isEqualTo(REDACTED);
        assertThat(request.get("answer").asText()).isEqualTo(REDACTED);
        assertThat(request.get("reasoning").asText()).isEqualTo(REDACTED);
        JsonNode cited = request.get("basedOn").get(0);
        assertThat(cited.get("title").asText()).isEqualTo(REDACTED);
        assertThat(cited.get("snippet").asText()).isEqualTo(REDACTED);
        // ids and urls are how a person's history is found: kept as sent
        assertThat(cited.get("url").asText()).isEqualTo("https://kb.example.com/anna@example.com");
        assertThat(cited.get("sourceId").asText()).isEqualTo("kb-1");
    }

    String importLine(UUID conversation, long updatedAt) {
        String text = PERSONAL;
        return ("{\"id\":\"%s\",\"externalId\":null,\"source\":\"api\",\"channel\":null,\"escalation\":false,"
                + "\"hasLinks\":true,\"feedbackType\":null,\"expectingUserFollowup\":false,\"url\":null,"
                + "\"categories\":[],\"createdAt\":%d,\"updatedAt\":%d,\"botRequests\":[{\"question\":\"%s\","
                + "\"answer\":\"%s\",\"categories\":[],\"escalation\":false,\"reasoning\":\"%s\",\"feedbackType\":null,"
                + "\"expectingUserFollowup\":false,\"createdAt\":%d,\"basedOn\":[{\"sourceId\":\"kb-1\",\"title\":\"%s\","
                + "\"snippet\":\"%s\",\"url\":\"https://kb.example.com/anna@example.com\"}],\"id\":\"%s\"}],"
                + "\"userId\":\"anna@example.com\"}").formatted(conversation, updatedAt, updatedAt, text, text, text,
                updatedAt, text, text, UUID.randomUUID());
    }

    @Test
    void anImportOverHttpIsStoredRedacted() {
        redactEverything();
        UUID id = UUID.randomUUID();

        Response response = TestServer.send(server.request("/v2/bots/conversations/import", writer)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(importLine(id, 1740407169191L) + "\n")));

        assertThat(response.status()).isEqualTo(200);
        assertRedacted(server.get("/v2/bots/conversations/" + id, writer).json().get("botRequests").get(0));
    }

    @Test
    void anImportFromTheCommandLineIsStoredRedacted() throws IOException {
        redactEverything();
        UUID id = UUID.randomUUID();
        Path file = Files.createTempFile("parley-privacy-", ".ndjson");
        Files.writeString(file, importLine(id, 1740407169191L) + "\n");

        int exit = cli("import", file.toString(), "--workspace", workspace);

        assertThat(exit).isZero();
        assertRedacted(server.get("/v2/bots/conversations/" + id, writer).json().get("botRequests").get(0));
    }

    @Test
    void aChangedSettingAppliesToLaterWritesUntilWorkspaceRedactRuns() {
        Response before = server.post("/v2/bots/requests", writer, exchange(UUID.randomUUID().toString(), PERSONAL));
        String conversation = before.json().get("conversationId").asText();
        // the default redacts cards only
        assertThat(before.json().get("question").asText()).isEqualTo(PERSONAL.replace("4111 1111 1111 1111", "[CARD]"));

        redactEverything();
        Response after = server.post("/v2/bots/requests", writer, exchange(UUID.randomUUID().toString(), PERSONAL));
        assertThat(after.json().get("question").asText()).isEqualTo(REDACTED);
        assertThat(server.get("/v2/bots/conversations/" + conversation, writer).json()
                .at("/botRequests/0/question").asText()).contains("anna.müller@beispiel.de");

        assertThat(cli("workspace", "redact", "--workspace", workspace)).isZero();

        assertRedacted(server.get("/v2/bots/conversations/" + conversation, writer).json().get("botRequests").get(0));
        assertThat(server.get("/v2/bots/requests/public?source=all&question=beispiel", writer).json()
                .get("conversations").size()).isZero();
        JsonNode audit = server.get("/v2/workspace/audit", admin).json().get("entries");
        assertThat(audit.get(0).get("action").asText()).isEqualTo("redact");
        assertThat(audit.get(0).get("keyId").isNull()).isTrue();
    }

    @Test
    void theCommandLineShowsAndChangesTheSettings() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Cli.run(new String[] {"workspace", "set", "--workspace", workspace, "--redact", "email,phone",
                "--retention-days", "90"}, env(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("name\t" + workspace + "\nredact\temail,phone\nretention-days\t90\n");
        assertThat(server.get("/v2/workspace", writer).json().get("redaction").toString())
                .isEqualTo("{\"email\":true,\"phone\":true,\"card\":false}");
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PARLEY_DATA_DIR", config.dataDir().toString());
        config.databaseUrl().ifPresent(url -> env.put("PARLEY_DATABASE_URL", url));
        return env;
    }

    int cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(args, env(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new UncheckedIOException(new IOException("parley " + String.join(" ", args) + " failed: "
                    + err.toString(StandardCharsets.UTF_8)));
        }
        return exit;
    }
}
