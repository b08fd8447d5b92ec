package dev.parley.changes;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who waits for a commit in which workspace. A waiter arms its signal before it reads, so that a
 * commit between its read and its wait still wakes it; a commit wakes only its own workspace's.
 */
final class ChangeSignals {

    private final ConcurrentHashMap<Long, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    CompletableFuture<Void> arm(long workspace) {
        CompletableFuture<Void> signal = new CompletableFuture<>();
        waiting.computeIfAbsent(workspace, id -> ConcurrentHashMap.newKeySet()).add(signal);
        return signal;
    }

    void disarm(long workspace, CompletableFuture<Void> signal) {
        waiting.computeIfPresent(workspace, (id, signals) -> {
            signals.remove(signal);
            return signals.isEmpty() ? null : signals;
        });
    }

    void wake(long workspace) {
        Set<CompletableFuture<Void>> signals = waiting.remove(workspace);
        if (signals != null) {
            signals.forEach(signal -> signal.complete(null));
        }
    }

    void wakeAll() {
        waiting.keySet().forEach(this::wake);
    }

    /** How many wait now, for the metrics. */
    int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }
}
