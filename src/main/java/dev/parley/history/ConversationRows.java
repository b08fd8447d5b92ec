package dev.parley.history;

import dev.parley.store.BatchedRows;
import dev.parley.store.Dialect;
import dev.parley.store.Row;
import dev.parley.store.Sql;
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

/**
 * The {@code conversations} table: one row a conversation, its own fields and the aggregates of
 * its requests, so that a page is filtered and ordered without reading a request. The row's lock
 * is the one every writer of a conversation takes first.
 */
final class ConversationRows {

    static final String TABLE = "conversations";
    /** The columns a {@link Conversation} is read from, without its requests. */
    static final String COLUMNS = "id, external_id, source, channel, escalation, has_links, feedback_type,"
            + " expecting_user_followup, url, categories, created_at, updated_at, user_id";
    /** How many ids one statement names at most. */
    private static final int IDS_AT_ONCE = 500;

    private final Dialect dialect;

    ConversationRows(Dialect dialect) {
        this.dialect = dialect;
    }

    /** A conversation's own fields, without its bot requests and the aggregates they imply. */
    record Header(UUID id, Optional<String> externalId, Source source, Optional<String> channel,
                  Optional<String> url, long createdAt, long updatedAt, Optional<String> userId,
                  List<String> categories) {

        static Header of(Conversation conversation) {
            return new Header(conversation.id(), conversation.externalId(), conversation.source(),
                    conversation.channel(), conversation.url(), conversation.createdAt(), conversation.updatedAt(),
                    conversation.userId(), conversation.categories());
        }
    }

    /** Every column of a conversation's row but its change number. */
    static Row row(long workspace, Header header, Aggregates aggregates) {
        return new Row()
                .set("workspace_id", workspace)
                .set("id", header.id())
                .set("external_id", header.externalId().orElse(null))
                .set("source", header.source().wireName())
                .set("channel", header.channel().orElse(null))
                .set("escalation", aggregates.escalation())
                .set("has_links", aggregates.hasLinks())
                .set("feedback_type", FeedbackType.toStored(aggregates.feedbackType()))
                .set("expecting_user_followup", aggregates.expectingUserFollowup())
                .set("url", header.url().orElse(null))
                .set("categories", StoredLists.toJson(aggregates.categories()))
                .set("created_at", header.createdAt())
                .set("updated_at", header.updatedAt())
                .set("user_id", header.userId().orElse(null))
                .set("attention", aggregates.attention())
                .set("request_count", aggregates.requestCount());
    }

    /** The row of a conversation stored exactly as given, aggregates included. */
    static Row row(long workspace, Conversation conversation, long changeSeq) {
        // attention and the request count are not fields of the wire shape: always what the requests imply
        Aggregates given = new Aggregates(conversation.escalation(), conversation.hasLinks(),
                conversation.feedbackType(), conversation.expectingUserFollowup(), conversation.categories(),
                List.of(), conversation.needsAttention(), conversation.botRequests().size());
        return row(workspace, Header.of(conversation), given).set("change_seq", changeSeq);
    }

    /** {@code INSERT … ON CONFLICT DO NOTHING}: a conversation whose id is taken is left alone. */
    static Sql insertUnlessTaken(Row row) {
        return Sql.insert(TABLE, row).append(" ON CONFLICT (workspace_id, id) DO NOTHING");
    }

    /** Inserts a conversation; false, writing nothing, when the workspace already has its id. */
    boolean insert(Connection connection, long workspace, Header header, Aggregates aggregates, long changeSeq)
            throws SQLException {
        try (PreparedStatement insert = insertUnlessTaken(row(workspace, header, aggregates)
                .set("change_seq", changeSeq)).prepare(connection, dialect)) {
            return insert.executeUpdate() == 1;
        }
    }

    /**
     * Writes a conversation's own fields and the aggregates its requests imply now, and brings its
     * lookup rows from what {@code before} implied.
     */
    void update(Connection connection, long workspace, Header header, Aggregates before, Aggregates aggregates,
                long changeSeq) throws SQLException {
        Row changed = new Row()
                .set("external_id", header.externalId().orElse(null))
                .set("channel", header.channel().orElse(null))
                .set("url", header.url().orElse(null))
                .set("user_id", header.userId().orElse(null))
                .set("updated_at", header.updatedAt())
                .set("escalation", aggregates.escalation())
                .set("has_links", aggregates.hasLinks())
                .set("feedback_type", FeedbackType.toStored(aggregates.feedbackType()))
                .set("expecting_user_followup", aggregates.expectingUserFollowup())
                .set("categories", StoredLists.toJson(aggregates.categories()))
                .set("attention", aggregates.attention())
                .set("request_count", aggregates.requestCount())
                .set("change_seq", changeSeq);
        try (PreparedStatement update = Sql.update(TABLE, changed)
                .append(" WHERE workspace_id = ? AND id = ?", workspace, header.id()).prepare(connection, dialect)) {
            update.executeUpdate();
        }
        for (LookupRows lookup : LookupRows.values()) {
            lookup.change(connection, dialect, workspace, header.id(), header.createdAt(), before, aggregates);
        }
    }

