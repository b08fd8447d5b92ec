package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Row;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** The {@code conversation_tombstones} table: deleted conversations, for the changes feed that mirrors deletions. */
final class TombstoneRows {

    private final Dialect dialect;

    TombstoneRows(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Marks a conversation deleted at this change; a conversation deleted again keeps one, the latest. */
    void mark(Connection connection, long workspace, UUID conversationId, long deletedAt, long changeSeq)
            throws SQLException {
        Row tombstone = new Row()
                .set("workspace_id", workspace)
                .set("conversation_id", conversationId)
                .set("deleted_at", deletedAt)
                .set("change_seq", changeSeq);
        Sql sql = Sql.insert("conversation_tombstones", tombstone).append(" ON CONFLICT (workspace_id, conversation_id)"
                + " DO UPDATE SET deleted_at = excluded.deleted_at, change_seq = excluded.change_seq");
        try (PreparedStatement insert = sql.prepare(connection, dialect)) {
            insert.executeUpdate();
        }
    }

    /** Marks several conversations deleted at this change, in one batch. */
    void markAll(Connection connection, long workspace, java.util.List<UUID> conversationIds, long deletedAt,
                 long changeSeq) throws SQLException {
        if (conversationIds.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO conversation_tombstones"
                + " (workspace_id, conversation_id, deleted_at, change_seq) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (workspace_id, conversation_id)"
                + " DO UPDATE SET deleted_at = excluded.deleted_at, change_seq = excluded.change_seq")) {
            for (UUID id : conversationIds) {
                insert.setLong(1, workspace);
                dialect.setId(insert, 2, id);
                insert.setLong(3, deletedAt);
                insert.setLong(4, changeSeq);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
