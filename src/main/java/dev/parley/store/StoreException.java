package dev.parley.store;

import java.sql.SQLException;

/**
 * The store failed. {@link #unavailable()} tells a store that cannot be reached (the client
 * should retry later) from a statement that failed (a bug).
 */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public static StoreException wrap(SQLException e) {
        return new StoreException("store operation failed: " + e.getMessage(), e);
    }

    /**
     * PostgreSQL aborted the transaction to let a concurrent one go on: a deadlock victim or a
     * serialization failure. Run again, it can succeed.
     */
    public boolean lostToConcurrentWrite() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40P01".equals(sql.getSQLState())
                    || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    public boolean unavailable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
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