    /** Gives a conversation a new change number, for a change beside its row (its review). */
    void changed(Connection connection, long workspace, UUID id, long changeSeq) throws SQLException {
        try (PreparedStatement update = Sql.update(TABLE, new Row().set("change_seq", changeSeq))
                .append(" WHERE workspace_id = ? AND id = ?", workspace, id).prepare(connection, dialect)) {
            update.executeUpdate();
        }
    }

    /** Locks and reads a conversation's header, so that appends to one conversation take turns. */
    Optional<Header> lock(Connection connection, long workspace, UUID id) throws SQLException {
        Sql sql = new Sql().append("SELECT " + COLUMNS + " FROM conversations WHERE workspace_id = ? AND id = ?"
                + dialect.forUpdate(), workspace, id);
        try (PreparedStatement query = sql.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            return rows.next() ? Optional.of(header(rows, Positions.in(rows))) : Optional.empty();
        }
    }

    /**
     * Which of these conversation ids the workspace has, each locked until commit. Several are
     * locked in id order: writers of the same conversations then wait for each other instead of
     * each holding what the other needs (a deadlock).
     */
    List<UUID> lock(Connection connection, long workspace, List<UUID> unordered) throws SQLException {
        List<UUID> ids = unordered.stream().distinct().sorted(ConversationRows::inStoreOrder).toList();
        List<UUID> found = new ArrayList<>();
        for (List<UUID> chunk : chunks(ids)) {
            try (PreparedStatement query = connection.prepareStatement("SELECT id FROM conversations"
                    + " WHERE workspace_id = ? AND " + dialect.oneOfIds("id", chunk.size()) + " ORDER BY id"
                    + dialect.forUpdate())) {
                dialect.planEachTime(query);
                query.setLong(1, workspace);
                dialect.setIds(query, 2, chunk);
                found.addAll(ids(query));
            }
        }
        return found;
    }

    /** The newest conversation from this source with this ticket id. */
    Optional<UUID> newestWithTicket(Connection connection, long workspace, Source source, String externalId)
            throws SQLException {
        Sql sql = new Sql().append("SELECT id FROM conversations WHERE workspace_id = ? AND external_id = ?"
                + " AND source = ? ORDER BY created_at DESC, id DESC LIMIT 1", workspace, externalId, source.wireName());
        try (PreparedStatement query = sql.prepare(connection, dialect)) {
            return ids(query).stream().findFirst();
        }
    }

    /** The ids of one end user's conversations, locked, in id order. */
    List<UUID> lockOfUser(Connection connection, long workspace, String userId) throws SQLException {
        Sql sql = new Sql().append("SELECT id FROM conversations WHERE workspace_id = ? AND user_id = ? ORDER BY id"
                + dialect.forUpdate(), workspace, userId);
        try (PreparedStatement query = sql.prepare(connection, dialect)) {
            return ids(query);
        }
    }

    /**
     * Locks up to {@code limit} conversations last changed before {@code cutoff}, oldest first.
     * A row a writer holds is skipped rather than waited for (it is being changed, so it is young
     * again): the retention sweep never holds up a bot.
     */
    List<UUID> lockUpdatedBefore(Connection connection, long workspace, long cutoff, int limit) throws SQLException {
        Sql sql = new Sql().append("SELECT id FROM conversations WHERE workspace_id = ? AND updated_at < ?"
                + " ORDER BY updated_at LIMIT ?" + dialect.forUpdateSkipLocked(), workspace, cutoff, limit);
        try (PreparedStatement query = sql.prepare(connection, dialect)) {
            return ids(query);
        }
    }

    /** Locks the next {@code limit} conversations after {@code after}, in id order. */
    List<UUID> lockIdsAfter(Connection connection, long workspace, Optional<UUID> after, int limit)
            throws SQLException {
        Sql sql = new Sql().append("SELECT id FROM conversations WHERE workspace_id = ?", workspace);
        after.ifPresent(id -> sql.append(" AND id > ?", id));
        sql.append(" ORDER BY id LIMIT ?" + dialect.forUpdate(), limit);
        try (PreparedStatement query = sql.prepare(connection, dialect)) {
            return ids(query);
        }
    }

    /** Gives a conversation a new change number, so that the changes feed lists it again. */
    void touch(Connection connection, long workspace, UUID id, long changeSeq) throws SQLException {
        Sql sql = Sql.update(TABLE, new Row().set("change_seq", changeSeq))
                .append(" WHERE workspace_id = ? AND id = ?", workspace, id);
        try (PreparedStatement update = sql.prepare(connection, dialect)) {
            update.executeUpdate();
        }
    }

