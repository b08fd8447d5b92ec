package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * Computes {@link Stats} in the database, inside one read, so that they count one snapshot. The
 * whole days of a filter that the rollup answers (sources, a window, one category, escalation) are
 * summed from it ({@link StatsRollup}), however many conversations they hold; the part of a day a
 * window's edge cuts, and every filter the rollup cannot answer, are counted from the matching
 * conversations themselves, with aggregate queries that load none of them into memory.
 */
final class StatsQueries {

    static final int TOP_CATEGORIES = 10;
    private static final long DAY_MS = 86_400_000L;

    private final Dialect dialect;
    private final ConversationSearch search;
    private final StatsRollup rollup;

    StatsQueries(Dialect dialect, ConversationSearch search) {
        this.dialect = dialect;
        this.search = search;
        this.rollup = new StatsRollup(dialect);
    }

    Stats of(Connection connection, long workspace, HistoryFilter filter) throws SQLException {
        StatsTally tally = new StatsTally();
        if (!StatsRollup.answers(filter)) {
            countMatches(connection, workspace, filter, tally);
            return tally.stats(TOP_CATEGORIES);
        }
        OptionalLong start = filter.startEpoch();
        OptionalLong end = filter.endEpoch();
        long firstWholeDay = start.isPresent() ? Math.floorDiv(start.getAsLong() + DAY_MS - 1, DAY_MS) : Long.MIN_VALUE;
        long endWholeDay = end.isPresent() ? Math.floorDiv(end.getAsLong(), DAY_MS) : Long.MAX_VALUE;
        if (firstWholeDay >= endWholeDay) {
            countMatches(connection, workspace, filter, tally);
            return tally.stats(TOP_CATEGORIES);
        }
        rollup.count(connection, workspace, filter, firstWholeDay, endWholeDay, tally);
        if (start.isPresent() && start.getAsLong() < firstWholeDay * DAY_MS) {
            countMatches(connection, workspace, filter.withWindow(start, OptionalLong.of(firstWholeDay * DAY_MS)),
                    tally);
        }
        if (end.isPresent() && endWholeDay * DAY_MS < end.getAsLong()) {
            countMatches(connection, workspace, filter.withWindow(OptionalLong.of(endWholeDay * DAY_MS), end), tally);
        }
        return tally.stats(TOP_CATEGORIES);
    }

    /**
     * Adds the matches of a filter, counted from the conversations themselves: their rows (the
     * requests by each row's request_count, as the rollup counts them) and their categories.
     */
    private void countMatches(Connection connection, long workspace, HistoryFilter filter, StatsTally tally)
            throws SQLException {
        Sql byDay = new Sql().append("SELECT c.created_at / " + DAY_MS + " AS day, COUNT(*) AS conversations,"
                        + " SUM(CASE WHEN c.escalation THEN 1 ELSE 0 END) AS escalated,"
                        + " SUM(CASE WHEN c.feedback_type = 'thumbs_up' THEN 1 ELSE 0 END) AS thumbs_up,"
                        + " SUM(CASE WHEN c.feedback_type = 'thumbs_down' THEN 1 ELSE 0 END) AS thumbs_down,"
                        + " SUM(CASE WHEN c.has_links THEN 1 ELSE 0 END) AS with_links,"
                        + " SUM(c.request_count) AS bot_requests"
                        + " FROM conversations c WHERE c.workspace_id = ? AND c.id IN (", workspace)
                .append(search.matchingIds(workspace, filter))
                .append(") GROUP BY c.created_at / " + DAY_MS);
        try (PreparedStatement query = byDay.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                tally.day(rows.getLong("day"), rows.getLong("conversations"), rows.getLong("escalated"),
                        rows.getLong("thumbs_up"), rows.getLong("thumbs_down"));
                tally.withLinks(rows.getLong("with_links"));
                tally.botRequests(rows.getLong("bot_requests"));
            }
        }
        Sql categories = new Sql().append("SELECT k.category, COUNT(*) AS conversations FROM conversation_categories k"
                        + " WHERE k.workspace_id = ? AND k.conversation_id IN (", workspace)
                .append(search.matchingIds(workspace, filter))
                .append(") GROUP BY k.category");
        try (PreparedStatement query = categories.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                tally.category(rows.getString("category"), rows.getLong("conversations"));
            }
        }
    }
}
