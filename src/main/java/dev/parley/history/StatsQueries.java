package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Computes {@link Stats} in the database, inside one read, so that they count one snapshot. The
 * whole days of a filter that the rollup answers (sources, a window, one category, escalation) are
 * summed from it ({@link StatsRollup}), however many conversations they hold; the part of a day a
 * window's edge cuts, and every filter the rollup cannot answer, are counted from the matching
 * conversations themselves, in one streaming read that keeps only the counts.
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
     * Adds the matches of a filter, counted from the conversations themselves: one streaming read
     * of their rows, tallied here (the requests by each row's request_count and each category once
     * a conversation, as the rollup counts them), so that it costs what reading the matches costs.
     * A workspace has few distinct lists of categories, so the rows are counted by the list's
     * stored text and each text is parsed once at the end, not once a row.
     */
    private void countMatches(Connection connection, long workspace, HistoryFilter filter, StatsTally tally)
            throws SQLException {
        Sql matches = search.overMatches(workspace, filter,
                "c.created_at, c.escalation, c.feedback_type, c.has_links, c.request_count, c.categories");
        Map<String, long[]> byCategoryList = new HashMap<>();
        try (PreparedStatement query = matches.prepare(connection, dialect)) {
            query.setFetchSize(1_000);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    boolean escalated = rows.getBoolean(2);
                    String feedback = rows.getString(3);
                    tally.day(Math.floorDiv(rows.getLong(1), DAY_MS), 1, escalated ? 1 : 0,
                            "thumbs_up".equals(feedback) ? 1 : 0, "thumbs_down".equals(feedback) ? 1 : 0);
                    tally.withLinks(rows.getBoolean(4) ? 1 : 0);
                    tally.botRequests(rows.getLong(5));
                    byCategoryList.computeIfAbsent(rows.getString(6), text -> new long[1])[0]++;
                }
            }
        }
        byCategoryList.forEach((text, conversations) -> {
            for (String category : new LinkedHashSet<>(StoredLists.fromJson(text))) {
                tally.category(category, conversations[0]);
            }
        });
    }
}