    /** The change numbers these conversations were last written with; those the workspace lacks are left out. */
    Map<UUID, Long> changeSeqs(Connection connection, long workspace, List<UUID> ids) throws SQLException {
        Map<UUID, Long> seqs = new HashMap<>();
        for (List<UUID> chunk : chunks(ids)) {
            try (PreparedStatement query = connection.prepareStatement("SELECT id, change_seq FROM conversations"
                    + " WHERE workspace_id = ? AND " + dialect.oneOfIds("id", chunk.size()))) {
                query.setLong(1, workspace);
                dialect.setIds(query, 2, chunk);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        seqs.put(dialect.getId(rows, "id"), rows.getLong("change_seq"));
                    }
                }
            }
        }
        return seqs;
    }

    /** Whether the workspace has a conversation with this id: an unknown cursor is refused. */
    boolean exists(Connection connection, long workspace, UUID id) throws SQLException {
        Sql sql = new Sql().append("SELECT 1 FROM conversations WHERE workspace_id = ? AND id = ?", workspace, id);
        try (PreparedStatement query = sql.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            return rows.next();
        }
    }

    /** Deletes these conversations' rows (their requests and lookup rows are deleted apart); answers how many. */
    int delete(Connection connection, long workspace, List<UUID> ids) throws SQLException {
        int deleted = 0;
        for (List<UUID> chunk : chunks(ids)) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM conversations"
                    + " WHERE workspace_id = ? AND " + dialect.oneOfIds("id", chunk.size()))) {
                delete.setLong(1, workspace);
                dialect.setIds(delete, 2, chunk);
                deleted += delete.executeUpdate();
            }
        }
        return deleted;
    }

    /**
     * Where {@link #COLUMNS} stand in one result, found once by their labels: read by label, each
     * value of each row is a lookup in the driver's map of labels.
     */
    record Positions(int id, int externalId, int source, int channel, int escalation, int hasLinks,
                     int feedbackType, int expectingUserFollowup, int url, int categories, int createdAt,
                     int updatedAt, int userId) {

        static Positions in(ResultSet rows) throws SQLException {
            return new Positions(rows.findColumn("id"), rows.findColumn("external_id"), rows.findColumn("source"),
                    rows.findColumn("channel"), rows.findColumn("escalation"), rows.findColumn("has_links"),
                    rows.findColumn("feedback_type"), rows.findColumn("expecting_user_followup"),
                    rows.findColumn("url"), rows.findColumn("categories"), rows.findColumn("created_at"),
                    rows.findColumn("updated_at"), rows.findColumn("user_id"));
        }
    }

    /** A conversation's own fields from a row of {@link #COLUMNS}. */
    Header header(ResultSet rows, Positions at) throws SQLException {
        return new Header(dialect.getId(rows, at.id()), Optional.ofNullable(rows.getString(at.externalId())),
                Source.fromWire(rows.getString(at.source())).orElseThrow(),
                Optional.ofNullable(rows.getString(at.channel())), Optional.ofNullable(rows.getString(at.url())),
                rows.getLong(at.createdAt()), rows.getLong(at.updatedAt()),
                Optional.ofNullable(rows.getString(at.userId())), StoredLists.fromJson(rows.getString(at.categories())));
    }

    /** A conversation read from a row of {@link #COLUMNS}, without its requests yet. */
    Conversation conversation(ResultSet rows, Positions at) throws SQLException {
        Header header = header(rows, at);
        return new Conversation(header.id(), header.externalId(), header.source(), header.channel(),
                rows.getBoolean(at.escalation()), rows.getBoolean(at.hasLinks()),
                FeedbackType.stored(rows.getString(at.feedbackType())), rows.getBoolean(at.expectingUserFollowup()),
                header.url(), header.categories(), header.createdAt(), header.updatedAt(), List.of(), header.userId(),
                Optional.empty());
    }

    /** Reads conversations, without their requests yet, from the rows of a result of {@link #COLUMNS}. */
    BatchedRows.RowReader<Conversation> conversationsOf(ResultSet rows) throws SQLException {
        Positions at = Positions.in(rows);
        return row -> conversation(row, at);
    }

    private List<UUID> ids(PreparedStatement query) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(dialect.getId(rows, "id"));
            }
        }
        return ids;
    }

    static List<List<UUID>> chunks(List<UUID> ids) {
        List<List<UUID>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_AT_ONCE) {
            chunks.add(ids.subList(from, Math.min(ids.size(), from + IDS_AT_ONCE)));
        }
        return chunks;
    }

    /** The order of ids in both stores: their lowercase canonical text, which is also PostgreSQL's uuid order. */
    private static int inStoreOrder(UUID a, UUID b) {
        return a.toString().compareTo(b.toString());
    }
}
