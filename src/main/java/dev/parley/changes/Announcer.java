package dev.parley.changes;

import dev.parley.store.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: tells every instance which workspaces changed, after the writes committed, on one
 * thread that sends whatever has gathered in one notification transaction. A write never waits
 * for it; many writes to one workspace while a batch is sent make one notification.
 */
final class Announcer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);

    private final Database database;
    private final String channel;
    private final Set<Long> changed = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.Semaphore ready = new java.util.concurrent.Semaphore(0);
    private Thread thread;
    private volatile boolean closed;

    Announcer(Database database, String channel) {
        this.database = database;
        this.channel = channel;
    }

    void changed(long workspace) {
        if (changed.add(workspace)) {
            ensureStarted();
            ready.release();
        }
    }

    private synchronized void ensureStarted() {
        if (thread == null && !closed) {
            thread = new Thread(this::loop, "parley-changes-announce");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                if (ready.tryAcquire(1, TimeUnit.SECONDS)) {
                    ready.drainPermits();
                    send();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void send() {
        List<String> workspaces = new ArrayList<>();
        for (Long workspace : changed) {
            if (changed.remove(workspace)) {
                workspaces.add(workspace.toString());
            }
        }
        if (workspaces.isEmpty()) {
            return;
        }
        try {
            database.notify(channel, workspaces);
        } catch (RuntimeException e) {
            // the changes are committed and will be listed; only the waiters' wake-up is lost
            LOG.warn("could not announce changes to other instances: {}", e.toString());
        }
    }

    /** Sends what is still to be told (a CLI command that wrote, then exits), and stops. */
    @Override
    public void close() {
        closed = true;
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        send();
    }
}
