package dev.parley.store;

import java.sql.SQLException;
import org.sqlite.SQLiteException;

/**
 * The store failed. {@link #unavailable()} tells a store that cannot serve right now (the client
 * should retry later: it is unreachable, busy, or its disk is full) from a statement that failed
 * (a bug).
 */
public final class StoreException extends RuntimeException {

    /** Why a store cannot serve now; each is a 503 for a client, with a reason a person can act on. */
    public enum Unavailable {
        UNREACHABLE("the store is not reachable right now"),
        TIMED_OUT("the store took longer than " + Database.STATEMENT_TIMEOUT.toSeconds()
                + " s to answer one statement: narrow the filters, or try again later"),
        BUSY("the store is busy with other writes"),
        FULL("the store cannot write: its disk is full"),
        DISK_ERROR("the store cannot read or write its files right now");

        public final String reason;

        Unavailable(String reason) {
            this.reason = reason;
        }
    }

    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;

    private final Unavailable given;

    public StoreException(String message, Throwable cause) {
        this(message, cause, null);
    }

    private StoreException(String message, Throwable cause, Unavailable given) {
        super(message, cause);
        this.given = given;
    }

    /** The store cannot serve now for a reason known without looking at a cause. */
    static StoreException unavailable(Unavailable why, String message) {
        return new StoreException(message, null, why);
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
        return e instanceof SQLiteException sqlite && (sqlite.getResultCode().code & 0xff) == SQLITE_BUSY;
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
        return unavailableBecause() != null;
    }

    /** Why the store cannot serve now; null when this is not a passing condition but a failure. */
    public Unavailable unavailableBecause() {
        if (given != null) {
            return given;
        }
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLiteException sqlite) {
                Unavailable why = of(sqlite);
                if (why != null) {
                    return why;
                }
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.equals("57014")) {
                    return Unavailable.TIMED_OUT; // query_canceled: past statement_timeout
                }
                if (state.startsWith("08") || state.equals("57P01")) {
                    return Unavailable.UNREACHABLE; // connection lost, or the server shutting down
                }
                if (state.equals("53100")) {
                    return Unavailable.FULL; // PostgreSQL's disk_full
                }
                if (state.startsWith("53")) {
                    return Unavailable.BUSY; // out of memory, too many connections: insufficient resources
                }
            }
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return Unavailable.UNREACHABLE;
            }
        }
        return null;
    }

    /** SQLite's primary result codes (the low byte of an extended one) for a disk that is full or failing, or a lock held too long. */
    static Unavailable of(SQLiteException e) {
        return switch (e.getResultCode().code & 0xff) {
            case SQLITE_FULL -> Unavailable.FULL;
            case SQLITE_IOERR -> Unavailable.DISK_ERROR;
            case SQLITE_BUSY, SQLITE_LOCKED -> Unavailable.BUSY;
            default -> null;
        };
    }
}
