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
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL only: an export reads the workspace a chunk at a time. Its one statement that joined
 * every match to its requests made PostgreSQL join and sort the whole workspace before the first
 * row — at 5,000,000 conversations past the statement timeout (docs/benchmarks.md, "Beyond one
 * million"). Here the database has the least memory for sorts it allows and may not write a
 * temporary file: a statement that sorted the workspace would fail, one chunk at a time needs
 * neither. (SQLite reads by key in the order of an index either way; it has no such limit to meet.)
 */
class PostgresqlExportTest {

    private static final int CONVERSATIONS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anExportReadsAChunkAtATimeSoItNeedsNoMemoryThatGrowsWithTheWorkspace() throws Exception {
        Config config = TestStores.POSTGRESQL.freshConfig();
        List<Conversation> generated = new ArrayList<>();
        long workspace;
        try (Parley loader = Parley.open(config)) {
            workspace = workspace(loader);
            DemoData.generate(5, CONVERSATIONS, 500, batch -> {
                loader.history().writer().storeWhole(workspace, batch);
                generated.addAll(batch);
            });
            loader.history().writer().afterGeneratedLoad();
        }
        nothingMaySpillToDisk(config.databaseUrl().orElseThrow());

        List<JsonNode> exported;
        try (Parley parley = Parley.open(config)) {
            exported = ndjsonExport(parley, workspace);
        }

        // ids compared as the store does, byte by byte (Java's UUID order is signed)
        generated.sort(Comparator.comparingLong(Conversation::createdAt)
                .thenComparing(conversation -> conversation.id().toString()).reversed());
        assertThat(exported).hasSize(CONVERSATIONS);
        assertThat(exported).extracting(line -> line.get("id").asText())
                .as("every conversation once, newest first")
                .containsExactlyElementsOf(generated.stream().map(conversation -> conversation.id().toString()).toList());
        for (int i = 0; i < CONVERSATIONS; i++) {
            assertThat(exported.get(i).get("botRequests")).extracting(request -> request.get("id").asText())
                    .as("the requests of %s, in order", generated.get(i).id())
                    .containsExactlyElementsOf(generated.get(i).botRequests().stream()
                            .map(request -> request.id().toString()).toList());
        }
    }

    /** Sessions opened from now on fail rather than write a temporary file (a sort or a hash past {@code work_mem}). */
    private static void nothingMaySpillToDisk(String url) throws SQLException {
        try (Connection admin = DriverManager.getConnection(url); Statement statement = admin.createStatement()) {
            String database;
            try (ResultSet rows = statement.executeQuery("SELECT current_database()")) {
                rows.next();
                database = rows.getString(1);
            }
            statement.execute("ALTER DATABASE " + database + " SET temp_file_limit = 0");
        }
    }

    private static List<JsonNode> ndjsonExport(Parley parley, long workspace) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parley.export().write(workspace, HistoryFilter.ALL, ExportFormat.NDJSON, out);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static long workspace(Parley parley) {
        String secret = parley.keys().create(new WorkspaceName("exported"), Set.of(Scope.READ)).secret();
        return parley.keys().authenticate(secret).orElseThrow().workspaceId();
    }
}
