package dev.parley.store;

/** Where a store's writes go: SQLite's one writer thread, or PostgreSQL's pool of writers. */
interface Writer extends AutoCloseable {

    /** Runs work in a transaction; returns only once its commit is durable. */
    <T> T write(Work<T> work);

    @Override
    void close();
}
