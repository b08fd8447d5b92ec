package dev.parley.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a write asked to run once its transaction has committed (waking readers of what it
 * wrote), kept by the thread that runs the transaction; dropped when the transaction fails.
 */
final class AfterCommit {

    private static final ThreadLocal<Map<Object, Runnable>> PENDING = new ThreadLocal<>();

    private AfterCommit() {
    }

    static void begin() {
        PENDING.set(new LinkedHashMap<>());
    }

    /** Once per transaction for each key. Outside a transaction there is nothing to wait for: it runs at once. */
    static void add(Object key, Runnable action) {
        Map<Object, Runnable> pending = PENDING.get();
        if (pending == null) {
            action.run();
        } else {
            pending.putIfAbsent(key, action);
        }
    }

    /** Ends the transaction's list; answers what it holds (nothing when it was ended already). */
    static List<Runnable> end() {
        Map<Object, Runnable> pending = PENDING.get();
        PENDING.remove();
        return pending == null ? List.of() : new ArrayList<>(pending.values());
    }

    static void runAll(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // a wake-up that fails must not undo the answer of a committed write
                org.slf4j.LoggerFactory.getLogger(AfterCommit.class).warn("after-commit action failed", e);
            }
        }
    }
}
