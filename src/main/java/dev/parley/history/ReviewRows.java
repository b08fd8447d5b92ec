package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Row;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code conversation_reviews} table, one row a reviewed conversation, and its lookup
 * {@code conversation_review_labels}, one row a label of a review, which the {@code label} filter
 * reads.
 */
final class ReviewRows {

    static final String TABLE = "conversation_reviews";
    static final String LABELS_TABLE = "conversation_review_labels";
    /** The columns a {@link Review} is read from. */
    static final String COLUMNS = "conversation_id, status, labels, note, reviewed_by, reviewed_at";

    private final Dialect dialect;

    ReviewRows(Dialect dialect) {
        this.dialect = dialect;
    }

    static Row row(long workspace, UUID conversationId, Review review) {
        return new Row()
                .set("workspace_id", workspace)
                .set("conversation_id", conversationId)
                .set("status", review.status().map(ReviewStatus::wireName).orElse(null))
                .set("labels", StoredLists.toJson(review.labels()))
                .set("note", review.note().orElse(null))
                .set("reviewed_by", review.reviewedBy())
                .set("reviewed_at", review.reviewedAt());
    }

    static Row labelRow(long workspace, UUID conversationId, String label) {
        return new Row()
                .set("workspace_id", workspace)
                .set("label", label)
                .set("conversation_id", conversationId);
    }

    /** Replaces a conversation's review, labels included. */
    void put(Connection connection, long workspace, UUID conversationId, Review review) throws SQLException {
        deleteOf(connection, workspace, List.of(conversationId));
        try (PreparedStatement insert = Sql.insert(TABLE, row(workspace, conversationId, review))
                .prepare(connection, dialect)) {
            insert.executeUpdate();
        }
        for (String label : review.labels()) {
            try (PreparedStatement insert = Sql.insert(LABELS_TABLE, labelRow(workspace, conversationId, label))
                    .prepare(connection, dialect)) {
                insert.executeUpdate();
            }
        }
    }

    /** The reviews of these conversations, by conversation id; the never reviewed are absent. */
    Map<UUID, Review> of(Connection connection, long workspace, List<UUID> conversationIds) throws SQLException {
        Map<UUID, Review> found = new HashMap<>();
        for (List<UUID> chunk : ConversationRows.chunks(conversationIds)) {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE
                    + " WHERE workspace_id = ? AND " + dialect.oneOfIds("conversation_id", chunk.size()))) {
                query.setLong(1, workspace);
                dialect.setIds(query, 2, chunk);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.put(dialect.getId(rows, "conversation_id"), review(rows));
                    }
                }
            }
        }
        return found;
    }

    /** Deletes the reviews of these conversations. */
    void deleteOf(Connection connection, long workspace, List<UUID> conversationIds) throws SQLException {
        for (String table : List.of(TABLE, LABELS_TABLE)) {
            for (List<UUID> chunk : ConversationRows.chunks(conversationIds)) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                        + " WHERE workspace_id = ? AND " + dialect.oneOfIds("conversation_id", chunk.size()))) {
                    delete.setLong(1, workspace);
                    dialect.setIds(delete, 2, chunk);
                    delete.executeUpdate();
                }
            }
        }
    }

    /** A review read from a row of {@link #COLUMNS}. */
    private static Review review(ResultSet rows) throws SQLException {
        String status = rows.getString("status");
        return new Review(status == null ? Optional.empty() : ReviewStatus.fromWire(status),
                StoredLists.fromJson(rows.getString("labels")), Optional.ofNullable(rows.getString("note")),
                rows.getString("reviewed_by"), rows.getLong("reviewed_at"));
    }
}
