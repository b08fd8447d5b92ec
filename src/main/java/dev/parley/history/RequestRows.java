package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Row;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code bot_requests} table: one row a bot request, with its conversation, its place in
 * it, its text folded for the substring filters, and the fingerprint that tells a retry from a
 * new exchange. Every write of it keeps {@link FailingRequestRows} in step, in the same transaction.
 */
final class RequestRows {

    static final String TABLE = "bot_requests";
    /** The columns a {@link StoredRequest} is read from. */
    static final String COLUMNS = "id, conversation_id, position, question, answer, categories, escalation,"
            + " reasoning, feedback_type, expecting_user_followup, created_at, based_on, content_hash";
    /** A conversation's requests in the order they were asked: by time, equal times in the order recorded. */
    private static final Comparator<StoredRequest> OLDEST_FIRST = Comparator
            .comparingLong((StoredRequest stored) -> stored.request().createdAt())
            .thenComparingInt(StoredRequest::position);

    private final Dialect dialect;
    private final FailingRequestRows failing;

    RequestRows(Dialect dialect) {
        this.dialect = dialect;
        this.failing = new FailingRequestRows(dialect);
    }

    /** A bot request with where it is stored; imported ones have no fingerprint. */
    record StoredRequest(UUID conversationId, int position, BotRequest request, Optional<String> contentHash) {
    }

    static Row row(long workspace, StoredRequest stored) {
        BotRequest request = stored.request();
        return new Row()
                .set("workspace_id", workspace)
                .set("id", request.id())
                .set("conversation_id", stored.conversationId())
                .set("position", stored.position())
                .set("question", request.question())
                .set("answer", request.answer())
                .set("categories", StoredLists.toJson(request.categories()))
                .set("escalation", request.escalation())
                .set("reasoning", request.reasoning().orElse(null))
                .set("feedback_type", FeedbackType.toStored(request.feedbackType()))
                .set("expecting_user_followup", request.expectingUserFollowup())
                .set("created_at", request.createdAt())
                .set("based_on", request.basedOn().json())
                .set("content_hash", stored.contentHash().orElse(null))
                .set("question_folded", BotRequest.folded(request.question()))
                .set("answer_folded", BotRequest.folded(request.answer()))
                .set("uncited", request.uncited());
    }

    /** Stores a request of this conversation. */
    void insert(Connection connection, long workspace, ConversationRows.Header conversation, StoredRequest stored)
            throws SQLException {
        try (PreparedStatement insert = Sql.insert(TABLE, row(workspace, stored)).prepare(connection, dialect)) {
            insert.executeUpdate();
        }
        failing.insert(connection, workspace, conversation, stored);
    }

    Optional<StoredRequest> find(Connection connection, long workspace, UUID requestId) throws SQLException {
        Sql sql = new Sql().append("SELECT " + COLUMNS + " FROM bot_requests WHERE workspace_id = ? AND id = ?",
                workspace, requestId);
        return read(connection, sql).stream().findFirst();
    }

    /** A conversation's requests, oldest first, equal times in the order recorded. */
    List<StoredRequest> of(Connection connection, long workspace, UUID conversationId) throws SQLException {
        return read(connection, new Sql().append("SELECT " + COLUMNS + " FROM bot_requests"
                + " WHERE workspace_id = ? AND conversation_id = ? ORDER BY created_at, position", workspace,
                conversationId));
    }

