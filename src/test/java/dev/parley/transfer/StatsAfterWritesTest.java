package dev.parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.Config;
import dev.parley.store.Database;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stats rollup (issue 20) against the history itself: after every kind of write, and again
 * once its deltas are folded, the stats of each filter equal those its export implies: filters
 * the rollup answers (sources, escalation, one category, windows whose edges cut days) and those
 * it does not, in a workspace beside another that holds the same ids.
 */
class StatsAfterWritesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY = 86_400_000L;
    /**
     * Inside the demo data's half year, at an hour that cuts a day: windows from it leave most of
     * their first day in (counted as the day less its start) and, twelve hours later, little of it.
     */
    private static final long MIDDLE = DemoData.END - 90 * DAY + 7 * 3_600_000L + 123;
    private static final List<String> FILTERS = List.of("", "?source=zendesk,slack", "?source=widget",
            "?escalation=true", "?escalation=false&source=zendesk", "?category=billing",
            "?category=fini-other&escalation=true", "?category=refunds&source=widget,zendesk",
            "?startEpoch=" + MIDDLE + "&endEpoch=" + (MIDDLE + 40 * DAY),
            "?startEpoch=" + (MIDDLE - MIDDLE % DAY) + "&endEpoch=" + (MIDDLE - MIDDLE % DAY + 3 * DAY),
            "?startEpoch=" + MIDDLE + "&endEpoch=" + (MIDDLE + 3 * 3_600_000L),
            "?startEpoch=" + (MIDDLE + 12 * 3_600_000L) + "&endEpoch=" + (MIDDLE + 12 * 3_600_000L + 20 * DAY)
                    + "&category=billing",
            "?endEpoch=" + MIDDLE, "?startEpoch=" + MIDDLE + "&category=orders&escalation=true&source=widget",
            "?feedbackType=thumbs_down", "?hasLinks=true&category=billing", "?question=order",
            "?category=billing,refunds", "?userId=user-7");

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void statsEqualWhatTheHistoryImpliesAfterEveryKindOfWrite(TestStores store) throws IOException {
        try (TestServer server = TestServer.start(store)) {
            Workspace one = new Workspace(server, "stats-one");
            Workspace two = new Workspace(server, "stats-two");
            TransferTest.demoData(server.parley(), "stats-one", 300, 5);
            one.check("demo data (bulk path)");
            two.importLines(one.export("").body());
            two.check("an import of new conversations");

            String conversation = UUID.randomUUID().toString();
            one.post(conversation, "widget", MIDDLE, List.of("billing"), false, "see https://help.example.com/a");
            one.check("a new conversation");
            long hour = 3_600_000L;
            for (long at : List.of(MIDDLE - 5 * hour, MIDDLE + 3 * hour, MIDDLE + 14 * hour,
                    MIDDLE + 20 * DAY + 11 * hour, MIDDLE + 20 * DAY + 14 * hour)) {
                one.post(UUID.randomUUID().toString(), "widget", at, List.of("billing"), false, "plain");
            }
            one.check("conversations on both sides of the windows' edges, in their days");
            String appended = one.post(conversation, "widget", MIDDLE + 60_000, List.of("shipping", "refunds"), true,
                    "no link");
            one.check("an exchange that escalates and adds categories");
            JsonNode existing = one.conversations().get(7);
            one.post(existing.get("id").asText(), existing.get("source").asText(), existing.get("createdAt").asLong(),
                    List.of("billing"), false, "plain");
            one.check("an exchange appended to a stored conversation");

            for (String feedback : List.of("\"thumbs_up\"", "\"thumbs_down\"", "null")) {
                assertThat(one.put("/v2/bots/requests/" + appended + "/feedback", "{\"feedbackType\": " + feedback + "}")
                        .status()).isEqualTo(200);
                one.check("feedback " + feedback);
            }
            server.parley().statsCompaction().compact();
            one.check("a fold of the deltas");

            ObjectNode replaced = (ObjectNode) one.conversations().get(11).deepCopy();
            replaced.put("source", "discord");
            replaced.put("createdAt", MIDDLE + 2 * DAY);
            replaced.put("escalation", !replaced.get("escalation").asBoolean());
            replaced.put("feedbackType", "thumbs_up");
            replaced.putArray("categories").add("billing").add("legal-hold");
            one.importLines(replaced + "\n" + TransferTest.TRICKY_CONVERSATION + "\n");
            one.check("an import replacing a conversation");

            assertThat(one.delete("/v2/bots/conversations/" + one.conversations().get(3).get("id").asText()).status())
                    .isEqualTo(204);
            one.check("a deletion");
            String user = one.conversations().stream().filter(c -> !c.get("userId").isNull()).findFirst().orElseThrow()
                    .get("userId").asText();
            assertThat(one.delete("/v2/bots/users/" + user + "/conversations").json().get("deleted").asInt())
                    .isPositive();
            one.check("an erasure of a user");

            server.patch("/v2/workspace", one.admin, "{\"redaction\": {\"email\": true, \"phone\": true, \"card\": true}}");
            one.post(UUID.randomUUID().toString(), "api", MIDDLE, List.of("billing"), false, "mail anna@example.com");
            server.parley().storedRedaction().run(one.id(), progress -> { });
            one.check("a redaction of the stored history");

            server.parley().statsCompaction().compact();
            server.patch("/v2/workspace", one.admin, "{\"retentionDays\": 60}");
            long before = one.conversations().size();
            server.parley().retentionSweep().sweep();
            assertThat(one.conversations()).hasSizeLessThan((int) before);
            one.check("a retention sweep");
            two.check("the other workspace, untouched by all of it");

            server.parley().statsCompaction().compact();
            one.check("a last fold");
            two.check("a last fold, in the other workspace");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void theMigrationCountsTheHistoryStoredBeforeIt(TestStores store) throws Exception {
        Config config = store.freshConfig();
        try (TestServer server = TestServer.start(config)) {
            Workspace one = new Workspace(server, "before-one");
            TransferTest.demoData(server.parley(), "before-one", 200, 8);
            one.post(UUID.randomUUID().toString(), "slack", MIDDLE, List.of("billing", "billing"), true, "x");
            TransferTest.demoData(server.parley(), "before-two", 50, 9);
        }
        withoutTheRollup(store, config);
        try (TestServer server = TestServer.start(config)) {
            Workspace one = new Workspace(server, "before-one");
            Workspace two = new Workspace(server, "before-two");
            one.check("the migration");
            two.check("the migration, in another workspace");
        }
    }

    /**
     * The store as it was before migration 8: the same history, no rollup, versions 8 and later not
     * applied (Flyway applies no migration below one already applied, so the later ones go too).
     */
    private static void withoutTheRollup(TestStores store, Config config) throws SQLException {
        String url = config.databaseUrl().orElse("jdbc:sqlite:" + config.dataDir().resolve(Database.SQLITE_FILE));
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            if (store == TestStores.POSTGRESQL) {
                statement.execute("DROP FUNCTION parley_stats_conversation_changed() CASCADE");
                statement.execute("DROP FUNCTION parley_stats_share(conversations, INTEGER, BOOLEAN, BOOLEAN)");
            } else {
                for (String trigger : List.of("stats_conversation_insert", "stats_conversation_delete",
                        "stats_conversation_update", "stats_conversation_requests", "stats_conversation_pairs_update")) {
                    statement.execute("DROP TRIGGER " + trigger);
                }
            }
            statement.execute("DROP TABLE stats_rollup");
            statement.execute("DROP TABLE stats_category_pairs");
            statement.execute("DROP TABLE import_undo"); // migration 9
            statement.execute("DROP TABLE import_runs");
            // migration 10's indexes went with the tables; 11 replaces an index, and does it again
            assertThat(statement.executeUpdate(
                    "DELETE FROM flyway_schema_history WHERE version IN ('8', '9', '10', '11')")).isEqualTo(4);
        }
    }

    /** One workspace's keys, its writes, and the check of its stats against its export. */
    private static final class Workspace {
        private final TestServer server;
        private final String key;
        private final String admin;

        Workspace(TestServer server, String name) {
            this.server = server;
            this.key = server.newKey(name, Scope.READ, Scope.WRITE);
            this.admin = server.newKey(name, Scope.ADMIN);
        }

        long id() {
            return server.parley().keys().authenticate(key).orElseThrow().workspaceId();
        }

        void check(String after) throws IOException {
            for (String filter : FILTERS) {
                Response stats = server.get("/v2/bots/stats" + filter, key);
                List<JsonNode> matches = new ArrayList<>();
                for (String line : export(filter).body().lines().toList()) {
                    matches.add(JSON.readTree(line));
                }
                assertThat(stats.body()).as("after %s, stats%s", after, filter)
                        .isEqualTo(TransferTest.expectedStats(matches).toString());
            }
        }

        List<JsonNode> conversations() {
            return export("").body().lines().map(line -> {
                try {
                    return JSON.readTree(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }

        Response export(String filter) {
            return server.get("/v2/bots/conversations/export" + filter, key);
        }

        void importLines(String ndjson) {
            Response imported = TestServer.send(server.request("/v2/bots/conversations/import", key)
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson)));
            assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        }

        /** Records an exchange; answers the stored request's id. */
        String post(String conversation, String source, long createdAt, List<String> categories, boolean escalation,
                    String answer) {
            ObjectNode body = JSON.createObjectNode().put("conversationId", conversation).put("source", source)
                    .put("question", "where is my order?").put("answer", answer).put("createdAt", createdAt)
                    .put("escalation", escalation).put("userId", "stats-user");
            categories.forEach(body.putArray("categories")::add);
            Response posted = server.post("/v2/bots/requests", key, body.toString());
            assertThat(posted.status()).as(posted.body()).isIn(200, 201);
            return posted.json().get("id").asText();
        }

        Response put(String path, String json) {
            return server.put(path, key, json);
        }

        Response delete(String path) {
            return server.delete(path, key);
        }
    }
}
