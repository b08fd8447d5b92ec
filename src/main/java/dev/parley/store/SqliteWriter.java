package dev.parley.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;

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
 * a write at once ({@code SQLITE_BUSY}) when the other process committed since its read.
 *
 * <p>The thread says {@code BEGIN}, {@code SAVEPOINT}, {@code COMMIT} itself rather than through
 * the JDBC driver, so that it always knows which of them failed: SQLite rolls a whole transaction
 * back on some errors (a full disk), after which the driver believed a transaction was still open
 * while every statement committed on its own — writes stored, yet answered with an error. Now a
 * savepoint that cannot be rolled back means the transaction is gone, every write of the group
 * hears so, and the next group starts on a fresh connection.
 *
 * <p>A long write (a chunk of an import) runs alone, in a group of its own: the short writes
 * queued beside it commit in the next group, without waiting for it.
 *
 * <p>No caller waits without a deadline: a write that has not started within the write timeout
 * is abandoned (it will never run) and answered {@link StoreException.Unavailable#BUSY}. A group
 * that has started and still runs after the write timeout is cut short (its statement
 * interrupted, its transaction rolled back) unless it has begun to commit, and each of its
 * callers is answered BUSY: nothing of it is stored, so a retry cannot store it twice.
 */
final class SqliteWriter implements Writer {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);
    private static final int MAX_GROUP = 128;
    private static final Duration LONGEST_ALONE = Duration.ofSeconds(60);

    /** Opens the writer's connection, again after a failure. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final Duration timeout;
    private final BlockingDeque<Job<?>> queue = new LinkedBlockingDeque<>();
    private final Thread thread;
    private Connection connection; // the writer thread's, and close()'s once that thread has ended
    private volatile boolean closing;
    private volatile boolean diskFull;

    SqliteWriter(Opener opener, Duration timeout) throws SQLException {
        this.opener = opener;
        this.timeout = timeout;
        this.connection = opener.open();
        this.thread = new Thread(this::loop, "sqlite-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public <T> T write(Work<T> work) {
        return submit(work, false);
    }

    /** A long write (a chunk of an import) commits alone: the short ones queued beside it need not wait for it. */
    @Override
    public <T> T writeAlone(Work<T> work) {
        return submit(work, true);
    }

    private <T> T submit(Work<T> work, boolean alone) {
        if (closing) {
            throw new StoreException("the store is closed", null);
        }
        Job<T> job = new Job<>(work, alone);
        queue.add(job);
        return job.await(timeout);
    }

    /**
     * Adds the writes waiting behind the group's first to it, up to one that must run alone (or
     * none, when the first must): only this thread takes from the queue, so what it peeks it polls.
     */
    private void joinWaiting(List<Job<?>> group) {
        if (group.get(0).alone) {
            return;
        }
        Job<?> next;
        while (group.size() < MAX_GROUP && (next = queue.peekFirst()) != null && !next.alone) {
            group.add(queue.pollFirst());
        }
    }

    /** True when the last write failed for want of disk space and none has been committed since. */
    @Override
    public boolean diskFull() {
        return diskFull;
    }

    private void loop() {
        List<Job<?>> group = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Job<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                AfterCommit.begin();
                commitGroup(group);
            } catch (InterruptedException e) {
                closing = true;
            } catch (RuntimeException | Error e) {
                LOG.error("the SQLite writer failed a group of writes", e);
                group.forEach(job -> job.fail(e));
                restart();
            } finally {
                AfterCommit.end();
                group.clear();
            }
        }
    }

    private void commitGroup(List<Job<?>> group) {
        try {
            // IMMEDIATE: take the write lock now (waiting for a CLI command that holds it), so that
            // no statement of the group can find it taken later
            execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            joinWaiting(group);
            group.stream().filter(Job::start).forEach(job -> job.fail(e));
            noteFailure(e);
            restart();
            return;
        }
        // writes that came while the lock was awaited join this group; those abandoned never run
        joinWaiting(group);
        group.removeIf(job -> !job.start());
        Watch watch = new Watch(connection);
        ScheduledFuture<?> cut = WATCHDOG.schedule(watch::cut, allowed(group).toNanos(), TimeUnit.NANOSECONDS);
        List<Runnable> acknowledgements = new ArrayList<>(group.size());
        try {
            if (!runAll(group, acknowledgements, watch)) {
                return;
            }
        } finally {
            cut.cancel(false);
        }
        try {
            execute("COMMIT");
        } catch (SQLException e) {
            group.forEach(job -> job.fail(e));
            noteFailure(e);
            restart();
            return;
        }
        if (!acknowledgements.isEmpty()) {
            diskFull = false;
        }
        acknowledgements.forEach(Runnable::run);
        AfterCommit.runAll(AfterCommit.end());
    }

    /**
     * How long a group may run before it is cut short: the write timeout, but a long write alone
     * (an import's chunk) may take longer on a loaded machine, and its caller, the import, rather
     * waits than fails whole — up to PostgreSQL's statement timeout.
     */
    private Duration allowed(List<Job<?>> group) {
        return group.size() == 1 && group.get(0).alone ? max(timeout, LONGEST_ALONE) : timeout;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Runs the group's jobs, each in its savepoint; answers whether the group may commit. When it
     * may not (the transaction is gone, or the group ran past the write timeout and was cut
     * short), every job has been answered and the connection is new.
     */
    private boolean runAll(List<Job<?>> group, List<Runnable> acknowledgements, Watch watch) {
        for (int i = 0; i < group.size(); i++) {
            Job<?> job = group.get(i);
            SQLException lost = runInSavepoint(job, acknowledgements, watch);
            if (watch.wasCut()) {
                return cutShort(group);
            }
            if (lost != null) {
                StoreException rolledBack = new StoreException("the transaction was rolled back by SQLite: "
                        + lost.getMessage(), lost);
                group.subList(0, i).forEach(earlier -> earlier.fail(rolledBack));
                group.subList(i + 1, group.size()).forEach(later -> later.fail(rolledBack));
                noteFailure(lost);
                restart();
                return false;
            }
        }
        return watch.mayCommit() || cutShort(group);
    }

    /** A group that ran past the write timeout is rolled back, and every caller told so: nothing of it is stored. */
    private boolean cutShort(List<Job<?>> group) {
        StoreException tooLong = StoreException.unavailable(StoreException.Unavailable.BUSY,
                "a write ran past the write timeout and was rolled back; nothing of it is stored");
        group.forEach(job -> job.fail(tooLong));
        restart();
        return false;
    }

    /**
     * Runs one job in its savepoint; adds what to tell its caller once the group is committed.
     * Answers the error when the transaction is gone (the savepoint cannot be rolled back or
     * released), else null.
     */
    private <T> SQLException runInSavepoint(Job<T> job, List<Runnable> acknowledgements, Watch watch) {
        try {
            execute("SAVEPOINT job");
        } catch (SQLException e) {
            failUnlessCut(job, e, watch);
            return e;
        }
        T value;
        try {
            value = job.work.run(connection);
        } catch (Exception | Error e) {
            noteFailure(e);
            try {
                execute("ROLLBACK TO job");
                execute("RELEASE job");
            } catch (SQLException gone) {
                e.addSuppressed(gone);
                failUnlessCut(job, e, watch);
                return e instanceof SQLException sql ? sql : gone;
            }
            failUnlessCut(job, e, watch);
            return null;
        }
        try {
            execute("RELEASE job");
        } catch (SQLException gone) {
            failUnlessCut(job, gone, watch);
            return gone;
        }
        acknowledgements.add(() -> job.result.complete(value));
        return null;
    }

    /** A job that failed because its group was cut short is answered with the others, by {@link #cutShort}. */
    private static void failUnlessCut(Job<?> job, Throwable e, Watch watch) {
        if (!watch.wasCut()) {
            job.fail(e);
        }
    }

    /** A full disk may reach here wrapped (a job's StoreException, say): its cause chain tells. */
    private void noteFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException sqlite && StoreException.of(sqlite) == StoreException.Unavailable.FULL) {
                diskFull = true;
                return;
            }
        }
    }

    /**
     * After a failed group, nothing of its transaction may outlive it: roll back what SQLite may
     * still hold open, and carry on with a new connection so that no state of the old one leaks
     * into the next group.
     */
    private void restart() {
        if (connection != null) {
            try {
                execute("ROLLBACK");
            } catch (SQLException alreadyRolledBack) {
                // SQLite ended the transaction itself
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection is dropped all the same
            }
            connection = null;
        }
        try {
            connection = opener.open();
        } catch (SQLException e) {
            LOG.warn("cannot reopen the SQLite writer's connection; will try again with the next write: {}",
                    e.getMessage());
        }
    }

    private void execute(String sql) throws SQLException {
        if (connection == null) {
            connection = opener.open();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
            if (connection != null) {
                connection.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "sqlite-writer-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Cuts a group short that runs past the write timeout: interrupts the statement running on
     * its connection (SQLite then rolls the transaction back), unless the group has begun to
     * commit. Cutting and committing exclude each other, so a group cut short never commits, and
     * its callers may be told that nothing of their writes is stored.
     */
    private static final class Watch {
        private enum Phase { RUNNING, CUT, COMMITTING }

        private final Connection connection;
        private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.RUNNING);

        Watch(Connection connection) {
            this.connection = connection;
        }

        void cut() {
            if (phase.compareAndSet(Phase.RUNNING, Phase.CUT)) {
                LOG.warn("a group of writes ran past the write timeout: rolling it back");
                try {
                    connection.unwrap(SQLiteConnection.class).getDatabase().interrupt();
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("cannot interrupt the SQLite writer's statement: {}", e.getMessage());
                }
            }
        }

        boolean wasCut() {
            return phase.get() == Phase.CUT;
        }

        /** False when the group was cut short: it must not commit. */
        boolean mayCommit() {
            return phase.compareAndSet(Phase.RUNNING, Phase.COMMITTING);
        }
    }

    private enum State { QUEUED, STARTED, ABANDONED }

    private static final class Job<T> {
        final Work<T> work;
        final boolean alone;
        final CompletableFuture<T> result = new CompletableFuture<>();
        final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);

        Job(Work<T> work, boolean alone) {
            this.work = work;
            this.alone = alone;
        }

        /** The writer claims the job; false when its caller has given up on it, and it must not run. */
        boolean start() {
            return state.compareAndSet(State.QUEUED, State.STARTED);
        }

        void fail(Throwable e) {
            result.completeExceptionally(e);
        }

        T await(Duration timeout) {
            try {
                try {
                    return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (state.compareAndSet(State.QUEUED, State.ABANDONED)) {
                        throw StoreException.unavailable(StoreException.Unavailable.BUSY,
                                "no write could start within " + timeout.toMillis() + " ms");
                    }
                    // it has started: it commits, or is cut short by the watchdog and rolled back; the
                    // answer must say which, so it is awaited (at most the write timeout once more)
                    return result.get();
                }
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
    }
}
