package dev.parley.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.history.Conversation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrentBatchesTest {

    @Test
    void everyBatchIsStoredOnce() {
        Set<UUID> stored = ConcurrentHashMap.newKeySet();
        AtomicInteger batches = new AtomicInteger();
        List<UUID> generated = new ArrayList<>();

        try (ConcurrentBatches sink = new ConcurrentBatches(2, batch -> {
            batches.incrementAndGet();
            batch.forEach(conversation -> assertThat(stored.add(conversation.id())).isTrue());
        })) {
            DemoData.generate(3, 1_000, 40, batch -> {
                batch.forEach(conversation -> generated.add(conversation.id()));
                sink.accept(batch);
            });
            sink.finish();
        }

        assertThat(batches).hasValue(25);
        assertThat(stored).containsExactlyInAnyOrderElementsOf(generated);
    }

    @Test
    void asManyBatchesAsAllowedAreStoredAtOnceAndNoMore() {
        CyclicBarrier both = new CyclicBarrier(2);
        AtomicInteger storing = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();

        try (ConcurrentBatches sink = new ConcurrentBatches(2, batch -> {
            most.accumulateAndGet(storing.incrementAndGet(), Math::max);
            try {
                both.await(10, TimeUnit.SECONDS); // never reached by two at once: the store ran them one by one
            } catch (Exception e) {
                throw new IllegalStateException("the batches were not stored side by side", e);
            } finally {
                storing.decrementAndGet();
            }
        })) {
            DemoData.generate(4, 200, 10, sink);
            sink.finish();
        }

        assertThat(most).hasValue(2);
    }

    @Test
    void theCallerMakesNoMoreThanOneBatchAheadOfTheStore() {
        AtomicInteger handedOver = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger mostAhead = new AtomicInteger();

        try (ConcurrentBatches sink = new ConcurrentBatches(2, batch -> {
            sleep(20);
            done.incrementAndGet();
        })) {
            DemoData.generate(5, 300, 10, batch -> {
                sink.accept(batch);
                mostAhead.accumulateAndGet(handedOver.incrementAndGet() - done.get(), Math::max);
            });
            sink.finish();
        }

        assertThat(done).hasValue(30);
        assertThat(mostAhead.get()).as("batches handed over and not yet stored").isEqualTo(3);
    }

    @Test
    void aFailedBatchStopsTheOnesAfterItAndIsThrown() {
        List<Integer> stored = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger made = new AtomicInteger();
        IllegalStateException full = new IllegalStateException("disk full");

        ConcurrentBatches sink = new ConcurrentBatches(1, batch -> {
            int number = Integer.parseInt(batch.get(0).externalId().orElse("0"));
            if (number == 3) {
                throw full;
            }
            stored.add(number);
        });
        assertThatThrownBy(() -> {
            for (int i = 1; i <= 100; i++) {
                made.incrementAndGet();
                sink.accept(List.of(numbered(i)));
            }
            sink.finish();
        }).isSameAs(full);
        sink.close();

        assertThat(stored).containsExactly(1, 2);
        assertThat(made.get()).as("the caller stopped soon after the failure").isLessThan(10);
    }

    @Test
    void anErrorInAStoringThreadFailsTheLoadInsteadOfLosingItsBatch() {
        AssertionError broken = new AssertionError("a batch that could not be stored");

        ConcurrentBatches sink = new ConcurrentBatches(2, batch -> {
            throw broken;
        });

        assertThatThrownBy(() -> {
            DemoData.generate(6, 100, 10, sink);
            sink.finish();
        }).isSameAs(broken);
        sink.close();
    }

    private static Conversation numbered(int number) {
        List<Conversation> one = new ArrayList<>();
        DemoData.generate(number, 1, 1, one::addAll);
        Conversation generated = one.get(0);
        return Conversation.fromRequests(generated.id(), java.util.Optional.of(Integer.toString(number)),
                generated.source(), generated.channel(), generated.url(), generated.userId(), generated.createdAt(),
                generated.updatedAt(), generated.botRequests());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
