package dev.parley;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Background work run every interval on a daemon thread of its own, once started, until closed
 * (the retention sweep, the stats rollup's compaction). A run that throws does not end the
 * schedule: the work itself logs what went wrong, and the next interval tries again.
 */
public final class Periodic implements AutoCloseable {

    private final String threadName;
    private final Runnable work;
    private ScheduledExecutorService timer;

    public Periodic(String threadName, Runnable work) {
        this.threadName = threadName;
        this.work = work;
    }

    /** Runs the work every {@code interval} from now on; a second start changes nothing. */
    public synchronized void start(Duration interval) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(work, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }
}
