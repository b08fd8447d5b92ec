package dev.parley;

import java.util.List;

/**
 * Classes whose first use is slow and needs nothing the start makes, initialised on a second
 * thread while the main one parses the command line, configures logging and opens the store. A
 * class initialises once: if the main thread gets there first, or meets one half done, it does or
 * waits for the same work it would have done alone, so a start is never slower for this.
 */
final class Warmup {

    /** The slowest first, by the JFR profile of a start (docs/benchmarks.md, "Start-up"). */
    private static final List<String> CLASSES = List.of(
            "org.eclipse.jetty.http.MimeTypes", // asks the JDK for every locale it has: an eighth of a start
            "com.fasterxml.jackson.databind.ObjectMapper",
            "io.micrometer.core.instrument.MeterRegistry",
            "org.sqlite.date.FastDateFormat",
            "ch.qos.logback.classic.PatternLayout");

    private Warmup() {
    }

    static void inBackground() {
        Thread thread = new Thread(() -> CLASSES.forEach(Warmup::initialise), "parley-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private static void initialise(String name) {
        try {
            Class.forName(name, true, Warmup.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // the start meets the same class itself, and reports what is wrong with it there
        }
    }
}
