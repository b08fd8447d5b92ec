package dev.parley.store;

import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.ThreadLocalRandom;

/**
 * PostgreSQL's writes: each in its own transaction on a pooled connection, committed before it
 * returns. Writers lock a conversation before its rows, and several in id order, so they wait
 * for each other rather than deadlock; where two writes of many conversations (an import, an
 * erasure) still cross, PostgreSQL aborts one, and that one is run again from the start.
 */
final class PooledWriter implements Writer {

    /** A write that loses to other writers this often is answered 503, to be retried by the client. */
    private static final int ATTEMPTS = 4;

    private final HikariDataSource pool;

    PooledWriter(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public <T> T write(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            AfterCommit.begin();
            try {
                T result = Database.inTransaction(pool, work);
                AfterCommit.runAll(AfterCommit.end());
                return result;
            } catch (StoreException e) {
                AfterCommit.end();
                if (!e.lostToConcurrentWrite() || attempt == ATTEMPTS) {
                    throw e;
                }
                pauseBefore(attempt);
            }
        }
    }

    /**
     * As many as the pool has connections and this machine has cores: each is a transaction on a
     * connection of its own, whose database backend uses a core of the server.
     */
    @Override
    public int longWritesAtOnce() {
        return Math.min(pool.getMaximumPoolSize(), Runtime.getRuntime().availableProcessors());
    }

    /** A few milliseconds, growing, and random so that the two losers of a crossing do not meet again. */
    private static void pauseBefore(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to run a write again", e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
