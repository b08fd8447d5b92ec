package dev.parley.transfer;

import dev.parley.history.Conversation;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stores batches on threads of their own while the caller makes the next ones: a demo-data load
 * on PostgreSQL was one database backend at 80% of a core and the generator at 20%, taking
 * turns. Each batch is still a transaction of its own, as it was one after another; {@code
 * atOnce} of them are stored at once and one more waits, so memory stays bounded. The first
 * failure stops the rest: no batch starts after it, and {@link #finish} throws it.
 */
public final class ConcurrentBatches implements DemoData.Sink, AutoCloseable {

    private final DemoData.Sink store;
    private final ExecutorService threads;
    private final Semaphore slots;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public ConcurrentBatches(int atOnce, DemoData.Sink store) {
        if (atOnce < 1) {
            throw new IllegalArgumentException("at least one batch must be stored at once, got " + atOnce);
        }
        this.store = store;
        this.slots = new Semaphore(atOnce + 1);
        AtomicInteger made = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(atOnce, task -> {
            Thread thread = new Thread(task, "parley-batch-store-" + made.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Hands the batch to a storing thread, once one is free or about to be; throws an earlier batch's failure. */
    @Override
    public void accept(List<Conversation> batch) {
        throwFailure();
        slots.acquireUninterruptibly();
        threads.execute(() -> {
            try {
                if (failure.get() == null) {
                    store.accept(batch);
                }
            } catch (RuntimeException | Error e) {
                // an Error too: lost in the pool's thread, it would leave a batch out of a load told done
                failure.compareAndSet(null, e);
            } finally {
                slots.release();
            }
        });
    }

    /** Waits for every batch handed over to be stored; throws the first failure. */
    public void finish() {
        threads.shutdown();
        try {
            while (!threads.awaitTermination(1, TimeUnit.SECONDS)) {
                // each batch is a write with its own deadline: this ends when the last of them does
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the last batches were being stored", e);
        }
        throwFailure();
    }

    private void throwFailure() {
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
    }

    /** Without {@link #finish}: lets the batches being stored end (each commits or rolls back whole), starts no other. */
    @Override
    public void close() {
        failure.compareAndSet(null, new IllegalStateException("stopped before every batch was stored"));
        threads.shutdown();
        try {
            threads.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
