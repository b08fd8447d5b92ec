package dev.parley.transfer;

import dev.parley.history.Conversation;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Writes an export's conversations on a thread of its own while the caller reads the next ones
 * from the store. Without it the two take turns: PostgreSQL produces a fetch of rows while the
 * server waits, then the server decodes and writes them while PostgreSQL waits, and an export
 * takes the sum of both (about half each). Conversations are handed over in batches, a few
 * batches at most in flight, so memory stays bounded and the writer thread wakes once a batch.
 */
final class WriteBehind implements AutoCloseable {

    /** Writes one conversation out. */
    interface Write {
        void write(Conversation conversation) throws IOException;
    }

    private static final int BATCH = 100;
    private static final int BATCHES_IN_FLIGHT = 4;
    private static final List<Conversation> END = List.of();
    /** How often a reader waiting for room checks whether the writer has failed. */
    private static final long CHECK_MILLIS = 100;

    private final BlockingQueue<List<Conversation>> handedOver = new ArrayBlockingQueue<>(BATCHES_IN_FLIGHT);
    private final Write write;
    private final LongConsumer progress;
    private final Thread writer;
    private List<Conversation> batch = new ArrayList<>(BATCH);
    private volatile Throwable failure;
    private volatile boolean stopped;
    private long written;
    private boolean finished;

    /** Starts the writer; {@code progress} hears, on the writer's thread, how many are written so far. */
    WriteBehind(Write write, LongConsumer progress) {
        this.write = write;
        this.progress = progress;
        this.writer = new Thread(this::writeUntilEnd, "parley-export-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a conversation to be written; fails with the writer's failure, once it has one. */
    void accept(Conversation conversation) throws IOException {
        batch.add(conversation);
        if (batch.size() == BATCH) {
            handOver(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Waits until every queued conversation is written; answers how many were. */
    long finish() throws IOException {
        if (!batch.isEmpty()) {
            handOver(batch);
        }
        handOver(END);
        finished = true;
        joinWriter();
        failIfWriterFailed();
        return written;
    }

    /** Without {@link #finish()} (the reading failed): what is queued is dropped, and the writer stopped. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            stopped = true;
            handedOver.clear();
            writer.interrupt();
            joinWriter();
        }
    }

    private void handOver(List<Conversation> conversations) throws IOException {
        try {
            while (!handedOver.offer(conversations, CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                failIfWriterFailed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing conversations to the export's writer");
        }
        failIfWriterFailed();
    }

    private void writeUntilEnd() {
        try {
            for (List<Conversation> next = handedOver.take(); next != END && !stopped; next = handedOver.take()) {
                for (Conversation conversation : next) {
                    if (stopped) {
                        return;
                    }
                    write.write(conversation);
                    progress.accept(++written);
                }
            }
        } catch (InterruptedException e) {
            // stopped by close(): the reading failed, and nothing more is to be written
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        }
    }

    private void joinWriter() throws InterruptedIOException {
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the export's writer");
        }
    }

    private void failIfWriterFailed() throws IOException {
        Throwable failed = failure;
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed instanceof UncheckedIOException unchecked) {
            throw unchecked.getCause();
        }
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
    }
}
