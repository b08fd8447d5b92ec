package dev.parley.history;

import dev.parley.store.Dialect;
import dev.parley.store.Row;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * A lookup table that keeps a rare filter value from scanning the workspace: a row for each
 * value a conversation has, keyed in the newest-first order. Two tables have this shape:
 * {@link #CATEGORIES} (its categories) and {@link #CITATIONS} (the source ids its answers cited).
 */
enum LookupRows {

    CATEGORIES("conversation_categories", "category"),
    CITATIONS("conversation_citations", "source_id");

    final String table;
    final String column;

    LookupRows(String table, String column) {
        this.table = table;
        this.column = column;
    }

    /** This table's values of a conversation, as its aggregates imply them. */
    List<String> valuesOf(Aggregates aggregates) {
        return this == CATEGORIES ? aggregates.categories() : aggregates.citedSourceIds();
    }

    Row row(long workspace, String value, long createdAt, UUID conversationId) {
        return new Row()
                .set("workspace_id", workspace)
                .set(column, value)
                .set("created_at", createdAt)
                .set("conversation_id", conversationId);
    }

    /**
     * Brings a conversation's rows from what {@code before} implied to what {@code after} implies,
     * changing only the rows that differ: an append that adds no category writes none.
     */
    void change(Connection connection, Dialect dialect, long workspace, UUID conversationId, long createdAt,
                Aggregates before, Aggregates after) throws SQLException {
        List<String> was = valuesOf(before);
        List<String> is = valuesOf(after);
        for (String value : was) {
            if (!is.contains(value)) {
                Sql delete = new Sql().append("DELETE FROM " + table + " WHERE workspace_id = ?"
                        + " AND conversation_id = ? AND " + column + " = ?", workspace, conversationId, value);
                try (PreparedStatement statement = delete.prepare(connection, dialect)) {
                    statement.executeUpdate();
                }
            }
        }
        for (String value : is) {
            if (!was.contains(value)) {
                Sql insert = Sql.insert(table, row(workspace, value, createdAt, conversationId));
                try (PreparedStatement statement = insert.prepare(connection, dialect)) {
                    statement.executeUpdate();
                }
            }
        }
    }

    /** Deletes every row of these conversations. */
    void deleteOf(Connection connection, Dialect dialect, long workspace, List<UUID> conversationIds)
            throws SQLException {
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
