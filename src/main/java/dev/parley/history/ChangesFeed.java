package dev.parley.history;

import dev.parley.store.Database;
import dev.parley.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The SQL of the changes feed (SPEC §8) over the history tables: a workspace's conversations and
 * tombstones in commit order, each listed once, at its latest change.
 *
 * <p>Commit order: on SQLite the change sequence, bumped by the one writer, is already in commit
 * order. On PostgreSQL a sequence number is not (a transaction that drew a smaller number may
 * commit later), so rows carry the id of the transaction that last wrote them, and a page lists
 * only ids below the oldest transaction in flight when its snapshot was taken: all of those have
 * ended, so nothing can appear behind a position the feed has passed (docs/decisions.md).
 */
public final class ChangesFeed {

    private final Database database;
    private final Dialect dialect;
    private final WholeConversations whole;
    private final ConversationSearch search;
    /** The column that orders the feed. */
    private final String stamp;

    public ChangesFeed(Database database) {
        this.database = database;
        this.dialect = database.dialect();
        ConversationRows conversations = new ConversationRows(dialect);
        this.whole = new WholeConversations(dialect, conversations, new RequestRows(dialect), new ReviewRows(dialect));
        this.search = new ConversationSearch(dialect);
        this.stamp = dialect == Dialect.POSTGRESQL ? "change_xid" : "change_seq";
    }

    /** A row of either table, before its conversation is read. */
    private record Row(UUID id, long stamp, long changedAt, boolean deleted) {
    }

    /** The changes after {@code from}, at most {@code limit}, read from one snapshot. */
    public FeedPage after(long workspace, FeedPosition from, int limit) {
        return database.read(connection -> {
            long horizon = horizon(connection);
            List<Row> rows = merged(upserts(connection, workspace, from, horizon, limit + 1),
                    deletes(connection, workspace, from, horizon, limit + 1), limit + 1);
            boolean more = rows.size() > limit;
            rows = rows.subList(0, Math.min(limit, rows.size()));
            if (rows.isEmpty()) {
                return new FeedPage(List.of(), from, false, pending(connection, workspace, horizon));
            }
            Map<UUID, Conversation> current = new HashMap<>();
            for (Conversation conversation : whole.byIds(connection, workspace,
                    rows.stream().filter(row -> !row.deleted()).map(Row::id).toList())) {
                current.put(conversation.id(), conversation);
            }
            List<FeedChange> changes = new ArrayList<>(rows.size());
            for (Row row : rows) {
                changes.add(new FeedChange(row.id(), row.changedAt(),
                        row.deleted() ? Optional.empty() : Optional.of(current.get(row.id())),
                        new FeedPosition(row.stamp(), row.id())));
            }
            return new FeedPage(changes, changes.get(changes.size() - 1).position(), more, false);
        });
    }

    /** Where the feed stands now: following it from here misses nothing committed after this call. */
    public FeedPosition now(long workspace) {
        return database.read(this::now);
    }

    /**
     * Every conversation that matches, newest first, streamed from one snapshot, telling
     * {@code startingAt} first where the changes feed stands in the same snapshot: following the
     * feed from there after loading the export misses nothing.
     */
    public void forEachMatch(long workspace, HistoryFilter filter, Consumer<FeedPosition> startingAt,
                             HistoryReader.Visitor visitor) {
        database.stream(connection -> {
            startingAt.accept(now(connection));
            whole.forEachMatch(connection, workspace, search.matchesNewestFirst(workspace, filter), visitor);
            return null;
        });
    }

