package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes {@link Stats} in the database: aggregate queries over the matching conversations,
 * none of which loads a conversation into memory. Run inside one read, so they count one snapshot.
 */
final class StatsQueries {

    static final int TOP_CATEGORIES = 10;
    private static final long DAY_MS = 86_400_000L;

    private final Dialect dialect;
    private final ConversationSearch search;

    StatsQueries(Dialect dialect, ConversationSearch search) {
        this.dialect = dialect;
        this.search = search;
    }

    Stats of(Connection connection, long workspace, HistoryFilter filter) throws SQLException {
        List<Stats.Day> days = byDay(connection, workspace, filter);
        long conversations = days.stream().mapToLong(Stats.Day::conversations).sum();
        long escalated = days.stream().mapToLong(Stats.Day::escalated).sum();
        long thumbsUp = days.stream().mapToLong(Stats.Day::thumbsUp).sum();
        long thumbsDown = days.stream().mapToLong(Stats.Day::thumbsDown).sum();
        long withLinks = count(connection, new Sql().append("SELECT COUNT(*) FROM conversations c"
                + " WHERE c.workspace_id = ? AND c.has_links = ? AND c.id IN (", workspace, true)
                .append(search.matchingIds(workspace, filter)).append(")"));
        long botRequests = count(connection, new Sql().append("SELECT COUNT(*) FROM bot_requests r"
                + " WHERE r.workspace_id = ? AND r.conversation_id IN (", workspace)
                .append(search.matchingIds(workspace, filter)).append(")"));
        return new Stats(conversations, botRequests, escalated, withLinks, thumbsUp, thumbsDown,
                conversations - thumbsUp - thumbsDown, days, topCategories(connection, workspace, filter));
    }

    private List<Stats.Day> byDay(Connection connection, long workspace, HistoryFilter filter) throws SQLException {
        Sql sql = new Sql().append("SELECT c.created_at / " + DAY_MS + " AS day, COUNT(*) AS conversations,"
                        + " SUM(CASE WHEN c.escalation THEN 1 ELSE 0 END) AS escalated,"
                        + " SUM(CASE WHEN c.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END) AS thumbs_up,"
                        + " SUM(CASE WHEN c.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END) AS thumbs_down"
                        + " FROM conversations c WHERE c.workspace_id = ? AND c.id IN (", workspace)
                .append(search.matchingIds(workspace, filter))
                .append(") GROUP BY c.created_at / " + DAY_MS + " ORDER BY 1");
        List<Stats.Day> days = new ArrayList<>();
        try (PreparedStatement query = sql.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                days.add(new Stats.Day(LocalDate.ofEpochDay(rows.getLong("day")), rows.getLong("conversations"),
                        rows.getLong("escalated"), rows.getLong("thumbs_up"), rows.getLong("thumbs_down")));
            }
        }
        return days;
    }

    private List<Stats.CategoryCount> topCategories(Connection connection, long workspace, HistoryFilter filter)
            throws SQLException {
        Sql sql = new Sql().append("SELECT k.category, COUNT(*) AS conversations FROM conversation_categories k"
                        + " WHERE k.workspace_id = ? AND k.conversation_id IN (", workspace)
                .append(search.matchingIds(workspace, filter))
                .append(") GROUP BY k.category ORDER BY 2 DESC, " + dialect.byCodePoint("k.category") + " LIMIT ?",
                        TOP_CATEGORIES);
        List<Stats.CategoryCount> top = new ArrayList<>();
        try (PreparedStatement query = sql.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                top.add(new Stats.CategoryCount(rows.getString("category"), rows.getLong("conversations")));
            }
        }
        return top;
    }

    private long count(Connection connection, Sql sql) throws SQLException {
        try (PreparedStatement query = sql.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
