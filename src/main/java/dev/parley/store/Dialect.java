package dev.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.UUID;

/**
 * What differs between the two stores. The SQL text itself is shared wherever both accept it;
 * only ids, row locks and the change sequence need a word per dialect.
 */
public enum Dialect {

    SQLITE {
        @Override
        public void setId(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setString(index, id.toString());
        }

        @Override
        public UUID getId(ResultSet rows, String column) throws SQLException {
            return UUID.fromString(rows.getString(column));
        }

        @Override
        public String forUpdate() {
            return ""; // one writer at a time: the whole database is the lock
        }

        @Override
        public void lock(Connection connection, String name) {
            // one writer at a time already
        }

        @Override
        public long nextChangeSeq(Connection connection) throws SQLException {
            try (var update = connection.prepareStatement(
                    "UPDATE change_sequence SET last_value = last_value + 1 RETURNING last_value")) {
                return singleLong(update.executeQuery());
            }
        }

        @Override
        public boolean isUniqueViolation(SQLException e) {
            return e.getErrorCode() == 19 && e.getMessage() != null && e.getMessage().contains("UNIQUE");
        }

        /**
         * Three characters or more: the FTS5 trigram index finds the requests; a trigram phrase
         * matches exactly the substrings. Shorter terms have no trigram, so they scan.
         */
        @Override
        public Sql requestsContaining(long workspace, String column, String foldedTerm) {
            if (foldedTerm.codePointCount(0, foldedTerm.length()) >= 3) {
                String phrase = "{" + column + "} : \"" + foldedTerm.replace("\"", "\"\"") + "\"";
                // CROSS JOIN keeps SQLite from scanning the workspace's requests instead of the index
                return new Sql().append("SELECT r.conversation_id FROM bot_requests_text f"
                        + " CROSS JOIN bot_requests r ON r.rowid = f.rowid"
                        + " WHERE f.bot_requests_text MATCH ? AND r.workspace_id = ?", phrase, workspace);
            }
            return new Sql().append("SELECT r.conversation_id FROM bot_requests r WHERE r.workspace_id = ?"
                    + " AND instr(r." + column + ", ?) > 0", workspace, foldedTerm);
        }
    },

    POSTGRESQL {
        @Override
        public void setId(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setObject(index, id, Types.OTHER);
        }

        @Override
        public UUID getId(ResultSet rows, String column) throws SQLException {
            return rows.getObject(column, UUID.class);
        }

        @Override
        public String forUpdate() {
            return " FOR UPDATE";
        }

        @Override
        public void lock(Connection connection, String name) throws SQLException {
            try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, lockKey(name));
                lock.executeQuery().close();
            }
        }

        @Override
        public long nextChangeSeq(Connection connection) throws SQLException {
            try (var next = connection.prepareStatement("SELECT nextval('change_sequence')")) {
                return singleLong(next.executeQuery());
            }
        }

        @Override
        public boolean isUniqueViolation(SQLException e) {
            return "23505".equals(e.getSQLState());
        }

        /** LIKE with every wildcard escaped, so that the pg_trgm GIN index can serve it. */
        @Override
        public Sql requestsContaining(long workspace, String column, String foldedTerm) {
            String pattern = "%" + foldedTerm.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            return new Sql().append("SELECT r.conversation_id FROM bot_requests r WHERE r.workspace_id = ?"
                    + " AND r." + column + " LIKE ?", workspace, pattern);
        }
    };

    public abstract void setId(PreparedStatement statement, int index, UUID id) throws SQLException;

    public abstract UUID getId(ResultSet rows, String column) throws SQLException;

    /** The clause that locks the selected rows until the transaction ends. */
    public abstract String forUpdate();

    /** Holds a lock on a name until the transaction ends, so that two writers of it take turns. */
    public abstract void lock(Connection connection, String name) throws SQLException;

    /** The next number of the change sequence that a changes feed follows. */
    public abstract long nextChangeSeq(Connection connection) throws SQLException;

    public abstract boolean isUniqueViolation(SQLException e);

    /**
     * Plans this statement anew at each execution. PostgreSQL otherwise keeps a plan made once
     * for a prepared statement, and one made while a bulk load's table was still small (a scan)
     * goes on being used as the table grows within the same transaction.
     */
    public void planEachTime(PreparedStatement statement) throws SQLException {
        if (this == POSTGRESQL) {
            statement.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
        }
    }

    /** Orders text by code point in both stores (SQLite's default; PostgreSQL's "C" collation). */
    public String byCodePoint(String column) {
        return this == POSTGRESQL ? column + " COLLATE \"C\"" : column;
    }

    /**
     * The conversation ids of a workspace's requests whose folded text in {@code column}
     * ({@code question_folded} or {@code answer_folded}) contains the folded term literally.
     */
    public abstract Sql requestsContaining(long workspace, String column, String foldedTerm);

    /**
     * A condition that {@code column} is one of {@code count} ids. PostgreSQL takes them as one
     * array parameter, so the statement's text (and plan) is the same for any number of ids.
     */
    public String oneOfIds(String column, int count) {
        return this == POSTGRESQL ? column + " = ANY(?)"
                : column + " IN (" + String.join(", ", java.util.Collections.nCopies(count, "?")) + ")";
    }

    /** Binds the ids of {@link #oneOfIds}; answers the next parameter index. */
    public int setIds(PreparedStatement statement, int index, java.util.List<UUID> ids) throws SQLException {
        if (this == POSTGRESQL) {
            statement.setArray(index, statement.getConnection().createArrayOf("uuid", ids.toArray()));
            return index + 1;
        }
        for (UUID id : ids) {
            setId(statement, index++, id);
        }
        return index;
    }

    static long lockKey(String name) {
        long hash = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) {
            hash = 31 * hash + name.charAt(i);
        }
        return hash;
    }

    private static long singleLong(ResultSet rows) throws SQLException {
        try (rows) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
