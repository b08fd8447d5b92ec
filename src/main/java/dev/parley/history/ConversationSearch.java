package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds the conversations that match a {@link HistoryFilter}, in the newest-first order
 * ({@code createdAt} desc, {@code id} desc), by keyset: a page starts right after a position, so
 * its cost does not grow with its depth.
 *
 * <p>A filter on one category or one cited source is driven from its lookup table, whose key is
 * already in that order, so a rare one never scans the workspace. The page after a cursor for
 * {@code source=zendesk&category=billing&question=refund&limit=50} is one statement (SQLite's
 * text search shown; PostgreSQL's is {@code r.question_folded LIKE '%refund%'}):
 *
 * <pre>
 * SELECT found_id, found_at, 0 AS behind FROM (
 *     SELECT k.conversation_id AS found_id, k.created_at AS found_at
 *     FROM conversation_categories k JOIN conversations c
 *          ON c.workspace_id = k.workspace_id AND c.id = k.conversation_id
 *     WHERE k.workspace_id = ? AND k.category = 'billing' AND c.workspace_id = ?
 *       AND c.source IN ('zendesk')
 *       AND c.id IN (SELECT r.conversation_id FROM bot_requests_text f
 *                    CROSS JOIN bot_requests r ON r.rowid = f.rowid
 *                    WHERE f.bot_requests_text MATCH '{question_folded} : "refund"' AND r.workspace_id = ?)
 *       AND (k.created_at, k.conversation_id) &lt; ((SELECT created_at FROM conversations
 *                                                   WHERE workspace_id = ? AND id = :cursor), :cursor)
 *     ORDER BY k.created_at DESC, k.conversation_id DESC LIMIT 51) ahead
 * UNION ALL
 * SELECT found_id, found_at, 1 FROM (… the same matches, (…) &gt;= the cursor's position,
 *                                    nearest first, LIMIT 1) behind
 * </pre>
 *
 * The 51st row says whether more lie ahead, the {@code behind} row whether any lie behind: the
 * page's two cursors.
 */
final class ConversationSearch {

    /**
     * How a page with a substring filter finds its matches. A common term's newest matches lie
     * close together: walking the other filters' candidates in page order and checking each one's
     * text stops after a few hundred, where the text index would first collect every match in the
     * workspace. A rare term's lie far apart: the index finds them without reading the rest.
     */
    enum TextPlan {
        /**
         * Walks first, within a budget of candidates (the term's density among the newest
         * candidates, measured where the page lies): when the page's matches are within it, they
         * are the page; when not, the term is rare there, and the index finds the page.
         */
        BY_SELECTIVITY,
        /** Always the text index. */
        INDEX,
        /** Always the walk, to the end of the candidates if need be. */
        WALK
    }

    /**
     * Candidates a walk may check for each match it looks for: a term in fewer than about one in
     * {@value} of the newest candidates is left to the index.
     */
    static final int WALK_PER_MATCH = 16;
    /** Candidates a walk may check however few matches it looks for (the one behind a cursor, say). */
    static final int WALK_AT_LEAST = 1024;
    /** Walked rows fetched at a time on PostgreSQL, where a walk that stops early then reads no further. */
    private static final int WALK_FETCH = 256;

    private final Dialect dialect;
    private final TextSearch text;
    private final TextPlan plan;

    ConversationSearch(Dialect dialect) {
        this(dialect, TextPlan.BY_SELECTIVITY);
    }

    ConversationSearch(Dialect dialect, TextPlan plan) {
        this.dialect = dialect;
        this.text = TextSearch.of(dialect);
        this.plan = plan;
    }

    /** {@code SELECT <id> FROM … WHERE …}: the ids of every match, for counts that aggregate over them. */
    Sql matchingIds(long workspace, HistoryFilter filter) {
        Matches matches = matches(workspace, filter);
        return new Sql().append("SELECT " + matches.id() + " FROM ").append(matches.from()).append(" WHERE ")
                .append(matches.where());
    }

    /**
     * {@code SELECT c.… FROM <matches> WHERE … ORDER BY …}: every match's conversation row, newest
     * first, for one streaming read to hand out (its requests are read by key, a chunk at a time).
     */
    Sql matchesNewestFirst(long workspace, HistoryFilter filter) {
        Matches matches = matches(workspace, filter);
        return new Sql().append("SELECT " + WholeConversations.conversationColumns() + " FROM ").append(matches.from())
                .append(" WHERE ").append(matches.where())
                .append(" ORDER BY " + matches.createdAt() + " DESC, " + matches.id() + " DESC");
    }

    /** {@code SELECT <aggregates> FROM <matches> WHERE …}: one row over every match. */
    Sql overMatches(long workspace, HistoryFilter filter, String aggregates) {
        Matches matches = matches(workspace, filter);
        return new Sql().append("SELECT " + aggregates + " FROM ").append(matches.from()).append(" WHERE ")
                .append(matches.where());
    }

    /**
     * {@code SELECT <columns of f> FROM failing_requests f …}: the failing requests of every match,
     * in no order, for the insight that aggregates over them. When only the window and the sources
     * narrow them, {@code failing_requests} answers alone, one range of its key:
     *
     * <pre>
     * SELECT … FROM failing_requests f
     * WHERE f.workspace_id = ? AND f.conversation_created_at &gt;= ? AND f.conversation_created_at &lt; ?
     *   AND f.source IN ('zendesk')
     * </pre>
     *
     * Any other filter is the conversations' to decide: each match that needs attention has its
     * failing requests looked up by its key, so that the cost follows the matches, not the table
     * (on PostgreSQL a lateral join says so; SQLite's plain join already runs that way).
     */
    Sql failingRequestsOfMatches(long workspace, HistoryFilter filter, String columns) {
        if (filter.narrowsFailingRequestsByWindowAndSourcesOnly()) {
            Sql sql = new Sql().append("SELECT " + columns + " FROM failing_requests f WHERE f.workspace_id = ?",
                    workspace);
            filter.startEpoch().ifPresent(start -> sql.append(" AND f.conversation_created_at >= ?", start));
            filter.endEpoch().ifPresent(end -> sql.append(" AND f.conversation_created_at < ?", end));
            if (!filter.sources().isEmpty() && filter.sources().size() < Source.values().length) {
                sql.append(" AND f.source IN ").appendList(filter.sources().stream().map(Source::wireName).sorted()
                        .toList());
            }
            return sql;
        }
        Matches matches = matches(workspace, filter.needingAttention());
        String key = "f.workspace_id = c.workspace_id AND f.conversation_created_at = c.created_at"
                + " AND f.conversation_id = c.id";
        Sql sql = new Sql().append("SELECT " + columns + " FROM ").append(matches.from());
        if (dialect == Dialect.POSTGRESQL) {
            // OFFSET 0 keeps the planner from pulling the subquery up into a hash join
            sql.append(" CROSS JOIN LATERAL (SELECT * FROM failing_requests f WHERE " + key + " OFFSET 0) f");
        } else {
            sql.append(" JOIN failing_requests f ON " + key);
        }
        return sql.append(" WHERE ").append(matches.where());
    }

    /** The matches of a filter: the tables to read, the conditions, and the columns that order them. */
    private record Matches(Sql from, Sql where, String createdAt, String id) {
    }

    /** The ids of the newest {@code limit} matches, newest first. */
    List<UUID> newest(Connection connection, long workspace, HistoryFilter filter, int limit) throws SQLException {
        if (walks(filter)) {
            Optional<List<UUID>> walked = walk(connection, workspace, filter, candidates(workspace, filter),
                    Direction.NEXT, limit, Optional.empty());
            if (walked.isPresent()) {
                return walked.get();
            }
        }
        Sql sql = nearest(matches(workspace, filter), Direction.NEXT, limit, Optional.empty());
        List<UUID> ids = new ArrayList<>(limit);
        try (PreparedStatement query = sql.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(foundId(rows));
            }
        }
        return ids;
    }

    /** The ids of the matches after a cursor, nearest first, and whether any match lies on the cursor's side of them. */
    record Window(List<UUID> ids, boolean anyBehind) {
    }

    /**
     * The ids of up to {@code limit} matches after a cursor in the direction given, nearest
     * first, and whether any match lies behind them: one statement, which finds the cursor's
     * position itself, so that a page deep in the history costs what the first page costs. An
     * unknown cursor finds nothing.
     */
    Window window(Connection connection, long workspace, HistoryFilter filter, UUID cursor, Direction direction,
                  int limit) throws SQLException {
        boolean next = direction == Direction.NEXT;
        Direction back = next ? Direction.PREVIOUS : Direction.NEXT;
        if (walks(filter)) {
            Matches candidates = candidates(workspace, filter);
            Optional<List<UUID>> ahead = walk(connection, workspace, filter, candidates, direction, limit,
                    Optional.of(compared(candidates, next ? " < " : " > ", cursorPosition(workspace, cursor))));
            if (ahead.isPresent()) {
                Optional<List<UUID>> behind = walk(connection, workspace, filter, candidates, back, 1,
                        Optional.of(compared(candidates, next ? " >= " : " <= ", cursorPosition(workspace, cursor))));
                if (behind.isPresent()) {
                    return new Window(ahead.get(), !behind.get().isEmpty());
                }
            }
        }
        Matches matches = matches(workspace, filter);
        Sql cursorPosition = cursorPosition(workspace, cursor);
        Sql sql = new Sql().append("SELECT found_id, found_at, 0 AS behind FROM (")
                .append(nearest(matches, direction, limit, Optional.of(compared(matches, next ? " < " : " > ",
                        cursorPosition))))
                .append(") ahead UNION ALL SELECT found_id, found_at, 1 FROM (")
                .append(nearest(matches, back, 1, Optional.of(compared(matches, next ? " >= " : " <= ",
                        cursorPosition))))
                .append(") behind");
        List<UUID> ids = new ArrayList<>(limit);
        boolean anyBehind = false;
        try (PreparedStatement query = sql.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                if (rows.getInt("behind") == 1) {
                    anyBehind = true;
                } else {
                    ids.add(foundId(rows));
                }
            }
        }
        return new Window(ids, anyBehind);
    }

    private static Sql cursorPosition(long workspace, UUID cursor) {
        return new Sql().append("((SELECT created_at FROM conversations WHERE workspace_id = ? AND id = ?), ?)",
                workspace, cursor, cursor);
    }

    private boolean walks(HistoryFilter filter) {
        return plan != TextPlan.INDEX && (filter.question().isPresent() || filter.answer().isPresent());
    }

    /**
     * The nearest {@code wanted} matches in a direction, found by walking the candidates (every
     * filter but the text) in page order and checking each one's text, or empty when the budget
     * of candidates ran out first: then the index is cheaper. Every match up to the last one
     * found has been walked past, so what it finds is exact.
     */
    private Optional<List<UUID>> walk(Connection connection, long workspace, HistoryFilter filter, Matches candidates,
                                      Direction direction, int wanted, Optional<Sql> bound) throws SQLException {
        long budget = plan == TextPlan.WALK ? Long.MAX_VALUE : Math.max((long) wanted * WALK_PER_MATCH, WALK_AT_LEAST);
        String order = direction == Direction.NEXT ? " DESC" : " ASC";
        Sql sql = new Sql().append("SELECT " + candidates.id() + " AS found_id, CASE WHEN ")
                .append(textChecks(workspace, filter, candidates.id())).append(" THEN 1 ELSE 0 END AS hit FROM ")
                .append(candidates.from()).append(" WHERE ").append(candidates.where());
        bound.ifPresent(condition -> sql.append(" AND ").append(condition));
        sql.append(" ORDER BY " + candidates.createdAt() + order + ", " + candidates.id() + order + " LIMIT ?", budget);
        List<UUID> found = new ArrayList<>(wanted);
        long walked = 0;
        try (PreparedStatement query = sql.prepare(connection, dialect)) {
            query.setFetchSize(WALK_FETCH);
            try (ResultSet rows = query.executeQuery()) {
                while (found.size() < wanted && rows.next()) {
                    walked++;
                    if (rows.getInt("hit") == 1) {
                        found.add(foundId(rows));
                    }
                }
            }
        }
        return found.size() == wanted || walked < budget ? Optional.of(found) : Optional.empty();
    }

    /** The substring filters as checks of one conversation's requests. */
    private Sql textChecks(long workspace, HistoryFilter filter, String conversationId) {
        Sql checks = new Sql();
        filter.question().ifPresent(term -> checks.append(text.anyRequestContains(workspace, conversationId,
                "question_folded", term)));
        filter.answer().ifPresent(term -> checks.append(checks.text().isEmpty() ? "" : " AND ")
                .append(text.anyRequestContains(workspace, conversationId, "answer_folded", term)));
        return checks;
    }

    /** The nearest matches in a direction, past a bound on their position when one is given. */
    private Sql nearest(Matches matches, Direction direction, int limit, Optional<Sql> bound) {
        String order = direction == Direction.NEXT ? " DESC" : " ASC";
        Sql sql = new Sql().append("SELECT " + matches.id() + " AS found_id, " + matches.createdAt() + " AS found_at FROM ")
                .append(matches.from()).append(" WHERE ").append(matches.where());
        bound.ifPresent(condition -> sql.append(" AND ").append(condition));
        return sql.append(" ORDER BY " + matches.createdAt() + order + ", " + matches.id() + order + " LIMIT ?", limit);
    }

    /** {@code (created_at, id) <comparison> position}, in the columns that order these matches. */
    private static Sql compared(Matches matches, String comparison, Sql position) {
        return new Sql().append("(" + matches.createdAt() + ", " + matches.id() + ")" + comparison).append(position);
    }

    private UUID foundId(ResultSet rows) throws SQLException {
        return dialect.getId(rows, "found_id");
    }

    private Matches matches(long workspace, HistoryFilter filter) {
        return matches(workspace, filter, true);
    }

    /** The matches of every filter but the substring filters, which a walk checks row by row. */
    private Matches candidates(long workspace, HistoryFilter filter) {
        return matches(workspace, filter, false);
    }

    private Matches matches(long workspace, HistoryFilter filter, boolean withText) {
        Sql from = new Sql();
        Sql where = new Sql();
        String createdAt = "c.created_at";
        String id = "c.id";
        if (filter.categories().size() == 1) {
            from.append("conversation_categories k JOIN conversations c"
                    + " ON c.workspace_id = k.workspace_id AND c.id = k.conversation_id");
            where.append("k.workspace_id = ? AND k.category = ?", workspace, filter.categories().get(0));
            createdAt = "k.created_at";
            id = "k.conversation_id";
        } else if (filter.categories().isEmpty() && filter.sourceId().isPresent()) {
            from.append("conversation_citations k JOIN conversations c"
                    + " ON c.workspace_id = k.workspace_id AND c.id = k.conversation_id");
            where.append("k.workspace_id = ? AND k.source_id = ?", workspace, filter.sourceId().get());
            createdAt = "k.created_at";
            id = "k.conversation_id";
        } else {
            from.append("conversations c");
        }
        where.append(where.text().isEmpty() ? "c.workspace_id = ?" : " AND c.workspace_id = ?", workspace);
        if (!filter.sources().isEmpty() && filter.sources().size() < Source.values().length) {
            where.append(" AND c.source IN ").appendList(filter.sources().stream().map(Source::wireName).sorted().toList());
        }
        filter.startEpoch().ifPresent(start -> where.append(" AND c.created_at >= ?", start));
        filter.endEpoch().ifPresent(end -> where.append(" AND c.created_at < ?", end));
        if (filter.categories().size() > 1) {
            where.append(" AND c.id IN (SELECT k2.conversation_id FROM conversation_categories k2"
                    + " WHERE k2.workspace_id = ? AND k2.category IN ", workspace)
                    .appendList(filter.categories()).append(")");
        }
        if (filter.sourceId().isPresent() && !filter.categories().isEmpty()) {
            where.append(" AND c.id IN (SELECT k3.conversation_id FROM conversation_citations k3"
                    + " WHERE k3.workspace_id = ? AND k3.source_id = ?)", workspace, filter.sourceId().get());
        }
        filter.feedback().ifPresent(feedback -> {
            if (feedback == FeedbackFilter.NO_FEEDBACK) {
                where.append(" AND c.feedback_type IS NULL");
            } else {
                where.append(" AND c.feedback_type = ?", feedback.feedbackType().orElseThrow().wireName());
            }
        });
        filter.escalation().ifPresent(escalation -> where.append(" AND c.escalation = ?", escalation));
        filter.hasLinks().ifPresent(hasLinks -> where.append(" AND c.has_links = ?", hasLinks));
        filter.attention().ifPresent(attention -> where.append(" AND c.attention = ?", attention));
        filter.reviewStatus().ifPresent(review -> {
            if (review == ReviewStatusFilter.UNREVIEWED) {
                where.append(" AND c.id NOT IN (SELECT v1.conversation_id FROM conversation_reviews v1"
                        + " WHERE v1.workspace_id = ? AND v1.status IS NOT NULL)", workspace);
            } else {
                where.append(" AND c.id IN (SELECT v1.conversation_id FROM conversation_reviews v1"
                        + " WHERE v1.workspace_id = ? AND v1.status = ?)", workspace,
                        review.status().orElseThrow().wireName());
            }
        });
        if (!filter.labels().isEmpty()) {
            where.append(" AND c.id IN (SELECT v2.conversation_id FROM conversation_review_labels v2"
                    + " WHERE v2.workspace_id = ? AND v2.label IN ", workspace).appendList(filter.labels()).append(")");
        }
        filter.userId().ifPresent(userId -> where.append(" AND c.user_id = ?", userId));
        filter.ticketId().ifPresent(ticketId -> where.append(" AND c.external_id = ?", ticketId));
        if (!withText) {
            return new Matches(from, where, createdAt, id);
        }
        filter.question().ifPresent(term -> where.append(" AND c.id IN (")
                .append(text.requestsContaining(workspace, "question_folded", term)).append(")"));
        filter.answer().ifPresent(term -> where.append(" AND c.id IN (")
                .append(text.requestsContaining(workspace, "answer_folded", term)).append(")"));
        return new Matches(from, where, createdAt, id);
    }
}
