package dev.parley.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.testing.TestStores;
import dev.parley.transfer.DemoData;
import dev.parley.transfer.ExportFormat;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PostgreSQL only: an export reads the workspace a chunk at a time. Its one statement that joined
 * every match to its requests made PostgreSQL join and sort the whole workspace before the first
 * row — at 5,000,000 conversations past the statement timeout (docs/benchmarks.md, "Beyond one
 * million"). Here the database may not write a temporary file: a statement that sorted the
 * workspace would fail, one chunk at a time needs none. (SQLite reads by key in the order of an
 * index either way; it has no such limit to meet.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresqlExportTest {

    private static final int CONVERSATIONS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Config config = TestStores.POSTGRESQL.freshConfig();
    private final List<Conversation> newestFirst = new ArrayList<>();
    private long workspace;

    @BeforeAll
    void loadAndForbidTemporaryFiles() throws SQLException {
        try (Parley loader = Parley.open(config)) {
            workspace = workspace(loader);
            DemoData.generate(5, CONVERSATIONS, 500, batch -> {
                loader.history().writer().storeWhole(workspace, batch);
                newestFirst.addAll(batch);
            });
            loader.history().writer().afterGeneratedLoad();
        }
        // ids compared as the store does, byte by byte (Java's UUID order is signed)
        newestFirst.sort(Comparator.comparingLong(Conversation::createdAt)
                .thenComparing(conversation -> conversation.id().toString()).reversed());
        databaseSettings("temp_file_limit = 0");
    }

    @Test
    void anExportReadsAChunkAtATimeSoItNeedsNoMemoryThatGrowsWithTheWorkspace() throws Exception {
        List<JsonNode> exported = export(HistoryFilter.ALL);

        assertExported(exported, newestFirst);
    }

    private List<JsonNode> export(HistoryFilter filter) throws IOException {
        try (Parley parley = Parley.open(config)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            parley.export().write(workspace, filter, ExportFormat.NDJSON, out);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                lines.add(JSON.readTree(line));
            }
            return lines;
        }
    }

    private static void assertExported(List<JsonNode> exported, List<Conversation> expected) {
        assertThat(exported).extracting(line -> line.get("id").asText())
                .as("every match once, newest first")
                .containsExactlyElementsOf(expected.stream().map(conversation -> conversation.id().toString()).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(exported.get(i).get("botRequests")).extracting(request -> request.get("id").asText())
                    .as("the requests of %s, in order", expected.get(i).id())
                    .containsExactlyElementsOf(expected.get(i).botRequests().stream()
                            .map(request -> request.id().toString()).toList());
        }
    }

    /** A setting of every session opened on the database from now on. */
    private void databaseSettings(String setting) throws SQLException {
        try (Connection admin = DriverManager.getConnection(config.databaseUrl().orElseThrow());
             Statement statement = admin.createStatement()) {
            String database;
            try (ResultSet rows = statement.executeQuery("SELECT current_database()")) {
                rows.next();
                database = rows.getString(1);
            }
            statement.execute("ALTER DATABASE " + database + " SET " + setting);
        }
    }

    private static long workspace(Parley parley) {
        String secret = parley.keys().create(new WorkspaceName("exported"), Set.of(Scope.READ)).secret();
        return parley.keys().authenticate(secret).orElseThrow().workspaceId();
    }
}
