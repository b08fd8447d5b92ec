package dev.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What differs between the two stores, as primitives any package can use: ids, row and named
 * locks, the change sequence, bulk loads, error codes, planner hints. The SQL text itself is
 * shared wherever both accept it; where a feature's own schema differs per store (history's text
 * search: FTS5 or trigram indexes), the feature chooses its SQL itself.
 */
public enum Dialect {

    SQLITE {
        @Override
        public void setId(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setString(index, id.toString());
        }

        @Override
        public UUID getId(ResultSet rows, int column) throws SQLException {
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

        /** The extended result codes of a unique or primary-key constraint, not the text of the message. */
        @Override
        public boolean isUniqueViolation(SQLException e) {
            return e instanceof org.sqlite.SQLiteException sqlite
                    && (sqlite.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                    || sqlite.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
        }

        @Override
        public BulkRows bulkRows(Connection connection, String table) {
            return BulkRows.batch(connection, this, table);
        }

        @Override
        public Optional<String> changeSeqExpression() {
            return Optional.empty();
        }

        @Override
        public String analyze(List<String> tables) {
            return "PRAGMA optimize";
        }
    },

    POSTGRESQL {
        @Override
        public void setId(PreparedStatement statement, int index, UUID id) throws SQLException {
            statement.setObject(index, id, Types.OTHER);
        }

        @Override
        public UUID getId(ResultSet rows, int column) throws SQLException {
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

        @Override
        public BulkRows bulkRows(Connection connection, String table) {
            return BulkRows.copy(connection, table);
        }

        @Override
        public Optional<String> changeSeqExpression() {
            return Optional.of("nextval('change_sequence')");
        }

        @Override
        public String analyze(List<String> tables) {
            return "ANALYZE " + String.join(", ", tables);
        }
    };

    public abstract void setId(PreparedStatement statement, int index, UUID id) throws SQLException;

    /** The id in a result's column, by its position (1 the first). */
    public abstract UUID getId(ResultSet rows, int column) throws SQLException;

    public UUID getId(ResultSet rows, String column) throws SQLException {
        return getId(rows, rows.findColumn(column));
    }

    /** The clause that locks the selected rows until the transaction ends. */
    public abstract String forUpdate();

    /**
     * The clause that locks the selected rows until the transaction ends, leaving out rows
     * another transaction holds instead of waiting for them (SQLite: one writer, nothing to skip).
     */
    public String forUpdateSkipLocked() {
        return this == POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /** Holds a lock on a name until the transaction ends, so that two writers of it take turns. */
    public abstract void lock(Connection connection, String name) throws SQLException;

    /** The next number of the change sequence that a changes feed follows. */
    public abstract long nextChangeSeq(Connection connection) throws SQLException;

    public abstract boolean isUniqueViolation(SQLException e);

    /** Rows for a table, loaded in bulk when closed: the fastest way each store has. */
    public abstract BulkRows bulkRows(Connection connection, String table);

    /**
     * An expression that draws the next change number inside another statement, where the store
     * has one: it saves the round trip of {@link #nextChangeSeq}.
     */
    public abstract Optional<String> changeSeqExpression();

    /** The statement that brings the planner's statistics of these tables up to date. */
    public abstract String analyze(List<String> tables);

    /**
     * Whether one statement may write several tables ({@code WITH … AS (INSERT …) INSERT …}) and
     * take a text array as one parameter: PostgreSQL can, SQLite cannot.
     */
    public boolean writesSeveralTablesAtOnce() {
        return this == POSTGRESQL;
    }

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
     * A condition that {@code column} is one of {@code count} ids. PostgreSQL takes them as one
     * array parameter, so the statement's text (and plan) is the same for any number of ids.
     */
    public String oneOfIds(String column, int count) {
        return this == POSTGRESQL ? column + " = ANY(?)"
                : column + " IN (" + String.join(", ", Collections.nCopies(count, "?")) + ")";
    }

    /** Binds the ids of {@link #oneOfIds}; answers the next parameter index. */
    public int setIds(PreparedStatement statement, int index, List<UUID> ids) throws SQLException {
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
