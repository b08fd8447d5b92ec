package dev.parley.store;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Rows for one table, loaded in bulk when closed: PostgreSQL's {@code COPY} (several times the
 * speed of even a multi-row INSERT), a batched INSERT on SQLite. Values are those {@link Sql}
 * binds: strings, numbers, booleans, ids and nulls.
 */
public abstract sealed class BulkRows implements AutoCloseable {

    protected final String table;
    protected final List<String> columns;

    private BulkRows(String table, List<String> columns) {
        this.table = table;
        this.columns = List.copyOf(columns);
    }

    public static BulkRows into(Connection connection, Dialect dialect, String table, List<String> columns)
            throws SQLException {
        return dialect == Dialect.POSTGRESQL ? new Copy(connection, table, columns)
                : new Batch(connection, dialect, table, columns);
    }

    /** One row, its values in the order of the columns. */
    public abstract void add(Object... values) throws SQLException;

    /** Loads the rows added. */
    @Override
    public abstract void close() throws SQLException;

    protected void checkWidth(Object[] values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for the " + columns.size() + " columns of "
                    + table);
        }
    }

    /** PostgreSQL: the rows in COPY's text format, sent by one COPY. */
    private static final class Copy extends BulkRows {
        private final Connection connection;
        private final StringBuilder rows = new StringBuilder();

        Copy(Connection connection, String table, List<String> columns) {
            super(table, columns);
            this.connection = connection;
        }

        @Override
        public void add(Object... values) {
            checkWidth(values);
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    rows.append('\t');
                }
                appendValue(values[i]);
            }
            rows.append('\n');
        }

        /** Text format: NULL is \N; in text a backslash, tab, newline or return is escaped, so no line is ambiguous. */
        private void appendValue(Object value) {
            if (value == null) {
                rows.append("\\N");
            } else if (value instanceof Boolean flag) {
                rows.append(flag ? 't' : 'f');
            } else if (value instanceof Long || value instanceof Integer || value instanceof UUID) {
                rows.append(value);
            } else if (value instanceof String text) {
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    switch (c) {
                        case '\\' -> rows.append("\\\\");
                        case '\t' -> rows.append("\\t");
                        case '\n' -> rows.append("\\n");
                        case '\r' -> rows.append("\\r");
                        default -> rows.append(c);
                    }
                }
            } else {
                throw new IllegalArgumentException("cannot copy a " + value.getClass().getSimpleName());
            }
        }

        @Override
        public void close() throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            String copy = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
            try {
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new StringReader(rows.toString()));
            } catch (IOException e) {
                throw new SQLException("COPY into " + table + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** SQLite: one prepared INSERT, executed as a batch. */
    private static final class Batch extends BulkRows {
        private final Dialect dialect;
        private final PreparedStatement insert;

        Batch(Connection connection, Dialect dialect, String table, List<String> columns) throws SQLException {
            super(table, columns);
            this.dialect = dialect;
            this.insert = connection.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", columns)
                    + ") VALUES (" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")");
        }

        @Override
        public void add(Object... values) throws SQLException {
            checkWidth(values);
            for (int i = 0; i < values.length; i++) {
                Sql.bind(insert, i + 1, values[i], dialect);
            }
            insert.addBatch();
        }

        @Override
        public void close() throws SQLException {
            try (insert) {
                insert.executeBatch();
            }
        }
    }
}
