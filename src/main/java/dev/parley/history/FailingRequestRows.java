package dev.parley.history;

import dev.parley.history.ConversationRows.Header;
import dev.parley.history.RequestRows.StoredRequest;
import dev.parley.store.Dialect;
import dev.parley.store.Row;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code failing_requests} table: a copy of each failing bot request (SPEC §11) with what the
 * failing-questions insight reads, keyed by its conversation's time, so that a window's failing
 * requests are one range of a narrow table. {@link RequestRows} keeps it in step with every
 * write of {@code bot_requests}; the bulk paths that write requests themselves add its rows with
 * {@link #row}.
 */
final class FailingRequestRows {

    static final String TABLE = "failing_requests";
    /** Which stored requests failed, in the columns of {@code bot_requests r}. */
    static final String FAILED = "(r.escalation = ? OR r.feedback_type = 'thumbs_down' OR r.uncited = ?)";

    private final Dialect dialect;

    FailingRequestRows(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The row of a request of this conversation; empty when the request did not fail. */
    static Optional<Row> row(long workspace, UUID conversationId, Source source, long conversationCreatedAt,
                             BotRequest request) {
        if (!request.failed()) {
            return Optional.empty();
        }
        return Optional.of(new Row()
                .set("workspace_id", workspace)
                .set("conversation_created_at", conversationCreatedAt)
                .set("conversation_id", conversationId)
                .set("request_id", request.id())
                .set("source", source.wireName())
                .set("created_at", request.createdAt())
                .set("question", request.question())
                .set("escalation", request.escalation())
                .set("thumbs_down", request.feedbackType().equals(Optional.of(FeedbackType.THUMBS_DOWN)))
                .set("uncited", request.uncited())
                .set("categories", StoredLists.toJson(request.categories())));
    }

    static Optional<Row> row(long workspace, Header conversation, StoredRequest stored) {
        return row(workspace, conversation.id(), conversation.source(), conversation.createdAt(), stored.request());
    }

    /** Adds the row of a request just stored, when it failed. */
    void insert(Connection connection, long workspace, Header conversation, StoredRequest stored)
            throws SQLException {
        Optional<Row> row = row(workspace, conversation, stored);
        if (row.isPresent()) {
            execute(connection, Sql.insert(TABLE, row.get()));
        }
    }

    /**
     * Makes a request's row what its stored row in {@code bot_requests} now implies: written from
     * that row itself, so that a change of its feedback or texts cannot leave a stale copy.
     */
    void refresh(Connection connection, long workspace, UUID conversationId, UUID requestId) throws SQLException {
        execute(connection, new Sql().append("DELETE FROM " + TABLE
                + " WHERE workspace_id = ? AND conversation_id = ? AND request_id = ?", workspace, conversationId,
                requestId));
        execute(connection, new Sql().append("INSERT INTO " + TABLE + " (workspace_id, conversation_created_at,"
                + " conversation_id, request_id, source, created_at, question, escalation, thumbs_down, uncited,"
                + " categories) SELECT r.workspace_id, c.created_at, c.id, r.id, c.source, r.created_at, r.question,"
                + " r.escalation, COALESCE(r.feedback_type = 'thumbs_down', ?), r.uncited, r.categories"
                + " FROM bot_requests r JOIN conversations c"
                + " ON c.workspace_id = r.workspace_id AND c.id = r.conversation_id"
                + " WHERE r.workspace_id = ? AND r.conversation_id = ? AND r.id = ? AND ", false, workspace,
                conversationId, requestId).append(FAILED, true, true));
    }

    /** Deletes the rows of these conversations. */
    void deleteOf(Connection connection, long workspace, List<UUID> conversationIds) throws SQLException {
        for (List<UUID> chunk : ConversationRows.chunks(conversationIds)) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE
                    + " WHERE workspace_id = ? AND " + dialect.oneOfIds("conversation_id", chunk.size()))) {
                delete.setLong(1, workspace);
                dialect.setIds(delete, 2, chunk);
                delete.executeUpdate();
            }
        }
    }

    private void execute(Connection connection, Sql sql) throws SQLException {
        try (PreparedStatement statement = sql.prepare(connection, dialect)) {
            statement.executeUpdate();
        }
    }
}