    /**
     * The requests of several conversations, each conversation's oldest first. Ordered here, not
     * by the database: an export asks for a chunk at a time, and PostgreSQL's sort of a chunk's
     * requests could outgrow its memory for sorts and spill to disk.
     */
    List<StoredRequest> of(Connection connection, long workspace, List<UUID> conversationIds) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM bot_requests"
                + " WHERE workspace_id = ? AND " + dialect.oneOfIds("conversation_id", conversationIds.size()))) {
            query.setLong(1, workspace);
            dialect.setIds(query, 2, conversationIds);
            List<StoredRequest> requests = read(query);
            requests.sort(OLDEST_FIRST);
            return requests;
        }
    }

    void setFeedback(Connection connection, long workspace, UUID conversationId, UUID requestId,
                     Optional<FeedbackType> feedback) throws SQLException {
        Sql sql = Sql.update(TABLE, new Row().set("feedback_type", FeedbackType.toStored(feedback)))
                .append(" WHERE workspace_id = ? AND id = ?", workspace, requestId);
        try (PreparedStatement update = sql.prepare(connection, dialect)) {
            update.executeUpdate();
        }
        failing.refresh(connection, workspace, conversationId, requestId);
    }

    /** Rewrites a stored request's free texts and their folded copies, which the text search indexes. */
    void updateTexts(Connection connection, long workspace, UUID conversationId, BotRequest request)
            throws SQLException {
        Row texts = new Row()
                .set("question", request.question())
                .set("answer", request.answer())
                .set("question_folded", BotRequest.folded(request.question()))
                .set("answer_folded", BotRequest.folded(request.answer()))
                .set("reasoning", request.reasoning().orElse(null))
                .set("based_on", request.basedOn().json());
        Sql sql = Sql.update(TABLE, texts).append(" WHERE workspace_id = ? AND id = ?", workspace, request.id());
        try (PreparedStatement update = sql.prepare(connection, dialect)) {
            update.executeUpdate();
        }
        failing.refresh(connection, workspace, conversationId, request.id());
    }

    /** Deletes every request of these conversations. */
    void deleteOf(Connection connection, long workspace, List<UUID> conversationIds) throws SQLException {
        for (List<UUID> chunk : ConversationRows.chunks(conversationIds)) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM bot_requests"
                    + " WHERE workspace_id = ? AND " + dialect.oneOfIds("conversation_id", chunk.size()))) {
                delete.setLong(1, workspace);
                dialect.setIds(delete, 2, chunk);
                delete.executeUpdate();
            }
        }
        failing.deleteOf(connection, workspace, conversationIds);
    }

    /**
     * Where {@link #COLUMNS} stand in one result, found once by their labels: read by label, each
     * value of each row is a lookup in the driver's map of labels (a tenth of an export's time).
     */
    private record Positions(int id, int conversationId, int position, int question, int answer, int categories,
                     int escalation, int reasoning, int feedbackType, int expectingUserFollowup, int createdAt,
                     int basedOn, int contentHash) {

        static Positions in(ResultSet rows) throws SQLException {
            return new Positions(rows.findColumn("id"), rows.findColumn("conversation_id"),
                    rows.findColumn("position"), rows.findColumn("question"), rows.findColumn("answer"),
                    rows.findColumn("categories"), rows.findColumn("escalation"), rows.findColumn("reasoning"),
                    rows.findColumn("feedback_type"), rows.findColumn("expecting_user_followup"),
                    rows.findColumn("created_at"), rows.findColumn("based_on"), rows.findColumn("content_hash"));
        }
    }

    /** A request read from a row of {@link #COLUMNS}; stored rows are trusted, not checked again against today's limits. */
    private StoredRequest stored(ResultSet rows, Positions at) throws SQLException {
        BotRequest request = new BotRequest(dialect.getId(rows, at.id()), rows.getString(at.question()),
                rows.getString(at.answer()), StoredLists.fromJson(rows.getString(at.categories())),
                rows.getBoolean(at.escalation()), Optional.ofNullable(rows.getString(at.reasoning())),
                FeedbackType.stored(rows.getString(at.feedbackType())), rows.getBoolean(at.expectingUserFollowup()),
                rows.getLong(at.createdAt()), Citations.stored(rows.getString(at.basedOn())));
        return new StoredRequest(dialect.getId(rows, at.conversationId()), rows.getInt(at.position()), request,
                Optional.ofNullable(rows.getString(at.contentHash())));
    }

    private List<StoredRequest> read(Connection connection, Sql sql) throws SQLException {
        try (PreparedStatement query = sql.prepare(connection, dialect)) {
            return read(query);
        }
    }

    private List<StoredRequest> read(PreparedStatement query) throws SQLException {
        List<StoredRequest> requests = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            Positions at = Positions.in(rows);
            while (rows.next()) {
                requests.add(stored(rows, at));
            }
        }
        return requests;
    }
}
