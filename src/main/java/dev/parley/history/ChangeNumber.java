package dev.parley.history;

import dev.parley.store.Dialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The change sequence number of one write, drawn from the store the first time it is asked for:
 * on PostgreSQL, opening a conversation draws it inside its one statement instead, and a
 * separate draw would be one more round trip.
 */
final class ChangeNumber {

    private final Dialect dialect;
    private final Connection connection;
    private long value = -1;

    ChangeNumber(Dialect dialect, Connection connection) {
        this.dialect = dialect;
        this.connection = connection;
    }

    long get() throws SQLException {
        if (value < 0) {
            value = dialect.nextChangeSeq(connection);
        }
        return value;
    }
}
