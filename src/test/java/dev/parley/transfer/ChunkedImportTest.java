package dev.parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.Config;
import dev.parley.history.Conflict;
import dev.parley.store.Database;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Imports commit chunk by chunk (issue 20): the writes beside a long import are answered while it
 * runs, and an import that fails after some chunks have committed is undone whole — replaced
 * conversations put back, new ones deleted — with the changes feed telling a mirror so.
 */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChunkedImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger WORKSPACES = new AtomicInteger();

    @Parameter
    TestStores store;

    Config config;
    TestServer server;

    @BeforeParameterizedClassInvocation
    void startServer() {
        config = store.freshConfig().withRateLimit(0);
        server = TestServer.start(config);
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        server.close();
    }

    @Test
    void anImportThatFailsInALaterChunkLeavesTheWorkspaceAsItWasAndTheFeedTellsAMirrorSo() throws Exception {
        Workspace workspace = newWorkspace("chunks");
        TransferTest.demoData(server.parley(), workspace.name(), 120, 7);
        UUID requestId = UUID.randomUUID();
        Response recorded = server.post("/v2/bots/requests", workspace.key(), exchange(requestId));
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        Response before = server.get("/v2/bots/conversations/export", workspace.key());
        List<JsonNode> stored = lines(before.body());

        // every stored conversation replaced (its first question changed), 150 new ones, and last a
        // line whose request id an earlier line of the import has: the last chunk conflicts
        StringBuilder file = new StringBuilder();
        for (JsonNode conversation : stored) {
            ObjectNode changed = conversation.deepCopy();
            ((ObjectNode) changed.get("botRequests").get(0)).put("question", "replaced by the import");
            file.append(changed).append('\n');
        }
        UUID sharedRequest = UUID.randomUUID();
        for (int i = 0; i < 150; i++) {
            file.append(newConversation(UUID.randomUUID(), i == 0 ? sharedRequest : UUID.randomUUID())).append('\n');
        }
        file.append(newConversation(UUID.randomUUID(), sharedRequest)).append('\n');
        Import inSmallChunks = server.parley().importer().inChunksOf(40);

        assertThatThrownBy(() -> inSmallChunks.from(workspace.id(),
                new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE, n -> { }))
                .isInstanceOf(Conflict.class);

        Response after = server.get("/v2/bots/conversations/export", workspace.key());
        assertThat(after.body()).isEqualTo(before.body());
        Map<String, JsonNode> mirror = new LinkedHashMap<>();
        stored.forEach(conversation -> mirror.put(conversation.get("id").asText(), conversation));
        follow(workspace.key(), before.header("Parley-Changes-Cursor"), mirror);
        assertThat(mirror).isEqualTo(byId(lines(after.body())));
        Response retried = server.post("/v2/bots/requests", workspace.key(), exchange(requestId));
        assertThat(retried.status()).as("a retry of a write the import had replaced is still recognised: "
                + retried.body()).isEqualTo(200);
    }

    @Test
    void aConversationAnImportWritesInTwoChunksIsPutBackAsItWasBeforeTheFirst() throws Exception {
        Workspace workspace = newWorkspace("twice");
        TransferTest.demoData(server.parley(), workspace.name(), 20, 3);
        Response before = server.get("/v2/bots/conversations/export", workspace.key());
        List<JsonNode> stored = lines(before.body());
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            created.add(UUID.randomUUID());
        }

        // chunks of 40: the stored and the new conversations in the first, again (changed) in the
        // third, a line that conflicts with the first chunk last
        StringBuilder file = new StringBuilder();
        UUID sharedRequest = UUID.randomUUID();
        for (int round = 1; round <= 2; round++) {
            for (JsonNode conversation : stored) {
                ObjectNode changed = conversation.deepCopy();
                ((ObjectNode) changed.get("botRequests").get(0)).put("question", "the import's change " + round);
                file.append(changed).append('\n');
            }
            for (UUID id : created) {
                file.append(newConversation(id, UUID.randomUUID())).append('\n');
            }
            for (int i = 0; i < 50; i++) {
                UUID requestId = round == 1 && i == 0 ? sharedRequest : UUID.randomUUID();
                file.append(newConversation(UUID.randomUUID(), requestId)).append('\n');
            }
        }
        file.append(newConversation(UUID.randomUUID(), sharedRequest)).append('\n');

        assertThatThrownBy(() -> server.parley().importer().inChunksOf(40).from(workspace.id(),
                new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE, n -> { }))
                .isInstanceOf(Conflict.class);

        assertThat(server.get("/v2/bots/conversations/export", workspace.key()).body()).isEqualTo(before.body());
        assertThat(journalRows(workspace.id())).as("the undone import's journal is gone").isZero();
    }

    @Test
    void anImportThatSucceedsLeavesNoJournalBehind() throws Exception {
        Workspace workspace = newWorkspace("journal");
        StringBuilder file = new StringBuilder();
        UUID again = UUID.randomUUID();
        for (int i = 0; i < 95; i++) {
            file.append(newConversation(i % 45 == 0 ? again : UUID.randomUUID(), UUID.randomUUID())).append('\n');
        }

        long imported = server.parley().importer().inChunksOf(10).from(workspace.id(),
                new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)), Long.MAX_VALUE, n -> { });

        assertThat(imported).isEqualTo(95);
        assertThat(lines(server.get("/v2/bots/conversations/export", workspace.key()).body())).hasSize(93);
        assertThat(journalRows(workspace.id())).isZero();
    }

    @Test
    void aPostBesideALongImportIsAnsweredBeforeTheImportEnds() throws Exception {
        String key = server.newKey("beside" + WORKSPACES.incrementAndGet(), Scope.READ, Scope.WRITE);
        UUID first = UUID.randomUUID();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            file.append(newConversation(i == 0 ? first : UUID.randomUUID(), UUID.randomUUID())).append('\n');
        }
        CompletableFuture<HttpResponse<String>> importing = java.net.http.HttpClient.newHttpClient().sendAsync(
                server.request("/v2/bots/conversations/import", key).timeout(java.time.Duration.ofMinutes(10))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(file.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        while (server.get("/v2/bots/conversations/" + first, key).status() == 404) {
            assertThat(importing).as("the import's first chunk is visible before the import ends").isNotDone();
            Thread.sleep(20);
        }

        Response posted = server.post("/v2/bots/requests", key, exchange(UUID.randomUUID()));
        boolean importStillRunning = !importing.isDone();

        assertThat(posted.status()).as(posted.body()).isEqualTo(201);
        assertThat(importStillRunning).as("the POST was answered while the import ran").isTrue();
        HttpResponse<String> imported = importing.get();
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(imported.body()).isEqualTo("{\"imported\":10000}");
    }

    /** Applies the feed's changes after {@code cursor} to a mirror, until the feed has no more. */
    private void follow(String key, String cursor, Map<String, JsonNode> mirror) throws IOException {
        while (true) {
            Response page = server.get("/v2/bots/conversations/changes?limit=100&cursor="
                    + URLEncoder.encode(cursor, StandardCharsets.UTF_8), key);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode changes = page.json();
            for (JsonNode change : changes.get("changes")) {
                String id = change.get("conversationId").asText();
                if (change.get("type").asText().equals("delete")) {
                    mirror.remove(id);
                } else {
                    mirror.put(id, change.get("conversation"));
                }
            }
            cursor = changes.get("nextCursor").asText();
            if (!changes.get("hasMore").asBoolean()) {
                return;
            }
        }
    }

    private static String exchange(UUID requestId) {
        return """
                {"id": "%s", "source": "api", "question": "asked before the import", "answer": "a"}"""
                .formatted(requestId);
    }

    private static String newConversation(UUID id, UUID requestId) {
        return """
                {"id":"%s","source":"zendesk","botRequests":[{"id":"%s","question":"new","answer":"b",\
                "createdAt":1700000000000}]}""".formatted(id, requestId);
    }

    private static List<JsonNode> lines(String ndjson) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static Map<String, JsonNode> byId(List<JsonNode> conversations) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        conversations.forEach(conversation -> byId.put(conversation.get("id").asText(), conversation));
        return byId;
    }

    /** A workspace of a test's own, and a key that reads and writes it. */
    private record Workspace(String name, String key, long id) {
    }

    private Workspace newWorkspace(String prefix) {
        String name = prefix + WORKSPACES.incrementAndGet();
        return new Workspace(name, server.newKey(name, Scope.READ, Scope.WRITE),
                server.parley().keys().ensureWorkspace(new WorkspaceName(name)));
    }

    /** The workspace's rows in the imports' undo journal, read from the store itself, not through Parley. */
    private long journalRows(long workspaceId) throws SQLException {
        String url = config.databaseUrl().orElse("jdbc:sqlite:" + config.dataDir().resolve(Database.SQLITE_FILE));
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM import_undo WHERE workspace_id = ?")) {
            query.setLong(1, workspaceId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
