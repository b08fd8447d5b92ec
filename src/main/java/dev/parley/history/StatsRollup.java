package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The stats rollup (migration V8): per workspace, UTC day of {@code createdAt}, source and
 * escalation, the conversations, their links, feedback and requests, whole and per category, and
 * the conversations per pair of categories. The store's triggers add signed delta rows inside
 * every write's transaction, never updating a row another write could hold; a reader sums them
 * with whatever has not been folded yet, so it is exact right after any write.
 */
final class StatsRollup {

    /** The two tables of deltas: the key columns each is folded by, its counts, their sums. */
    enum Table {
        ROLLUP("stats_rollup", "workspace_id, day, source, escalation, category",
                "conversations, with_links, thumbs_up, thumbs_down, bot_requests",
                "SUM(conversations), SUM(with_links), SUM(thumbs_up), SUM(thumbs_down), SUM(bot_requests)",
                "SUM(conversations) <> 0 OR SUM(bot_requests) <> 0"),
        CATEGORY_PAIRS("stats_category_pairs", "workspace_id, day, source, escalation, category, co_category",
                "conversations", "SUM(conversations)", "SUM(conversations) <> 0");

        final String name;
        final String key;
        final String columns;
        final String sums;
        final String nonZero;

        Table(String name, String key, String columns, String sums, String nonZero) {
            this.name = name;
            this.key = key;
            this.columns = columns;
            this.sums = sums;
            this.nonZero = nonZero;
        }
    }

    private final Dialect dialect;

