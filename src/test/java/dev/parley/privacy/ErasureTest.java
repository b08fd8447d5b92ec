package dev.parley.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.store.Database;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

/**
 * Erasure is complete when it answers (SPEC §10): unique markers planted in questions, answers,
 * reasoning and cited snippets are found before a DELETE (or a retention sweep) and nowhere right
 * after it answers — on SQLite not in the bytes of the database file or its WAL; on PostgreSQL in
 * no row, no search (the question filter, served by the trigram index), no export and no failing
 * question (the marked exchanges are escalated, so their questions are copied into
 * {@code failing_requests} too). Each erasure is audited.
 */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErasureTest {

    private static final AtomicInteger WORKSPACES = new AtomicInteger();
    private final Random random = new Random();

    @Parameter
    TestStores store;

    Config config;
    TestServer server;
    String key;
    String admin;

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
        String workspace = "e" + WORKSPACES.incrementAndGet();
        key = server.newKey(workspace, Scope.READ, Scope.WRITE);
        admin = server.newKey(workspace, Scope.ADMIN);
    }

    /** Letters only, lowercase: the same in the text and its folded copy, untouched by redaction. */
    String marker(String where) {
        StringBuilder marker = new StringBuilder("zq" + where);
        for (int i = 0; i < 16; i++) {
            marker.append((char) ('a' + random.nextInt(26)));
        }
        return marker.toString();
    }

    /**
     * Records an escalated exchange whose four texts each hold a marker of their own; answers the
     * markers, its question's first.
     */
    List<String> recordMarked(String userId, String conversationId) {
        List<String> markers = List.of(marker("question"), marker("answer"), marker("reasoning"), marker("snippet"));
        Response response = server.post("/v2/bots/requests", key, """
                {"source": "api", "userId": "%s", "conversationId": "%s", "question": "Where is %s?",
                 "answer": "Here: %s", "reasoning": "because %s", "escalation": true, "basedOn": [{"sourceId": "kb", "snippet": "see %s"}]}"""
                .formatted(userId, conversationId, markers.get(0), markers.get(1), markers.get(2), markers.get(3)));
        assertThat(response.status()).isEqualTo(201);
        return markers;
    }

    @Test
    void aDeletedConversationLeavesNoTraceOfItsText() {
        String conversation = UUID.randomUUID().toString();
        List<String> markers = new ArrayList<>(recordMarked("u-" + conversation, conversation));
        markers.addAll(recordMarked("u-" + conversation, conversation));
        markers.forEach(marker -> assertThat(inStore(marker)).as("before erasure: " + marker).isTrue());
        assertThat(failingQuestions()).as("before erasure").contains(markers.get(0));

        assertThat(server.delete("/v2/bots/conversations/" + conversation, key).status()).isEqualTo(204);

        markers.forEach(marker -> assertThat(foundAnywhere(marker)).as("after erasure: " + marker).isFalse());
        var entry = server.get("/v2/workspace/audit", admin).json().get("entries").get(0);
        assertThat(entry.get("action").asText()).isEqualTo("delete_conversation");
        assertThat(entry.get("conversations").asInt()).isEqualTo(1);
        assertThat(entry.get("keyId").asText()).isNotEmpty();
        assertThat(entry.toString()).doesNotContain("zq");
    }

    @Test
    void anErasedUserLeavesNoTraceOfTheirTextAndTheAuditLogNoneOfThem() {
        String user = "erase-me-" + UUID.randomUUID();
        List<String> markers = new ArrayList<>(recordMarked(user, UUID.randomUUID().toString()));
        markers.addAll(recordMarked(user, UUID.randomUUID().toString()));
        List<String> kept = recordMarked("someone-else", UUID.randomUUID().toString());
        markers.forEach(marker -> assertThat(inStore(marker)).as("before erasure: " + marker).isTrue());
        assertThat(failingQuestions()).as("before erasure").contains(markers.get(0));

        Response erased = server.delete("/v2/bots/users/" + user + "/conversations", key);

        assertThat(erased.json().get("deleted").asInt()).isEqualTo(2);
        markers.forEach(marker -> assertThat(foundAnywhere(marker)).as("after erasure: " + marker).isFalse());
        kept.forEach(marker -> assertThat(inStore(marker)).as("another user's: " + marker).isTrue());
        var entry = server.get("/v2/workspace/audit", admin).json().get("entries").get(0);
        assertThat(entry.get("action").asText()).isEqualTo("erase_user");
        assertThat(entry.get("conversations").asInt()).isEqualTo(2);
        assertThat(entry.toString()).doesNotContain(user);
    }

    @Test
    void aSweptConversationLeavesNoTraceOfItsText() {
        String question = marker("question");
        String answer = marker("answer");
        String reasoning = marker("reasoning");
        String snippet = marker("snippet");
        long longAgo = System.currentTimeMillis() - java.time.Duration.ofDays(400).toMillis();
        String line = ("{\"id\":\"%s\",\"source\":\"api\",\"createdAt\":%d,\"updatedAt\":%d,\"botRequests\":"
                + "[{\"question\":\"%s\",\"answer\":\"%s\",\"reasoning\":\"%s\",\"escalation\":true,\"createdAt\":%d,"
                + "\"basedOn\":[{\"sourceId\":\"kb\",\"snippet\":\"%s\"}]}]}")
                .formatted(UUID.randomUUID(), longAgo, longAgo, question, answer, reasoning, longAgo, snippet);
        Response imported = TestServer.send(server.request("/v2/bots/conversations/import", key)
                .header("Content-Type", "application/x-ndjson")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(line + "\n")));
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        List<String> markers = List.of(question, answer, reasoning, snippet);
        markers.forEach(marker -> assertThat(inStore(marker)).as("before the sweep: " + marker).isTrue());
        assertThat(failingQuestions()).as("before the sweep").contains(question);

        server.patch("/v2/workspace", admin, "{\"retentionDays\": 365}");
        server.parley().retentionSweep().sweep();

        markers.forEach(marker -> assertThat(foundAnywhere(marker)).as("after the sweep: " + marker).isFalse());
        var entry = server.get("/v2/workspace/audit", admin).json().get("entries").get(0);
        assertThat(entry.get("action").asText()).isEqualTo("retention_sweep");
        assertThat(entry.get("keyId").isNull()).isTrue();
    }

    /** Whether any place this store keeps text still holds the marker. */
    boolean foundAnywhere(String marker) {
        boolean viaApi = server.get("/v2/bots/requests/public?source=all&question=" + marker.substring(0, 12), key)
                .body().contains(marker)
                || server.get("/v2/bots/conversations/export", key).body().contains(marker)
                || failingQuestions().contains(marker);
        return viaApi || inStore(marker);
    }

    /** The failing questions of the whole history, as the insight answers them. */
    String failingQuestions() {
        Response response = server.get("/v2/bots/insights/failing-questions?startEpoch=0&limit=100", key);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** In the bytes of the SQLite files, or in a PostgreSQL row (of the requests or their failing copies). */
    boolean inStore(String marker) {
        return store == TestStores.SQLITE ? inSqliteFiles(marker) : inPostgresRows(marker);
    }

    boolean inSqliteFiles(String marker) {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        for (String name : List.of(Database.SQLITE_FILE, Database.SQLITE_FILE + "-wal")) {
            Path file = config.dataDir().resolve(name);
            try {
                if (Files.exists(file) && indexOf(Files.readAllBytes(file), needle) >= 0) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    boolean inPostgresRows(String marker) {
        try (Connection connection = DriverManager.getConnection(config.databaseUrl().orElseThrow());
             var query = connection.prepareStatement("SELECT (SELECT COUNT(*) FROM bot_requests WHERE question LIKE ?"
                     + " OR answer LIKE ? OR reasoning LIKE ? OR based_on LIKE ? OR question_folded LIKE ?"
                     + " OR answer_folded LIKE ?) + (SELECT COUNT(*) FROM failing_requests WHERE question LIKE ?)")) {
            for (int i = 1; i <= 7; i++) {
                query.setString(i, "%" + marker + "%");
            }
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
