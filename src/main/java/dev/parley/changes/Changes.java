package dev.parley.changes;

import dev.parley.history.ChangesFeed;
import dev.parley.history.FeedPage;
import dev.parley.history.FeedPosition;
import dev.parley.history.HistoryListener;
import dev.parley.store.Database;
import dev.parley.store.Dialect;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes feed with its waiting (SPEC §8): a read that finds nothing new may wait for the next
 * commit in its workspace. A waiter costs no query while it waits: it is woken by the commit —
 * on PostgreSQL by a notification every instance hears, on SQLite by the write itself, after its
 * commit — and only then reads again.
 */
public final class Changes implements AutoCloseable {

    public static final String CHANNEL = "parley_changes";
    /**
     * PostgreSQL: how soon a woken waiter looks again when a committed change is held back only by
     * an older transaction still in flight (whose end may notify nobody); doubled at each look, up
     * to a second, so that a long transaction (a large import) is not polled for.
     */
    private static final long HELD_BACK_FIRST_RETRY_MS = 15;
    private static final long HELD_BACK_LAST_RETRY_MS = 1_000;
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(Changes.class);

    private final Database database;
    private final ChangesFeed feed;
    private final Clock clock;
    private final Duration cursorLifetime;
    private final ChangeSignals signals = new ChangeSignals();
    private final Announcer announcer;
    private final ExecutorService readers = Executors.newFixedThreadPool(4, daemon("parley-changes-read"));
    private ScheduledExecutorService purger;
    private AutoCloseable notifications = () -> { };

    public Changes(Database database, Clock clock, int tombstoneDays) {
        this.database = database;
        this.feed = new ChangesFeed(database);
        this.clock = clock;
        this.cursorLifetime = Duration.ofDays(tombstoneDays);
        this.announcer = new Announcer(database, CHANNEL);
    }

    /**
     * What history tells of each write: once the write has committed, wakes the workspace's
     * waiters — on SQLite at once (every writer of a served store is this process), on
     * PostgreSQL through a notification that every instance hears, this one too.
     */
    public HistoryListener listener() {
        if (database.dialect() == Dialect.POSTGRESQL) {
            return (connection, workspace, event) -> database.afterCommit(new Wake(workspace),
                    () -> announcer.changed(workspace));
        }
        return (connection, workspace, event) -> database.afterCommit(new Wake(workspace),
                () -> signals.wake(workspace));
    }

    /**
     * Starts hearing commits from other instances (PostgreSQL), and the sweep that forgets
     * deletions older than the cursor lifetime. Only a server needs these.
     */
    public synchronized void start() {
        hearCommits();
        purger = Executors.newSingleThreadScheduledExecutor(daemon("parley-tombstone-purge"));
        purger.scheduleWithFixedDelay(this::purge, 10, PURGE_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Wakes waiters on the commits this process does not make itself: on PostgreSQL every
     * instance's (and every CLI command's), heard as notifications. On SQLite it hears nothing:
     * a server's writes are its own, and wake their waiters after commit.
     */
    public synchronized void hearCommits() {
        notifications = database.listen(CHANNEL, this::heard, signals::wakeAll);
    }

    /**
     * A follower without a server (the CLI): on PostgreSQL it hears every commit; on SQLite it
     * cannot hear the server's, so it looks again every {@code sqliteInterval}. A server's long
     * polls never look on a timer.
     */
    public void hearCommitsOfOtherProcesses(Duration sqliteInterval) {
        if (database.dialect() == Dialect.POSTGRESQL) {
            hearCommits();
        } else {
            lookEvery(sqliteInterval);
        }
    }

    private void lookEvery(Duration interval) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("parley-changes-tick"));
        ticker.scheduleWithFixedDelay(signals::wakeAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Once per workspace per transaction, however many conversations it wrote. */
    private record Wake(long workspace) {
    }

    private void heard(String payload) {
        try {
            signals.wake(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            signals.wakeAll();
        }
    }

    public Duration cursorLifetime() {
        return cursorLifetime;
    }

    public long now() {
        return clock.millis();
    }

    /** A cursor for this place in a workspace's feed, handed out now. */
    public String cursor(long workspace, FeedPosition position) {
        return new ChangesCursor(workspace, position, clock.millis()).encode();
    }

    /** Reads a cursor a client of this workspace sent back. */
    public FeedPosition position(long workspace, String cursor) {
        return ChangesCursor.decode(cursor, workspace, clock.millis(), cursorLifetime).position();
    }

    public FeedPosition now(long workspace) {
        return feed.now(workspace);
    }

    public ChangesFeed feed() {
        return feed;
    }

    /**
     * The changes after a position; when there are none, waits up to {@code wait} for a commit in
     * the workspace. Answers an empty page when the time is up. The first look is made on the
     * calling thread: a feed with changes answers at once.
     */
    public CompletableFuture<FeedPage> after(long workspace, FeedPosition from, int limit, Duration wait) {
        CompletableFuture<FeedPage> answer = new CompletableFuture<>();
        look(workspace, from, limit, System.nanoTime() + wait.toNanos(), HELD_BACK_FIRST_RETRY_MS, answer);
        return answer;
    }

    private void look(long workspace, FeedPosition from, int limit, long deadline, long heldBackRetryMs,
                      CompletableFuture<FeedPage> answer) {
        CompletableFuture<Void> signal = signals.arm(workspace);
        FeedPage page;
        try {
            page = feed.after(workspace, from, limit);
        } catch (RuntimeException e) {
            signals.disarm(workspace, signal);
            answer.completeExceptionally(e);
            return;
        }
        long left = deadline - System.nanoTime();
        if (!page.changes().isEmpty() || left <= 0) {
            signals.disarm(workspace, signal);
            answer.complete(page);
            return;
        }
        long sleep = page.pending() ? Math.min(left, TimeUnit.MILLISECONDS.toNanos(heldBackRetryMs)) : left;
        long nextRetryMs = page.pending() ? Math.min(HELD_BACK_LAST_RETRY_MS, heldBackRetryMs * 2)
                : HELD_BACK_FIRST_RETRY_MS;
        signal.completeOnTimeout(null, sleep, TimeUnit.NANOSECONDS).thenRunAsync(() -> {
            signals.disarm(workspace, signal);
            look(workspace, from, limit, deadline, nextRetryMs, answer);
        }, readers);
    }

    /** How many requests wait for a change now. */
    public int waiting() {
        return signals.waiting();
    }

    private void purge() {
        try {
            int purged = feed.purgeTombstones(clock.millis() - cursorLifetime.toMillis());
            if (purged > 0) {
                LOG.info("forgot {} deletions older than {} days", purged, cursorLifetime.toDays());
            }
        } catch (RuntimeException e) {
            LOG.warn("purging old tombstones failed; trying again later: {}", e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public synchronized void close() {
        announcer.close();
        try {
            notifications.close();
        } catch (Exception e) {
            LOG.debug("closing notifications", e);
        }
        if (purger != null) {
            purger.shutdownNow();
        }
        readers.shutdownNow();
    }
}
