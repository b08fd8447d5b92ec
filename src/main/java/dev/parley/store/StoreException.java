package dev.parley.store;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The store failed. {@link #unavailable()} tells a store that cannot be reached (the client
 * should retry later) from a statement that failed (a bug).
 */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public static StoreException wrap(SQLException e) {
        if (lockedTooLong(e)) {
            return new StoreException("the SQLite store stayed locked by another process for more than "
                    + Database.SQLITE_BUSY_TIMEOUT.toSeconds() + " s; try again when it is less busy", e);
        }
        return new StoreException("store operation failed: " + e.getMessage(), e);
    }

    /** SQLITE_BUSY (with any extended code): another connection held the write lock past the busy timeout. */
    private static boolean lockedTooLong(SQLException e) {
        return e instanceof SQLiteException && (e.getErrorCode() & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code;
    }

    public boolean unavailable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && lockedTooLong(sql)) {
                return true; // another process (the admin CLI) held SQLite's write lock too long
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57014")
                    || sql.getSQLState().equals("57P01"))) {
                return true; // connection lost, statement timed out, or the server shutting down
            }
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }
}
