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
            countMatches(connection, workspace, filter, 1, tally);
            return tally.stats(TOP_CATEGORIES);
        }
        OptionalLong start = filter.startEpoch();
        OptionalLong end = filter.endEpoch();
        long firstWholeDay = start.isPresent() ? Math.floorDiv(start.getAsLong() + DAY_MS - 1, DAY_MS) : Long.MIN_VALUE;
        long endWholeDay = end.isPresent() ? Math.floorDiv(end.getAsLong(), DAY_MS) : Long.MAX_VALUE;
        if (firstWholeDay >= endWholeDay) {
            countMatches(connection, workspace, filter, 1, tally);
            return tally.stats(TOP_CATEGORIES);
        }
        rollup.count(connection, workspace, filter, firstWholeDay, endWholeDay, tally);
        if (start.isPresent() && start.getAsLong() < firstWholeDay * DAY_MS) {
            countPartOfDay(connection, workspace, filter, start.getAsLong(), firstWholeDay * DAY_MS, tally);
        }
        if (end.isPresent() && endWholeDay * DAY_MS < end.getAsLong()) {
            countPartOfDay(connection, workspace, filter, endWholeDay * DAY_MS, end.getAsLong(), tally);
        }
        return tally.stats(TOP_CATEGORIES);
    }

    /**
     * Adds the matches created in {@code [from, to)}, a part of one day that a window's edge cuts.
     * Counted from the conversations themselves, which cost by the row: a part of up to half the
     * day directly; a larger part as the whole day from the rollup less the rest of the day, so
     * that no edge reads more than half a day's conversations.
     */
    private void countPartOfDay(Connection connection, long workspace, HistoryFilter filter, long from, long to,
                                StatsTally tally) throws SQLException {
        long day = Math.floorDiv(from, DAY_MS);
        long dayStart = day * DAY_MS;
        long dayEnd = dayStart + DAY_MS;
        if (to - from <= DAY_MS / 2) {
            countMatches(connection, workspace, filter.withWindow(OptionalLong.of(from), OptionalLong.of(to)), 1, tally);
            return;
        }
        rollup.count(connection, workspace, filter, day, day + 1, tally);
        if (dayStart < from) {
            countMatches(connection, workspace, filter.withWindow(OptionalLong.of(dayStart), OptionalLong.of(from)), -1,
                    tally);
        }
        if (to < dayEnd) {
            countMatches(connection, workspace, filter.withWindow(OptionalLong.of(to), OptionalLong.of(dayEnd)), -1,
                    tally);
        }
    }

    /**
     * Adds (with {@code sign} 1) or takes away (-1) the matches of a filter, counted from the
     * conversations themselves: one streaming read of their rows, tallied here (the requests by
     * each row's request_count and each category once a conversation, as the rollup counts them),
     * so that it costs what reading the matches costs. A workspace has few distinct lists of
     * categories, so the rows are counted by the list's stored text and each text is parsed once
     * at the end, not once a row.
     */
    private void countMatches(Connection connection, long workspace, HistoryFilter filter, int sign, StatsTally tally)
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
                    tally.day(Math.floorDiv(rows.getLong(1), DAY_MS), sign, escalated ? sign : 0,
                            "thumbs_up".equals(feedback) ? sign : 0, "thumbs_down".equals(feedback) ? sign : 0);
                    tally.withLinks(rows.getBoolean(4) ? sign : 0);
                    tally.botRequests(sign * rows.getLong(5));
                    byCategoryList.computeIfAbsent(rows.getString(6), text -> new long[1])[0]++;
                }
            }
        }
        byCategoryList.forEach((text, conversations) -> {
            for (String category : new LinkedHashSet<>(StoredLists.fromJson(text))) {
                tally.category(category, sign * conversations[0]);
            }
        });
    }
}
