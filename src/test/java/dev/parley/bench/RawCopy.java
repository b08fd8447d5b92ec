package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The floor for imports on PostgreSQL: the rows Parley stores for an NDJSON export (the columns
 * and values of history.WholeConversationLoad), written beforehand as COPY text, then loaded with
 * {@code COPY ... FROM STDIN} into the same schema with the same indexes.
 */
final class RawCopy implements AutoCloseable {

    static final List<String> TABLES = List.of("conversations", "bot_requests", "conversation_categories",
            "conversation_citations");
    private static final Map<String, String> COLUMNS = Map.of(
            "conversations", "workspace_id, id, external_id, source, channel, escalation, has_links, feedback_type,"
                    + " expecting_user_followup, url, categories, created_at, updated_at, user_id, change_seq",
            "bot_requests", "workspace_id, id, conversation_id, position, question, answer, question_folded,"
                    + " answer_folded, categories, escalation, reasoning, feedback_type, expecting_user_followup,"
                    + " created_at, based_on, content_hash",
            "conversation_categories", "workspace_id, category, created_at, conversation_id",
            "conversation_citations", "workspace_id, source_id, created_at, conversation_id");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Path> files;

    private RawCopy(Map<String, Path> files) {
        this.files = files;
    }

    /** Converts an NDJSON export into one COPY text file per table, in {@code dir}; not timed. */
    static RawCopy convert(Path ndjson, long workspace, Path dir) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, Writer> out = new LinkedHashMap<>();
        for (String table : TABLES) {
            files.put(table, dir.resolve(table + ".copy"));
            out.put(table, Files.newBufferedWriter(files.get(table), StandardCharsets.UTF_8));
        }
        try (BufferedReader lines = Files.newBufferedReader(ndjson, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    writeRows(JSON.readTree(line), workspace, out);
                }
            }
        } finally {
            for (Writer writer : out.values()) {
                writer.close();
            }
        }
        return new RawCopy(files);
    }

    /** Loads the four tables in one transaction; answers the seconds it took. */
    double load(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            long started = System.nanoTime();
            for (String table : TABLES) {
                try (InputStream in = Files.newInputStream(files.get(table))) {
                    copy.copyIn("COPY " + table + " (" + COLUMNS.get(table) + ") FROM STDIN", in, 1 << 16);
                }
            }
            connection.commit();
            return (System.nanoTime() - started) / 1e9;
        }
    }

    /** The converted rows are large (the text twice, folded and not): they go when the figure is taken. */
    @Override
    public void close() throws IOException {
        for (Path file : files.values()) {
            Files.deleteIfExists(file);
        }
    }

    static long defaultWorkspace(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM workspaces WHERE name = 'default'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Rows in each of the four tables, to hold an import and a COPY to the same result. */
    static Map<String, Long> rowCounts(String url) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rows.next();
                    counts.put(table, rows.getLong(1));
                }
            }
        }
        return counts;
    }

    /** One conversation's rows, as an import stores a line of the export: requests oldest first. */
    private static void writeRows(JsonNode conversation, long workspace, Map<String, Writer> out) throws IOException {
        String id = conversation.get("id").textValue();
        long createdAt = conversation.get("createdAt").longValue();
        row(out.get("conversations"), workspace, id, text(conversation, "externalId"),
                conversation.get("source").textValue(), text(conversation, "channel"),
                conversation.get("escalation").booleanValue(), conversation.get("hasLinks").booleanValue(),
                text(conversation, "feedbackType"), conversation.get("expectingUserFollowup").booleanValue(),
                text(conversation, "url"), strings(conversation.get("categories")), createdAt,
                conversation.get("updatedAt").longValue(), text(conversation, "userId"), 1L);
        List<JsonNode> requests = new ArrayList<>();
        conversation.get("botRequests").forEach(requests::add);
        // the import's order: oldest first, a stable sort keeping the given order for equal times
        requests.sort(Comparator.comparingLong(request -> request.get("createdAt").longValue()));
        Set<String> cited = new LinkedHashSet<>();
        for (int position = 0; position < requests.size(); position++) {
            JsonNode request = requests.get(position);
            String question = request.get("question").textValue();
            String answer = request.get("answer").textValue();
            JsonNode basedOn = request.get("basedOn");
            row(out.get("bot_requests"), workspace, request.get("id").textValue(), id, position, question, answer,
                    question.toLowerCase(Locale.ROOT), answer.toLowerCase(Locale.ROOT),
                    strings(request.get("categories")), request.get("escalation").booleanValue(),
                    text(request, "reasoning"), text(request, "feedbackType"),
                    request.get("expectingUserFollowup").booleanValue(), request.get("createdAt").longValue(),
                    basedOn == null || basedOn.isNull() || basedOn.isEmpty() ? "[]" : basedOn.toString(), null);
            if (basedOn != null) {
                for (JsonNode source : basedOn) {
                    JsonNode sourceId = source.get("sourceId");
                    if (sourceId != null && sourceId.isTextual() && !sourceId.textValue().isEmpty()) {
                        cited.add(sourceId.textValue());
                    }
                }
            }
        }
        Set<String> categories = new LinkedHashSet<>();
        conversation.get("categories").forEach(category -> categories.add(category.textValue()));
        for (String category : categories) {
            row(out.get("conversation_categories"), workspace, category, createdAt, id);
        }
        for (String sourceId : cited) {
            row(out.get("conversation_citations"), workspace, sourceId, createdAt, id);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.textValue();
    }

    /** A list of strings as Parley stores it: Jackson's JSON text of the list. */
    private static String strings(JsonNode array) throws IOException {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.textValue()));
        return JSON.writeValueAsString(values);
    }

    /** One line of COPY's text format: tab-separated, {@code \N} for NULL, booleans as t and f. */
    private static void row(Writer out, Object... values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write('\t');
            }
            Object value = values[i];
            if (value == null) {
                out.write("\\N");
            } else if (value instanceof Boolean bool) {
                out.write(bool ? 't' : 'f');
            } else {
                escaped(out, value.toString());
            }
        }
        out.write('\n');
    }

    private static void escaped(Writer out, String text) throws IOException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.write("\\\\");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                case '\t' -> out.write("\\t");
                default -> out.write(c);
            }
        }
    }
}
