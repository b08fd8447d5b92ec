package dev.parley.store;

/** Where a store's writes go: SQLite's one writer thread, or PostgreSQL's pool of writers. */
interface Writer extends AutoCloseable {

    /** Runs work in a transaction; returns only once its commit is durable. */
    <T> T write(Work<T> work);

    /** Runs work in a transaction that no other write shares; returns only once its commit is durable. */
    default <T> T writeAlone(Work<T> work) {
        return write(work);
    }

    /** How many long writes ({@link #writeAlone}) make progress at once. */
    default int longWritesAtOnce() {
        return 1;
    }

    /** True when the last write failed for want of disk space and none has been committed since. */
    default boolean diskFull() {
        return false;
    }

    @Override
    void close();
}
