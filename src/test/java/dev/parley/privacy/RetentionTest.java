package dev.parley.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Retention (SPEC §10): with {@code retentionDays} N, conversations unchanged for more than N days
 * are erased by the background sweep within two of its intervals, younger ones kept, each erased
 * one leaving a tombstone and the sweep its audit entries; the bots writing meanwhile see no failure.
 */
@ParameterizedClass
@EnumSource(TestStores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionTest {

    private static final Duration SWEEP = Duration.ofSeconds(1);
    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final AtomicInteger WORKSPACES = new AtomicInteger();

    @Parameter
    TestStores store;

    Config config;
    TestServer server;
    String key;
    String admin;
    long workspaceId;

    @BeforeParameterizedClassInvocation
    void startServer() {
        config = store.freshConfig().withRetentionSweep(SWEEP);
        server = TestServer.start(config);
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        server.close();
    }

    @BeforeEach
    void newWorkspace() {
        String workspace = "r" + WORKSPACES.incrementAndGet();
        key = server.newKey(workspace, Scope.READ, Scope.WRITE);
        admin = server.newKey(workspace, Scope.ADMIN);
        workspaceId = server.parley().keys().authenticate(key).orElseThrow().workspaceId();
    }

    static String line(UUID id, long updatedAt) {
        return ("{\"id\":\"%s\",\"externalId\":null,\"source\":\"api\",\"channel\":null,\"escalation\":false,"
                + "\"hasLinks\":false,\"feedbackType\":null,\"expectingUserFollowup\":false,\"url\":null,"
                + "\"categories\":[],\"createdAt\":%d,\"updatedAt\":%d,\"botRequests\":[{\"question\":\"old question\","
                + "\"answer\":\"old answer\",\"categories\":[],\"escalation\":false,\"reasoning\":null,"
                + "\"feedbackType\":null,\"expectingUserFollowup\":false,\"createdAt\":%d,\"basedOn\":[],"
                + "\"id\":\"%s\"}],\"userId\":null}").formatted(id, updatedAt, updatedAt, updatedAt, UUID.randomUUID());
    }

    void importAged(List<UUID> ids, long ageDays) {
        StringBuilder body = new StringBuilder();
        long updatedAt = System.currentTimeMillis() - ageDays * DAY_MS;
        for (UUID id : ids) {
            body.append(line(id, updatedAt)).append('\n');
        }
        Response response = TestServer.send(server.request("/v2/bots/conversations/import", key)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    static List<UUID> ids(int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }

    @Test
    void conversationsOlderThanTheRetentionGoWithinTwoSweepsAndYoungerOnesStayWhileBotsWrite() throws Exception {
        List<UUID> old = ids(450);
        List<UUID> young = ids(20);
        importAged(old, 40);
        importAged(young, 10);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        CompletableFuture<Void> bots = CompletableFuture.runAsync(() -> {
            while (writing.get()) {
                Response response = server.post("/v2/bots/requests", key,
                        "{\"source\": \"widget\", \"question\": \"still there?\", \"answer\": \"yes\"}");
                if (response.status() != 201) {
                    synchronized (failures) {
                        failures.add(response.toString());
                    }
                }
                written.incrementAndGet();
            }
        });

        long changedAt = System.nanoTime();
        server.patch("/v2/workspace", admin, "{\"retentionDays\": 30}");
        // two intervals, and a margin for a machine that other builds share
        long deadline = changedAt + SWEEP.multipliedBy(2).plusSeconds(8).toNanos();
        while (tombstones(old) < old.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - changedAt) / 1e9;
        writing.set(false);
        bots.get();

        System.out.printf("retention: %d conversations erased in %.1f s (sweep every %s) beside %d writes%n",
                old.size(), seconds, SWEEP, written.get());
        assertThat(tombstones(old)).isEqualTo(old.size());
        assertThat(server.get("/v2/bots/conversations/" + old.get(0), key).status()).isEqualTo(404);
        for (UUID id : young) {
            assertThat(server.get("/v2/bots/conversations/" + id, key).status()).isEqualTo(200);
        }
        assertThat(failures).isEmpty();
        assertThat(written.get()).isPositive();
        JsonNode entries = server.get("/v2/workspace/audit", admin).json().get("entries");
        int swept = 0;
        for (JsonNode entry : entries) {
            assertThat(entry.get("action").asText()).isEqualTo("retention_sweep");
            assertThat(entry.get("keyId").isNull()).isTrue();
            swept += entry.get("conversations").asInt();
        }
        assertThat(swept).isEqualTo(old.size());
    }

    @Test
    void twoInstancesSweepingAtOnceEraseEachConversationOnce() throws Exception {
        server.patch("/v2/workspace", admin, "{\"retentionDays\": 3650}"); // nothing to sweep yet
        List<UUID> old = ids(600);
        importAged(old, 4000);
        server.patch("/v2/workspace", admin, "{\"retentionDays\": 30}");
        try (Parley other = Parley.open(config)) {
            CompletableFuture<Integer> mine = CompletableFuture.supplyAsync(() -> server.parley().retentionSweep().sweep());
            CompletableFuture<Integer> theirs = CompletableFuture.supplyAsync(() -> other.retentionSweep().sweep());
            int erasedHere = mine.get() + theirs.get();
            // the background sweep may have taken some first; together every one goes once
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (tombstones(old) < old.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(erasedHere).isLessThanOrEqualTo(old.size());
        }
        assertThat(tombstones(old)).isEqualTo(old.size());
        int swept = 0;
        for (JsonNode entry : server.get("/v2/workspace/audit", admin).json().get("entries")) {
            swept += entry.get("conversations").asInt();
        }
        assertThat(swept).isEqualTo(old.size());
    }

    /** How many of these conversations have a tombstone (read straight from the store). */
    int tombstones(List<UUID> ids) throws SQLException {
        String url = config.databaseUrl().orElse("jdbc:sqlite:" + config.dataDir().resolve("parley.db"));
        try (Connection connection = DriverManager.getConnection(url);
             var query = connection.prepareStatement("SELECT conversation_id FROM conversation_tombstones"
                     + " WHERE workspace_id = ?")) {
            query.setLong(1, workspaceId);
            List<String> wanted = ids.stream().map(UUID::toString).toList();
            int found = 0;
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    if (wanted.contains(rows.getString(1))) {
                        found++;
                    }
                }
            }
            return found;
        }
    }
}
