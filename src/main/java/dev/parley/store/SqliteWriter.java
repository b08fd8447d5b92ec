package dev.parley.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * SQLite allows one writer at a time; rather than let concurrent writers meet
 * {@code SQLITE_BUSY}, every write goes through this one thread and its one connection.
 *
 * <p>Group commit: the thread takes every write that is waiting, runs each inside its own
 * savepoint (a failing write rolls back alone), then commits them all with one sync. No caller
 * hears of success before that commit is on disk.
 *
 * <p>Another process may write too (the admin CLI beside {@code serve}): each group begins with
 * {@code BEGIN IMMEDIATE}, which takes the write lock first and waits for it up to the busy
 * timeout. A deferred transaction that read first could not wait: SQLite refuses its upgrade to
 * a write at once ({@code SQLITE_BUSY}) when the other process committed since its read. The
 * transaction statements are issued here, not by the driver, whose non-auto-commit mode would
 * begin the next transaction, and hold the lock, as soon as one commits.
 */
final class SqliteWriter implements Writer {

    private static final int MAX_GROUP = 128;

    private final Connection connection;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    SqliteWriter(Connection connection) {
        this.connection = connection;
        this.thread = new Thread(this::loop, "sqlite-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public <T> T write(Work<T> work) {
        if (closing) {
            throw new StoreException("the store is closed", null);
        }
        Job<T> job = new Job<>(work);
        queue.add(job);
        try {
            return job.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a write", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof SQLException sql) {
                throw StoreException.wrap(sql);
            }
            throw new StoreException("write failed", e.getCause());
        }
    }

    private void loop() {
        List<Job<?>> group = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Job<?> first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commitGroup(group);
            } catch (InterruptedException e) {
                closing = true;
            } finally {
                group.clear();
            }
        }
    }

    private void commitGroup(List<Job<?>> group) {
        try {
            execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            for (Job<?> job : group) {
                job.result.completeExceptionally(e);
            }
            return;
        }
        List<Runnable> acknowledgements = new ArrayList<>(group.size());
        for (Job<?> job : group) {
            acknowledgements.add(runInSavepoint(job));
        }
        try {
            execute("COMMIT");
            acknowledgements.forEach(Runnable::run);
        } catch (SQLException e) {
            rollbackQuietly();
            for (Job<?> job : group) {
                job.result.completeExceptionally(e);
            }
        }
    }

    /** Runs one job; returns what to tell its caller once the group is committed. */
    private <T> Runnable runInSavepoint(Job<T> job) {
        boolean begun = false;
        try {
            execute("SAVEPOINT job");
            begun = true;
            T value = job.work.run(connection);
            execute("RELEASE job");
            return () -> job.result.complete(value);
        } catch (Exception | Error e) {
            try {
                if (begun) {
                    execute("ROLLBACK TO job");
                    execute("RELEASE job");
                }
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            job.result.completeExceptionally(e);
            return () -> { };
        }
    }

    private void execute(String transactionStatement) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(transactionStatement);
        }
    }

    private void rollbackQuietly() {
        try {
            execute("ROLLBACK");
        } catch (SQLException ignored) {
            // the connection is broken, or SQLite rolled back already; the jobs are failed either way
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    private static final class Job<T> {
        final Work<T> work;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Job(Work<T> work) {
            this.work = work;
        }
    }
}
