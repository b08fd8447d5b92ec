package dev.parley.webhook;

import java.time.Duration;

/**
 * Tells this instance's dispatcher that a delivery may be due now (a write queued an event, a
 * retry was asked for, an attempt freed its endpoint's slot), so that it need not wait for its
 * next poll. Other instances' events are found by that poll.
 */
final class Wakeup {

    private boolean nudged;
    private volatile long lastNudge = System.nanoTime() - Duration.ofHours(1).toNanos();

    synchronized void nudge() {
        nudged = true;
        lastNudge = System.nanoTime();
        notifyAll();
    }

    /** Waits until nudged or until the timeout; a nudge that came before the wait ends it at once. */
    synchronized void await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        while (!nudged && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, left / 1_000_000));
        }
        nudged = false;
    }

    boolean nudgedWithin(Duration recent) {
        return System.nanoTime() - lastNudge < recent.toNanos();
    }
}