    /** Forgets deletions made before {@code deletedBefore} (epoch ms); answers how many. */
    public int purgeTombstones(long deletedBefore) {
        List<Long> workspaces = database.read(connection -> {
            List<Long> ids = new ArrayList<>();
            try (var query = connection.prepareStatement("SELECT id FROM workspaces ORDER BY id");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        });
        int purged = 0;
        for (long workspace : workspaces) {
            purged += database.write(connection -> {
                try (var delete = connection.prepareStatement(
                        "DELETE FROM conversation_tombstones WHERE workspace_id = ? AND deleted_at < ?")) {
                    delete.setLong(1, workspace);
                    delete.setLong(2, deletedBefore);
                    return delete.executeUpdate();
                }
            });
        }
        return purged;
    }

    private FeedPosition now(Connection connection) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            return FeedPosition.allBefore(horizon(connection));
        }
        try (var query = connection.prepareStatement("SELECT last_value FROM change_sequence");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return new FeedPosition(rows.getLong(1), FeedPosition.LAST_ID);
        }
    }

    /**
     * The stamps below which every transaction that could write here has ended, as of this
     * transaction's snapshot (its first statement takes it): the smallest transaction the snapshot
     * saw in flight, or the next to come. Transaction ids belong to the whole PostgreSQL cluster,
     * so a transaction known to run in another database is passed over (it cannot write these
     * tables); one that has ended since the snapshot is not known, and still counts. On SQLite
     * every committed change is already in order.
     */
    private static final String HORIZON = "WITH s AS (SELECT pg_current_snapshot() AS snapshot)"
            + " SELECT LEAST((SELECT pg_snapshot_xmax(snapshot)::text::bigint FROM s),"
            + " (SELECT MIN(x::text::bigint) FROM s, pg_snapshot_xip(s.snapshot) AS x WHERE NOT EXISTS ("
            + " SELECT 1 FROM pg_stat_activity a WHERE a.datname <> current_database()"
            + " AND a.backend_xid::text::bigint = x::text::bigint % 4294967296)))";

    private long horizon(Connection connection) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return Long.MAX_VALUE;
        }
        try (var query = connection.prepareStatement(HORIZON);
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private List<Row> upserts(Connection connection, long workspace, FeedPosition from, long horizon, int limit)
            throws SQLException {
        try (var query = connection.prepareStatement("SELECT id, " + stamp + " AS stamp, updated_at"
                + " FROM conversations WHERE workspace_id = ? AND (" + stamp + ", id) > (?, ?) AND " + stamp + " < ?"
                + " ORDER BY " + stamp + ", id LIMIT ?")) {
            bindAfter(query, workspace, from, horizon);
            query.setInt(5, limit);
            return rows(query, "id", false);
        }
    }

    /**
     * Deletions past the position, unless the conversation exists again (created anew with the
     * same id, or imported) at a stamp that can be listed: then only that upsert is its latest change.
     */
    private List<Row> deletes(Connection connection, long workspace, FeedPosition from, long horizon, int limit)
            throws SQLException {
        try (var query = connection.prepareStatement("SELECT t.conversation_id, t." + stamp + " AS stamp,"
                + " t.deleted_at FROM conversation_tombstones t WHERE t.workspace_id = ?"
                + " AND (t." + stamp + ", t.conversation_id) > (?, ?) AND t." + stamp + " < ?"
                + " AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.workspace_id = t.workspace_id"
                + " AND c.id = t.conversation_id AND c." + stamp + " < ?)"
                + " ORDER BY t." + stamp + ", t.conversation_id LIMIT ?")) {
            bindAfter(query, workspace, from, horizon);
            query.setLong(5, horizon);
            query.setInt(6, limit);
            return rows(query, "conversation_id", true);
        }
    }

    private void bindAfter(PreparedStatement query, long workspace, FeedPosition from, long horizon)
            throws SQLException {
        query.setLong(1, workspace);
        query.setLong(2, from.stamp());
        dialect.setId(query, 3, from.after());
        query.setLong(4, horizon);
    }

    private List<Row> rows(PreparedStatement query, String idColumn, boolean deleted) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet found = query.executeQuery()) {
            while (found.next()) {
                rows.add(new Row(dialect.getId(found, idColumn), found.getLong("stamp"), found.getLong(3), deleted));
            }
        }
        return rows;
    }

    /** The first {@code limit} rows of two lists each in feed order, in feed order. */
    private static List<Row> merged(List<Row> upserts, List<Row> deletes, int limit) {
        List<Row> merged = new ArrayList<>(Math.min(limit, upserts.size() + deletes.size()));
        int u = 0;
        int d = 0;
        while (merged.size() < limit && (u < upserts.size() || d < deletes.size())) {
            if (d == deletes.size() || u < upserts.size() && comesFirst(upserts.get(u), deletes.get(d))) {
                merged.add(upserts.get(u++));
            } else {
                merged.add(deletes.get(d++));
            }
        }
        return merged;
    }

    private static boolean comesFirst(Row a, Row b) {
        return a.stamp() < b.stamp() || a.stamp() == b.stamp() && FeedPosition.inStoreOrder(a.id(), b.id()) < 0;
    }

    /**
     * PostgreSQL: whether a change past the horizon is already committed (visible in this
     * snapshot) and waits only for an older transaction to end before it can be listed.
     */
    private boolean pending(Connection connection, long workspace, long horizon) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return false;
        }
        try (var query = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM conversations"
                + " WHERE workspace_id = ? AND change_xid >= ?) OR EXISTS (SELECT 1 FROM conversation_tombstones"
                + " WHERE workspace_id = ? AND change_xid >= ?)")) {
            query.setLong(1, workspace);
            query.setLong(2, horizon);
            query.setLong(3, workspace);
            query.setLong(4, horizon);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }
}
