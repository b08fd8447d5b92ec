package dev.parley.api;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A request whose body must keep arriving: after its first second, at least
 * {@link #MIN_BYTES_PER_SECOND} on average (SPEC §3). The idle timeout alone cannot see a client
 * that sends a byte a second, since each byte resets it. A body that falls behind ends in a
 * failure, {@link TooSlow}, whether the reader is waiting for more or reads after the deadline.
 */
final class PacedRequest extends Request.Wrapper {

    static final long MIN_BYTES_PER_SECOND = 1024;
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long startedAt = NanoTime.now();
    private final Scheduler scheduler;
    private final AtomicReference<Runnable> waiting = new AtomicReference<>();
    private volatile long received;
    private volatile Content.Chunk failure;

    PacedRequest(Request request) {
        super(request);
        this.scheduler = request.getComponents().getScheduler();
    }

    /** The body fell behind the minimum rate. */
    static final class TooSlow extends TimeoutException {
        TooSlow() {
            super("the request body arrived slower than " + MIN_BYTES_PER_SECOND + " bytes a second");
        }
    }

    @Override
    public Content.Chunk read() {
        if (failure == null && behind()) {
            failure = Content.Chunk.from(new TooSlow(), true);
        }
        if (failure != null) {
            return failure;
        }
        Content.Chunk chunk = super.read();
        if (chunk != null && !Content.Chunk.isFailure(chunk)) {
            received += chunk.remaining();
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        if (failure != null || behind()) {
            demandCallback.run(); // the next read answers the failure
            return;
        }
        waiting.set(demandCallback);
        Scheduler.Task deadline = scheduler.schedule(this::expire, nanosUntilBehind(), TimeUnit.NANOSECONDS);
        super.demand(() -> {
            deadline.cancel();
            Runnable callback = waiting.getAndSet(null);
            if (callback != null) {
                callback.run();
            }
        });
    }

    /** No byte came in time: wake the reader, whose next read fails. */
    private void expire() {
        Runnable callback = waiting.getAndSet(null);
        if (callback != null) {
            failure = Content.Chunk.from(new TooSlow(), true);
            getContext().execute(callback);
        }
    }

    private boolean behind() {
        long elapsed = NanoTime.since(startedAt);
        return elapsed > GRACE_NANOS && received < (elapsed - GRACE_NANOS) * MIN_BYTES_PER_SECOND / 1_000_000_000L;
    }

    /** When what has arrived stops being enough, if nothing more does. */
    private long nanosUntilBehind() {
        long due = GRACE_NANOS + received * 1_000_000_000L / MIN_BYTES_PER_SECOND + 1_000_000L;
        return Math.max(1, due - NanoTime.since(startedAt));
    }
}