    StatsRollup(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Whether every condition of the filter is one of the rollup's keys (the window aside, which is cut by day). */
    static boolean answers(HistoryFilter filter) {
        return filter.categories().size() <= 1 && filter.feedback().isEmpty() && filter.hasLinks().isEmpty()
                && filter.userId().isEmpty() && filter.ticketId().isEmpty() && filter.question().isEmpty()
                && filter.answer().isEmpty() && filter.sourceId().isEmpty() && filter.attention().isEmpty()
                && filter.reviewStatus().isEmpty() && filter.labels().isEmpty();
    }

    /** Adds the matches created in the days {@code [firstDay, endDay)} (either may be unbounded: {@code Long.MIN/MAX_VALUE}). */
    void count(Connection connection, long workspace, HistoryFilter filter, long firstDay, long endDay,
               StatsTally tally) throws SQLException {
        Sql days = new Sql().append("SELECT day, SUM(conversations) AS conversations,"
                + " SUM(CASE WHEN escalation THEN conversations ELSE 0 END) AS escalated,"
                + " SUM(thumbs_up) AS thumbs_up, SUM(thumbs_down) AS thumbs_down, SUM(with_links) AS with_links,"
                + " SUM(bot_requests) AS bot_requests FROM stats_rollup WHERE workspace_id = ?", workspace);
        if (filter.categories().isEmpty()) {
            days.append(" AND category IS NULL");
        } else {
            days.append(" AND category = ?", filter.categories().get(0));
        }
        keys(days, filter, firstDay, endDay).append(" GROUP BY day");
        try (PreparedStatement query = days.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                tally.day(rows.getLong("day"), rows.getLong("conversations"), rows.getLong("escalated"),
                        rows.getLong("thumbs_up"), rows.getLong("thumbs_down"));
                tally.withLinks(rows.getLong("with_links"));
                tally.botRequests(rows.getLong("bot_requests"));
            }
        }
        Sql categories = filter.categories().isEmpty()
                ? new Sql().append("SELECT category, SUM(conversations) AS conversations FROM stats_rollup"
                + " WHERE workspace_id = ? AND category IS NOT NULL", workspace)
                : new Sql().append("SELECT co_category AS category, SUM(conversations) AS conversations"
                + " FROM stats_category_pairs WHERE workspace_id = ? AND category = ?", workspace,
                filter.categories().get(0));
        keys(categories, filter, firstDay, endDay).append(" GROUP BY 1");
        try (PreparedStatement query = categories.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                tally.category(rows.getString("category"), rows.getLong("conversations"));
            }
        }
    }

    private static Sql keys(Sql sql, HistoryFilter filter, long firstDay, long endDay) {
        if (firstDay != Long.MIN_VALUE) {
            sql.append(" AND day >= ?", firstDay);
        }
        if (endDay != Long.MAX_VALUE) {
            sql.append(" AND day < ?", endDay);
        }
        if (!filter.sources().isEmpty() && filter.sources().size() < Source.values().length) {
            sql.append(" AND source IN ").appendList(filter.sources().stream().map(Source::wireName).sorted().toList());
        }
        filter.escalation().ifPresent(escalation -> sql.append(" AND escalation = ?", escalation));
        return sql;
    }

    /**
     * Folds at most {@code limit} delta rows of a workspace in one table, with the folded rows of
     * the keys they touch, into one row per key (none where it sums to nothing); answers how many
     * deltas it took.
     * Bounded so that a fold is a short transaction however many deltas a bulk load left: a caller
     * repeats it, each time in a transaction of its own, until it takes fewer than it was allowed.
     *
     * <p>On PostgreSQL one statement deletes exactly the rows it chose and inserts their sums, and
     * the folds of a workspace take turns (a lock held to the fold's commit), whichever instance
     * or thread runs them: two folds at once would delete the same folded rows in different orders
     * and could deadlock. SQLite has one writer: it folds the deltas of the workspace up to a
     * rowid, oldest first, through the index of deltas.
     */
    int fold(Connection connection, Table table, long workspace, int limit) throws SQLException {
        return dialect == Dialect.POSTGRESQL ? foldPostgresql(connection, table, workspace, limit)
                : foldSqlite(connection, table, workspace, limit);
    }

    /** The workspaces that have deltas in a table, through its index of deltas. */
    List<Long> workspacesWithDeltas(Connection connection, Table table) throws SQLException {
        List<Long> workspaces = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT DISTINCT workspace_id FROM " + table.name + " WHERE "
                     + (dialect == Dialect.POSTGRESQL ? "NOT compacted" : "compacted = 0"))) {
            while (rows.next()) {
                workspaces.add(rows.getLong(1));
            }
        }
        return workspaces;
    }

    private int foldPostgresql(Connection connection, Table table, long workspace, int limit)
            throws SQLException {
        String name = table.name;
        String key = table.key;
        dialect.lock(connection, "stats fold " + workspace);
        String sql = "WITH batch AS (DELETE FROM " + name + " WHERE ctid = ANY(ARRAY("
                + "SELECT ctid FROM " + name + " WHERE workspace_id = ? AND NOT compacted LIMIT ?)) RETURNING *),"
                + " folded AS (DELETE FROM " + name + " f USING (SELECT DISTINCT " + key + " FROM batch) k"
                + " WHERE f.compacted AND " + sameKey(table) + " RETURNING f.*),"
                + " added AS (INSERT INTO " + name + " (" + key + ", " + table.columns + ", compacted)"
                + " SELECT " + key + ", " + table.sums + ", TRUE FROM (SELECT * FROM batch UNION ALL SELECT * FROM folded) moved"
                + " GROUP BY " + key + " HAVING " + table.nonZero + ")"
                + " SELECT COUNT(*) FROM batch";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, workspace);
            statement.setInt(2, limit);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private int foldSqlite(Connection connection, Table table, long workspace, int limit) throws SQLException {
        String name = table.name;
        String key = table.key;
        long last;
        int deltas;
        try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*), MAX(rowid) FROM (SELECT rowid"
                + " FROM " + name + " WHERE workspace_id = ? AND compacted = 0 ORDER BY rowid LIMIT ?)")) {
            statement.setLong(1, workspace);
            statement.setInt(2, limit);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                deltas = rows.getInt(1);
                last = rows.getLong(2);
            }
        }
        if (deltas == 0) {
            return 0;
        }
        foldSqliteRows(connection, table, "workspace_id = " + workspace + " AND compacted = 0 AND rowid <= " + last);
        return deltas;
    }

    /** Whether a bulk write folds the deltas it adds itself ({@link #foldAddedSince}): on SQLite. */
    boolean foldsInsideBulkWrites() {
        return dialect == Dialect.SQLITE;
    }

    /**
     * Where each table's rows end now: a bulk write on SQLite notes it before it writes, and
     * folds the deltas it added after it ({@link #foldAddedSince}). Empty on PostgreSQL.
     */
    Optional<long[]> ends(Connection connection) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            return Optional.empty();
        }
        long[] ends = new long[Table.values().length];
        try (Statement statement = connection.createStatement()) {
            for (Table table : Table.values()) {
                try (ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(rowid), 0) FROM " + table.name)) {
                    rows.next();
                    ends[table.ordinal()] = rows.getLong(1);
                }
            }
        }
        return Optional.of(ends);
    }

    /**
     * SQLite, inside a bulk write: folds the deltas it added after {@code ends} into the folded
     * rows. Its own deltas are the table's last rows and its index pages are the ones it has just
     * written, so this costs little; a fold that comes later finds them scattered through an
     * index far larger than the page cache (at 1,000,000 conversations, 9 million deltas folded
     * at under 2,000 a second). Not on PostgreSQL, where two bulk writes folding the same keys
     * would hold each other up to their commits: there the compaction folds a bulk write's deltas
     * right after it commits ({@link StatsCompaction#afterBulkWrite}).
     */
    void foldAddedSince(Connection connection, long workspace, Optional<long[]> ends) throws SQLException {
        if (ends.isEmpty()) {
            return;
        }
        for (Table table : Table.values()) {
            foldSqliteRows(connection, table, "workspace_id = " + workspace + " AND compacted = 0 AND rowid > "
                    + ends.get()[table.ordinal()]);
        }
    }

    /** Folds the rows a condition picks, with the folded rows of the keys they touch. */
    private void foldSqliteRows(Connection connection, Table table, String batch) throws SQLException {
        String name = table.name;
        String key = table.key;
        // the folded rows of the keys the batch touches, each found through the index of folded rows
        String folded = "SELECT f.rowid FROM (SELECT DISTINCT " + key + " FROM " + name + " WHERE " + batch + ") k"
                + " JOIN " + name + " f ON f.compacted = 1 AND " + sameKey(table);
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TEMP TABLE IF NOT EXISTS folded_rows (id INTEGER PRIMARY KEY)");
            statement.executeUpdate("DELETE FROM temp.folded_rows");
            statement.executeUpdate("INSERT INTO temp.folded_rows " + folded);
            String moved = "SELECT * FROM " + name + " WHERE " + batch + " UNION ALL SELECT * FROM " + name
                    + " WHERE rowid IN (SELECT id FROM temp.folded_rows)";
            statement.executeUpdate("INSERT INTO " + name + " (" + key + ", " + table.columns + ", compacted)"
                    + " SELECT " + key + ", " + table.sums + ", 1 FROM (" + moved + ") GROUP BY " + key
                    + " HAVING " + table.nonZero);
            statement.executeUpdate("DELETE FROM " + name + " WHERE " + batch);
            statement.executeUpdate("DELETE FROM " + name + " WHERE rowid IN (SELECT id FROM temp.folded_rows)");
        }
    }

    /**
     * f's key is k's, as the index of the folded rows (V10) looks it up. The rollup's rows with
     * no category (whole conversations) match on a null category: {@code IS} on SQLite, which
     * takes it as an index condition, {@code IS NOT DISTINCT FROM} on PostgreSQL, which checks it
     * on the dozen rows the other columns find.
     */
    private String sameKey(Table table) {
        String nullable = dialect == Dialect.POSTGRESQL ? " IS NOT DISTINCT FROM " : " IS ";
        return String.join(" AND ", Arrays.stream(table.key.split(", "))
                .map(column -> "f." + column + (column.equals("category") && table == Table.ROLLUP ? nullable : " = ")
                        + "k." + column)
                .toList());
    }
}
