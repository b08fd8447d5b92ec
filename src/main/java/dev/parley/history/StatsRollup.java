package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The stats rollup (migration V8): per workspace, UTC day of {@code createdAt}, source and
 * escalation, the conversations, their links, feedback and requests, whole and per category, and
 * the conversations per pair of categories. The store's triggers add signed delta rows inside
 * every write's transaction, never updating a row another write could hold; a reader sums them
 * with whatever has not been folded yet, so it is exact right after any write.
 */
final class StatsRollup {

    /** The two tables and the key columns each is folded by. */
    private static final String[][] TABLES = {
            {"stats_rollup", "workspace_id, day, source, escalation, category",
                    "SUM(conversations), SUM(with_links), SUM(thumbs_up), SUM(thumbs_down), SUM(bot_requests)",
                    "conversations, with_links, thumbs_up, thumbs_down, bot_requests",
                    "SUM(conversations) <> 0 OR SUM(bot_requests) <> 0"},
            {"stats_category_pairs", "workspace_id, day, source, escalation, category, co_category",
                    "SUM(conversations)", "conversations", "SUM(conversations) <> 0"}};

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
     * Folds the delta rows of every key that has some into one row per key (none where it sums
     * to nothing). On PostgreSQL one statement deletes exactly the rows its snapshot sees and
     * inserts their sums, so rows that writers add meanwhile stay for the next fold, and two folds
     * at once never count a row twice; SQLite has one writer, so it folds the rows up to the
     * largest rowid it saw.
     */
    Void compact(Connection connection) throws SQLException {
        for (String[] table : TABLES) {
            if (dialect == Dialect.POSTGRESQL) {
                compactPostgresql(connection, table);
            } else {
                compactSqlite(connection, table);
            }
        }
        return null;
    }

    private static int compactPostgresql(Connection connection, String[] table) throws SQLException {
        String name = table[0];
        String key = table[1];
        String matched = matchedKey("t.", key);
        String sql = "WITH dirty AS (SELECT DISTINCT " + matchedKey("", key) + " FROM " + name + " WHERE NOT compacted),"
                + " moved AS (DELETE FROM " + name + " t WHERE (" + matched + ") IN (SELECT * FROM dirty) RETURNING t.*)"
                + " INSERT INTO " + name + " (" + key + ", " + table[3] + ", compacted)"
                + " SELECT " + key + ", " + table[2] + ", TRUE FROM moved GROUP BY " + key + " HAVING " + table[4];
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    private static int compactSqlite(Connection connection, String[] table) throws SQLException {
        String name = table[0];
        String key = table[1];
        long last;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT MAX(rowid) FROM " + name + " WHERE compacted = 0")) {
            rows.next();
            last = rows.getLong(1);
            if (rows.wasNull()) {
                return 0;
            }
        }
        String dirty = "(" + matchedKey("", key) + ") IN (SELECT " + matchedKey("", key) + " FROM " + name
                + " WHERE compacted = 0 AND rowid <= " + last + ")";
        try (Statement statement = connection.createStatement()) {
            long highest;
            try (ResultSet rows = statement.executeQuery("SELECT MAX(rowid) FROM " + name)) {
                rows.next();
                highest = rows.getLong(1);
            }
            statement.executeUpdate("INSERT INTO " + name + " (" + key + ", " + table[3] + ", compacted)"
                    + " SELECT " + key + ", " + table[2] + ", 1 FROM " + name + " WHERE rowid <= " + highest
                    + " AND " + dirty + " GROUP BY " + key + " HAVING " + table[4]);
            return statement.executeUpdate("DELETE FROM " + name + " WHERE rowid <= " + highest + " AND " + dirty);
        }
    }

    /** The key as matched against the dirty keys: a null category as '' (a real '' is folded with it, harmlessly). */
    private static String matchedKey(String alias, String key) {
        return String.join(", ", java.util.Arrays.stream(key.split(", "))
                .map(column -> column.equals("category") ? "COALESCE(" + alias + "category, '')" : alias + column)
                .toList());
    }
}
