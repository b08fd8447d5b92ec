package dev.parley.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same work without Parley: plain JDBC and Jackson in this process, against the same
 * database the server uses. These are the floors Parley's figures are divided by.
 */
final class Baselines {

    private static final JsonFactory JSON = new JsonFactory();

    private final String url;
    private final boolean postgres;

    Baselines(String url) {
        this.url = url;
        this.postgres = url.startsWith("jdbc:postgresql:");
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    private long workspace(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM workspaces WHERE name = 'default'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    long count() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM conversations")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Deletes what earlier runs of the harness wrote into a kept store (every harness write is by
     * {@code bench-user}), so that its pages are demo data again; answers how many conversations.
     */
    long removeBenchWrites() throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            long workspace = workspace(connection);
            String ofBench = " WHERE workspace_id = ? AND conversation_id IN (SELECT id FROM conversations"
                    + " WHERE workspace_id = ? AND user_id = 'bench-user')";
            for (String table : List.of("bot_requests", "conversation_categories", "conversation_citations")) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + ofBench)) {
                    delete.setLong(1, workspace);
                    delete.setLong(2, workspace);
                    delete.executeUpdate();
                }
            }
            long removed;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM conversations WHERE workspace_id = ? AND user_id = 'bench-user'")) {
                delete.setLong(1, workspace);
                removed = delete.executeUpdate();
            }
            connection.commit();
            if (postgres && removed > 0) {
                // the deleted rows were the newest: until vacuumed, the first page walks over them
                connection.setAutoCommit(true);
                try (Statement vacuum = connection.createStatement()) {
                    vacuum.execute("VACUUM ANALYZE conversations, bot_requests, conversation_categories,"
                            + " conversation_citations");
                }
            }
            return removed;
        }
    }

    /**
     * The p50 of reading the ids of every conversation whose row meets a condition, the statement
     * Parley's search makes for it: what an export of the ids alone would cost (issue 20).
     */
    double matchingIdsMillis(String condition) throws SQLException {
        try (Connection connection = connect()) {
            long workspace = workspace(connection);
            double[] runs = new double[5];
            for (int i = -1; i < runs.length; i++) {
                long started = System.nanoTime();
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT c.id FROM conversations c WHERE c.workspace_id = ? AND " + condition)) {
                    query.setLong(1, workspace);
                    query.setFetchSize(1000);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            rows.getString(1);
                        }
                    }
                }
                if (i >= 0) {
                    runs[i] = (System.nanoTime() - started) / 1e6;
                }
            }
            java.util.Arrays.sort(runs);
            return runs[runs.length / 2];
        }
    }

    String idAtDepth(double depth) throws SQLException {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT id FROM conversations WHERE workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?")) {
            query.setLong(1, workspace(connection));
            query.setLong(2, (long) (count() * depth));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    /**
     * The creation time of the conversation after the oldest {@code n}: {@code endEpoch} for a
     * slice of about the oldest n (demo data, never what this run's writes added); empty when
     * there are no more than n.
     */
    OptionalLong createdAtAfterOldest(long n) throws SQLException {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT created_at FROM conversations WHERE workspace_id = ? ORDER BY created_at, id LIMIT 1 OFFSET ?")) {
            query.setLong(1, workspace(connection));
            query.setLong(2, n);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** The page query written with OFFSET, as Parley does not: its cost grows with depth. */
    double offsetPageMillis(long offset) throws SQLException {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT id, created_at FROM conversations WHERE workspace_id = ?"
                        + " ORDER BY created_at DESC, id DESC LIMIT 51 OFFSET ?")) {
            query.setLong(1, workspace(connection));
            query.setLong(2, offset);
            return median(20, () -> drain(query.executeQuery()));
        }
    }

    /** The in-process floors of a page: with the request's key lookup, and the page's statements alone. */
    record PageFloor(double withKeyLookupMillis, double pageStatementsMillis) {
    }

    /**
     * The first page without HTTP, as Parley's statements run it: the key lookup (one statement,
     * outside a transaction), then in one read-only snapshot the page's ids, their conversations and
     * their requests; Jackson writes the JSON. Also timed without the key lookup.
     */
    PageFloor pageFloor(String secret) throws Exception {
        try (Connection connection = connect()) {
            long workspace = workspace(connection);
            String keyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
            String in = postgres ? "= ANY(?)" : "IN (" + String.join(", ", java.util.Collections.nCopies(50, "?")) + ")";
            try (PreparedStatement key = connection.prepareStatement("SELECT k.workspace_id, w.name, k.id, k.scopes,"
                    + " k.secret_hash FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id"
                    + " WHERE k.secret_hash = ? AND k.revoked_at IS NULL");
                 PreparedStatement positions = connection.prepareStatement("SELECT c.id AS found_id, c.created_at"
                    + " AS found_at FROM conversations c WHERE c.workspace_id = ? ORDER BY c.created_at DESC, c.id DESC LIMIT ?");
                 PreparedStatement conversations = connection.prepareStatement("SELECT id, external_id, source, channel,"
                         + " escalation, has_links, feedback_type, expecting_user_followup, url, categories, created_at,"
                         + " updated_at, user_id FROM conversations WHERE workspace_id = ? AND id " + in);
                 PreparedStatement requests = connection.prepareStatement("SELECT id, conversation_id, position,"
                         + " question, answer, categories, escalation, reasoning, feedback_type, expecting_user_followup,"
                         + " created_at, based_on, content_hash FROM bot_requests WHERE workspace_id = ? AND conversation_id "
                         + in + " ORDER BY created_at, position")) {
                if (postgres) {
                    // set once, as Parley's reader connections are
                    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    connection.setReadOnly(true);
                }
                Timed page = () -> {
                    connection.setAutoCommit(false);
                    positions.setLong(1, workspace);
                    positions.setInt(2, 51);
                    List<String> ids = new ArrayList<>();
                    try (ResultSet rows = positions.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getString(1));
                        }
                    }
                    ids = ids.subList(0, Math.min(50, ids.size()));
                    try (JsonGenerator out = JSON.createGenerator(OutputStream.nullOutputStream())) {
                        out.writeStartArray();
                        writeRows(out, bind(conversations, workspace, ids).executeQuery());
                        writeRows(out, bind(requests, workspace, ids).executeQuery());
                        out.writeEndArray();
                    }
                    connection.commit();
                };
                Timed withKey = () -> {
                    connection.setAutoCommit(true);
                    key.setString(1, keyHash);
                    drain(key.executeQuery());
                    page.run();
                };
                return new PageFloor(median(300, withKey), median(300, page));
            }
        }
    }

    private PreparedStatement bind(PreparedStatement statement, long workspace, List<String> ids) throws SQLException {
        statement.setLong(1, workspace);
        if (postgres) {
            statement.setArray(2, statement.getConnection().createArrayOf("uuid",
                    ids.stream().map(UUID::fromString).toArray()));
        } else {
            for (int i = 0; i < 50; i++) {
                statement.setString(i + 2, i < ids.size() ? ids.get(i) : ids.get(0));
            }
        }
        return statement;
    }

    private static void writeRows(JsonGenerator out, ResultSet rows) throws Exception {
        try (rows) {
            ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                out.writeStartObject();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    out.writeStringField(meta.getColumnLabel(c), rows.getString(c));
                }
                out.writeEndObject();
            }
        }
    }

    /** Rows the database read to answer a rare filter, per row returned (PostgreSQL's own count). */
    String rowsExamined(String filter) throws SQLException {
        if (!postgres) {
            return "SQLite: index range scan (docs/query-plans.md); it does not count rows read";
        }
        String[] parts = filter.split("=", 2);
        String sql = switch (parts[0]) {
            case "category" -> "SELECT k.conversation_id FROM conversation_categories k JOIN conversations c ON"
                    + " c.workspace_id = k.workspace_id AND c.id = k.conversation_id WHERE k.workspace_id = ? AND"
                    + " k.category = ? ORDER BY k.created_at DESC, k.conversation_id DESC LIMIT 51";
            case "userId" -> "SELECT c.id FROM conversations c WHERE c.workspace_id = ? AND c.user_id = ?"
                    + " ORDER BY c.created_at DESC, c.id DESC LIMIT 51";
            default -> "SELECT c.id FROM conversations c WHERE c.workspace_id = ? AND c.external_id = ?"
                    + " ORDER BY c.created_at DESC, c.id DESC LIMIT 51";
        };
        try (Connection connection = connect();
             PreparedStatement explain = connection.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)) {
            explain.setLong(1, workspace(connection));
            explain.setString(2, parts[1]);
            try (ResultSet rows = explain.executeQuery()) {
                rows.next();
                String plan = rows.getString(1);
                long returned = firstNumber(plan, "\"Actual Rows\": ");
                long examined = sumOf(plan, "\"Actual Rows\": ");
                return String.format(Locale.ROOT, "rows read ÷ returned = %d ÷ %d", examined, Math.max(returned, 1));
            }
        }
    }

    /** The substring filter as a scan: the same question, with no trigram index to help. */
    double unindexedScanMillis(String term) throws SQLException {
        String contains = postgres ? "strpos(r.question_folded, ?) > 0" : "instr(r.question_folded, ?) > 0";
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT c.id FROM conversations c WHERE c.workspace_id = ? AND c.id IN (SELECT r.conversation_id"
                        + " FROM bot_requests r WHERE r.workspace_id = ? AND " + contains + ")"
                        + " ORDER BY c.created_at DESC, c.id DESC LIMIT 51")) {
            long workspace = workspace(connection);
            query.setLong(1, workspace);
            query.setLong(2, workspace);
            query.setString(3, term.toLowerCase(Locale.ROOT));
            return median(5, () -> drain(query.executeQuery()));
        }
    }

    /**
     * Raw JDBC doing what one exchange does (a conversation, its request, its category, one
     * commit each). SQLite allows one writer: its floor is one connection committing in turn.
     */
    double rawTransactionsPerSecond(int clients, Duration duration) throws Exception {
        long workspace;
        try (Connection connection = connect()) {
            workspace = workspace(connection);
        }
        int threads = postgres ? clients : 1;
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> {
                try (Connection connection = connect()) {
                    if (!postgres) {
                        connection.createStatement().execute("PRAGMA synchronous = FULL");
                        connection.createStatement().execute("PRAGMA busy_timeout = 30000");
                    }
                    connection.setAutoCommit(false);
                    String id = postgres ? "?::uuid" : "?";
                    try (PreparedStatement conversation = connection.prepareStatement("INSERT INTO conversations"
                            + " (workspace_id, id, source, escalation, has_links, expecting_user_followup, categories,"
                            + " created_at, updated_at, user_id, change_seq) VALUES (?, " + id
                            + ", 'api', FALSE, FALSE, FALSE, '[\"bench\"]', ?, ?, 'bench-user', 0)");
                         PreparedStatement request = connection.prepareStatement("INSERT INTO bot_requests"
                                 + " (workspace_id, id, conversation_id, position, question, answer, question_folded,"
                                 + " answer_folded, categories, escalation, expecting_user_followup, created_at, based_on)"
                                 + " VALUES (?, " + id + ", " + id + ", 0, ?, 'bench answer', ?, 'bench answer',"
                                 + " '[\"bench\"]', FALSE, FALSE, ?, '[]')");
                         PreparedStatement category = connection.prepareStatement("INSERT INTO conversation_categories"
                                 + " (workspace_id, category, created_at, conversation_id) VALUES (?, 'bench', ?, " + id + ")")) {
                        while (System.nanoTime() < deadline) {
                            try {
                                String conversationId = UUID.randomUUID().toString();
                                long now = System.currentTimeMillis();
                                conversation.setLong(1, workspace);
                                conversation.setString(2, conversationId);
                                conversation.setLong(3, now);
                                conversation.setLong(4, now);
                                conversation.executeUpdate();
                                request.setLong(1, workspace);
                                request.setString(2, UUID.randomUUID().toString());
                                request.setString(3, conversationId);
                                request.setString(4, "bench question");
                                request.setString(5, "bench question");
                                request.setLong(6, now);
                                request.executeUpdate();
                                category.setLong(1, workspace);
                                category.setLong(2, now);
                                category.setString(3, conversationId);
                                category.executeUpdate();
                                connection.commit();
                            } catch (SQLException busy) {
                                if (postgres) {
                                    throw busy;
                                }
                                // SQLite: another writer took the database under this transaction; not counted
                                connection.rollback();
                                continue;
                            }
                            done.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> thread : running) {
            thread.get();
        }
        pool.shutdown();
        return done.get() / (double) duration.toSeconds();
    }

    /** Every conversation with its requests, newest first, one streaming query, JSON to a null sink. */
    double rawExportMegabytesPerSecond() throws Exception {
        try (Connection connection = connect()) {
            long workspace = workspace(connection);
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            CountingStream sink = new CountingStream();
            try (PreparedStatement query = connection.prepareStatement("SELECT c.id, c.external_id, c.source,"
                    + " c.channel, c.escalation, c.has_links, c.feedback_type, c.expecting_user_followup, c.url,"
                    + " c.categories, c.created_at, c.updated_at, c.user_id, r.question, r.answer, r.categories AS rc,"
                    + " r.escalation AS re, r.reasoning, r.feedback_type AS rf, r.expecting_user_followup AS rx,"
                    + " r.created_at AS rt, r.based_on, r.id AS rid FROM conversations c JOIN bot_requests r"
                    + " ON r.workspace_id = c.workspace_id AND r.conversation_id = c.id WHERE c.workspace_id = ?"
                    + " ORDER BY c.created_at DESC, c.id DESC, r.created_at, r.position")) {
                query.setFetchSize(1000);
                query.setLong(1, workspace);
                try (ResultSet rows = query.executeQuery(); JsonGenerator out = JSON.createGenerator(sink)) {
                    String current = null;
                    while (rows.next()) {
                        String id = rows.getString("id");
                        if (!id.equals(current)) {
                            if (current != null) {
                                out.writeEndArray();
                                out.writeEndObject();
                                out.writeRaw('\n');
                            }
                            current = id;
                            out.writeStartObject();
                            for (String column : List.of("id", "external_id", "source", "channel", "escalation",
                                    "has_links", "feedback_type", "expecting_user_followup", "url")) {
                                out.writeStringField(column, rows.getString(column));
                            }
                            out.writeFieldName("categories");
                            out.writeRawValue(rows.getString("categories"));
                            out.writeNumberField("createdAt", rows.getLong("created_at"));
                            out.writeNumberField("updatedAt", rows.getLong("updated_at"));
                            out.writeStringField("userId", rows.getString("user_id"));
                            out.writeArrayFieldStart("botRequests");
                        }
                        out.writeStartObject();
                        out.writeStringField("question", rows.getString("question"));
                        out.writeStringField("answer", rows.getString("answer"));
                        out.writeFieldName("categories");
                        out.writeRawValue(rows.getString("rc"));
                        out.writeBooleanField("escalation", rows.getBoolean("re"));
                        out.writeStringField("reasoning", rows.getString("reasoning"));
                        out.writeStringField("feedbackType", rows.getString("rf"));
                        out.writeBooleanField("expectingUserFollowup", rows.getBoolean("rx"));
                        out.writeNumberField("createdAt", rows.getLong("rt"));
                        out.writeFieldName("basedOn");
                        out.writeRawValue(rows.getString("based_on"));
                        out.writeStringField("id", rows.getString("rid"));
                        out.writeEndObject();
                    }
                    if (current != null) {
                        out.writeEndArray();
                        out.writeEndObject();
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            connection.commit();
            return sink.bytes / 1e6 / seconds;
        }
    }

    private static final class CountingStream extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    @FunctionalInterface
    private interface Timed {
        void run() throws Exception;
    }

    private static double median(int runs, Timed work) throws SQLException {
        try {
            for (int i = 0; i < Math.min(50, runs); i++) {
                work.run(); // warm up
            }
            double[] millis = new double[runs];
            for (int i = 0; i < runs; i++) {
                long started = System.nanoTime();
                work.run();
                millis[i] = (System.nanoTime() - started) / 1e6;
            }
            Arrays.sort(millis);
            return millis[runs / 2];
        } catch (SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void drain(ResultSet rows) throws SQLException {
        try (rows) {
            while (rows.next()) {
                rows.getString(1);
            }
        }
    }

    private static long firstNumber(String text, String after) {
        int at = text.indexOf(after);
        return at < 0 ? 0 : Long.parseLong(text.substring(at + after.length()).split("[^0-9]")[0]);
    }

    private static long sumOf(String text, String after) {
        long sum = 0;
        int at = text.indexOf(after);
        while (at >= 0) {
            sum += Long.parseLong(text.substring(at + after.length()).split("[^0-9]")[0]);
            at = text.indexOf(after, at + 1);
        }
        return sum;
    }
}
