package dev.parley.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.history.Conversation;
import dev.parley.history.Source;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteBehindTest {

    @Test
    void everyConversationIsWrittenInTheOrderItWasReadAndCounted() throws Exception {
        List<UUID> read = new ArrayList<>();
        List<UUID> written = Collections.synchronizedList(new ArrayList<>());
        AtomicLong progress = new AtomicLong();
        long count;
        try (WriteBehind writer = new WriteBehind(conversation -> written.add(conversation.id()), progress::set)) {
            for (int i = 0; i < 1_234; i++) {
                Conversation conversation = conversation();
                read.add(conversation.id());
                writer.accept(conversation);
            }
            count = writer.finish();
        }
        assertEquals(read, written);
        assertEquals(1_234, count);
        assertEquals(1_234, progress.get());
    }

    @Test
    void theWritersFailureReachesTheReaderWhichStopsReading() throws Exception {
        IOException hungUp = new IOException("the client hung up");
        int[] accepted = {0};
        IOException failed = assertThrows(IOException.class, () -> {
            try (WriteBehind writer = new WriteBehind(conversation -> {
                throw hungUp;
            }, written -> { })) {
                for (int i = 0; i < 1_000_000; i++) {
                    writer.accept(conversation());
                    accepted[0]++;
                }
                writer.finish();
            }
        });
        assertSame(hungUp, failed);
        // a few batches in flight at most: the reader did not go on reading the whole store
        assertTrue(accepted[0] < 1_000, accepted[0] + " accepted after the writer failed");
    }

    @Test
    void aReadingThatFailsStopsTheWriterBeforeCloseReturns() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        AtomicLong writes = new AtomicLong();
        assertThrows(IllegalStateException.class, () -> {
            try (WriteBehind writer = new WriteBehind(conversation -> {
                writers.add(Thread.currentThread());
                writing.countDown();
                writes.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, written -> { })) {
                for (int i = 0; i < 300; i++) {
                    writer.accept(conversation());
                }
                assertTrue(writing.await(10, TimeUnit.SECONDS));
                throw new IllegalStateException("the store failed mid-export");
            }
        });
        assertFalse(writers.get(0).isAlive(), "the writer thread outlived close()");
        assertEquals(1, writes.get(), "the conversations queued behind the failure were written anyway");
    }

    private static Conversation conversation() {
        return new Conversation(UUID.randomUUID(), Optional.empty(), Source.API, Optional.empty(), false, false,
                Optional.empty(), false, Optional.empty(), List.of(), 0, 0, List.of(), Optional.empty());
    }
}
