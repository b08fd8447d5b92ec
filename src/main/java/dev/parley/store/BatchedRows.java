package dev.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A query's rows read a batch at a time inside the connection's transaction, planned to start
 * fast. On PostgreSQL it is a declared cursor: the planner plans a cursor for its first rows
 * ({@code cursor_tuple_fraction}), where the portal a driver opens for a fetch size is planned for
 * all of them — an ordered read of every match then sorted them all before the first, when an
 * index already had them in order. On SQLite it is one statement, stepped a batch at a time.
 * Other statements may run on the connection between batches.
 */
public final class BatchedRows implements AutoCloseable {

    /** Reads the rows of one result: finds where its columns stand once, then reads each row. */
    @FunctionalInterface
    public interface Reader<T> {
        RowReader<T> columnsOf(ResultSet rows) throws SQLException;
    }

    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private static final AtomicLong CURSORS = new AtomicLong();

    private final int batchSize;
    private final Statement statement;
    private final String cursor;
    private final ResultSet stepped;
    private boolean ended;

    private BatchedRows(int batchSize, Statement statement, String cursor, ResultSet stepped) {
        this.batchSize = batchSize;
        this.statement = statement;
        this.cursor = cursor;
        this.stepped = stepped;
    }

    public static BatchedRows open(Connection connection, Dialect dialect, Sql query, int batchSize)
            throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            String cursor = "batched_rows_" + CURSORS.incrementAndGet();
            try (PreparedStatement declare = new Sql().append("DECLARE " + cursor + " NO SCROLL CURSOR FOR ")
                    .append(query).prepare(connection, dialect)) {
                declare.execute();
            }
            return new BatchedRows(batchSize, connection.createStatement(), cursor, null);
        }
        PreparedStatement statement = query.prepare(connection, dialect);
        try {
            return new BatchedRows(batchSize, statement, null, statement.executeQuery());
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /** The next batch of rows, as the reader reads them; empty once the query's rows are all read. */
    public <T> List<T> next(Reader<T> reader) throws SQLException {
        List<T> batch = new ArrayList<>(batchSize);
        if (ended) {
            return batch;
        }
        if (cursor != null) {
            try (ResultSet rows = statement.executeQuery("FETCH FORWARD " + batchSize + " FROM " + cursor)) {
                RowReader<T> row = reader.columnsOf(rows);
                while (rows.next()) {
                    batch.add(row.read(rows));
                }
            }
            ended = batch.size() < batchSize;
            return batch;
        }
        RowReader<T> row = reader.columnsOf(stepped);
        while (batch.size() < batchSize && !ended) {
            if (stepped.next()) {
                batch.add(row.read(stepped));
            } else {
                ended = true;
            }
        }
        return batch;
    }

    /** Closes the statement; PostgreSQL's cursor ends with the transaction that declared it. */
    @Override
    public void close() throws SQLException {
        statement.close();
    }
}
