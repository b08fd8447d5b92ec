package dev.parley.cli;

/** "1 conversation", "2 conversations": counts in the CLI's messages. */
final class Counts {

    private Counts() {
    }

    static String of(long count, String noun) {
        return count + " " + (count == 1 ? noun : noun + "s");
    }

    static String seconds(long startedNanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }
}
