package dev.parley.store;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Rows for one table, loaded in bulk when closed: PostgreSQL's {@code COPY} (several times the
 * speed of even a multi-row INSERT), a batched INSERT on SQLite ({@link Dialect#bulkRows} picks).
 * The first row names the columns; every later one must name the same, in the same order. Values
 * are those {@link Sql} binds: strings, numbers, booleans, ids and nulls.
 */
public abstract sealed class BulkRows implements AutoCloseable {

    protected final Connection connection;
    protected final String table;
    protected List<String> columns;

    private BulkRows(Connection connection, String table) {
        this.connection = connection;
        this.table = table;
    }

    static BulkRows copy(Connection connection, String table) {
        return new Copy(connection, table);
    }

    static BulkRows batch(Connection connection, Dialect dialect, String table) {
        return new Batch(connection, dialect, table);
    }

    /** One row; the first one fixes the columns of all. */
    public void add(Row row) throws SQLException {
        if (columns == null) {
            columns = row.columns();
            start();
        } else if (!row.columns().equals(columns)) {
            throw new IllegalArgumentException("a row of " + table + " has the columns " + row.columns()
                    + ", not " + columns);
        }
        addValues(row.values().toArray());
    }

    abstract void start() throws SQLException;

    abstract void addValues(Object[] values) throws SQLException;

    /** Loads the rows added. */
    @Override
    public abstract void close() throws SQLException;

    /** PostgreSQL: the rows in COPY's text format, sent by one COPY. */
    private static final class Copy extends BulkRows {
        private final StringBuilder rows = new StringBuilder();

        Copy(Connection connection, String table) {
            super(connection, table);
        }

        @Override
        void start() {
            // the COPY statement is made at close, when the rows are all here
        }

        @Override
        void addValues(Object[] values) {
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
        private PreparedStatement insert;

        Batch(Connection connection, Dialect dialect, String table) {
            super(connection, table);
            this.dialect = dialect;
        }

        @Override
        void start() throws SQLException {
            insert = connection.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", columns)
                    + ") VALUES (" + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")");
        }

        @Override
        void addValues(Object[] values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                Sql.bind(insert, i + 1, values[i], dialect);
            }
            insert.addBatch();
        }

        @Override
        public void close() throws SQLException {
            if (insert == null) {
                return;
            }
            try (PreparedStatement batch = insert) {
                batch.executeBatch();
            }
        }
    }
}
