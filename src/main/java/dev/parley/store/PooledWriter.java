package dev.parley.store;

import com.zaxxer.hikari.HikariDataSource;

/** PostgreSQL's writes: each in its own transaction on a pooled connection, committed before it returns. */
final class PooledWriter implements Writer {

    private final HikariDataSource pool;

    PooledWriter(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public <T> T write(Work<T> work) {
        return Database.inTransaction(pool, work);
    }

    @Override
    public void close() {
        pool.close();
    }
}
