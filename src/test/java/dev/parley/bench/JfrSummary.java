package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the servers of a {@code bench/run --jfr} spent their time: for each recording, the methods
 * most often on top of a Java execution sample (own time) and most often anywhere on its stack
 * (inclusive time). Runs alone too:
 * {@code java -cp target/test-classes dev.parley.bench.JfrSummary target/bench-jfr/*.jfr}
 * writes docs/benchmarks-profiles.md.
 */
public final class JfrSummary {

    private static final int TOP_OWN = 20;
    private static final int TOP_INCLUSIVE = 15;
    /** Frames on nearly every stack (the thread pool, Jetty's and Javalin's handlers): not ranked inclusively. */
    private static final List<String> PLUMBING = List.of("java.", "jdk.", "sun.", "jakarta.servlet.",
            "org.eclipse.jetty.", "io.javalin.");
    /** A lambda's hidden class, named differently in every run: shown as its declaring class's {@code $$Lambda}. */
    private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda\\$[^.]+(\\.\\d+)?");

    private JfrSummary() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("docs/benchmarks-profiles.md");
        write(Stream.of(args).map(Path::of).toList(), out);
        System.err.println("bench: wrote " + out.toAbsolutePath());
    }

    static void write(List<Path> recordings, Path out) throws IOException {
        StringBuilder md = new StringBuilder("# Profiles\n\n");
        md.append("JFR recordings (`settings=profile`) of the `parley serve` processes of a `bench/run --jfr` run,");
        md.append(" one per phase. Counted: Java execution samples (`jdk.ExecutionSample`) of every thread but");
        md.append(" JFR's own; a thread waiting in native code (a socket read, an fsync) is not sampled. Inclusive");
        md.append(" time leaves out the frames of the JDK, servlets, Jetty and Javalin, which are on nearly every");
        md.append(" stack and would fill the table.\n\n");
        for (Path recording : recordings.stream().sorted().toList()) {
            md.append(summary(recording));
        }
        Files.writeString(out, md.toString());
    }

    private static String summary(Path recording) throws IOException {
        Map<String, Long> own = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        DatabaseWaits waits = new DatabaseWaits();
        long samples = 0;
        long cut = 0;
        try (RecordingFile file = new RecordingFile(recording)) { // streamed: a long phase records a lot
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                waits.add(event);
                RecordedStackTrace stack = event.getStackTrace();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || stack == null
                        || stack.getFrames().isEmpty() || isJfrs(event.getThread("sampledThread"))) {
                    continue;
                }
                samples++;
                cut += stack.isTruncated() ? 1 : 0;
                own.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
                // a method counts once per sample, however often it recurs on that stack
                Set<String> onStack = new HashSet<>();
                for (RecordedFrame frame : stack.getFrames()) {
                    String method = name(frame);
                    if (PLUMBING.stream().noneMatch(method::startsWith)) {
                        onStack.add(method);
                    }
                }
                onStack.forEach(method -> inclusive.merge(method, 1L, Long::sum));
            }
        }
        StringBuilder md = new StringBuilder("## ").append(recording.getFileName()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%,d samples", samples));
        md.append(cut == 0 ? ".\n\n" : String.format(Locale.ROOT, "; %,d with the stack cut short by JFR's depth limit"
                + " (they count for inclusive time only down to the cut).%n%n", cut));
        md.append(table("Own time (top frame)", own, samples, TOP_OWN));
        md.append(table("Inclusive time (anywhere on the stack, leaving out the JDK, servlets, Jetty and Javalin)",
                inclusive, samples, TOP_INCLUSIVE));
        md.append(waits.markdown());
        return md.toString();
    }

    /**
     * Wall-clock time the server's threads spent waiting for PostgreSQL's answers: every blocking
     * read from port 5432 ({@code jdk.SocketRead}, recorded only when {@code bench/run --jfr} lowers
     * its threshold to 0), by the Parley method nearest the read.
     */
    private static final class DatabaseWaits {
        private final Map<String, Long> nanosByCaller = new HashMap<>();
        private long reads;
        private long nanos;

        void add(RecordedEvent event) {
            if (!event.getEventType().getName().equals("jdk.SocketRead") || event.getInt("port") != 5432) {
                return;
            }
            long waited = event.getDuration().toNanos();
            reads++;
            nanos += waited;
            nanosByCaller.merge(nearestParleyMethod(event.getStackTrace()), waited, Long::sum);
        }

        private static String nearestParleyMethod(RecordedStackTrace stack) {
            if (stack != null) {
                for (RecordedFrame frame : stack.getFrames()) {
                    String method = name(frame);
                    if (method.startsWith("dev.parley.") && !method.startsWith("dev.parley.store.")) {
                        return method;
                    }
                }
            }
            return "(no Parley frame)";
        }

        String markdown() {
            if (reads == 0) {
                return "";
            }
            StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Waiting for PostgreSQL (every blocking"
                    + " read from port 5432): %,d reads, %.2f s in all, %.0f µs each on average; by the Parley"
                    + " method nearest the read:%n%n| method | waited | share |%n|---|---|---|%n", reads, nanos / 1e9,
                    nanos / 1e3 / reads));
            nanosByCaller.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(TOP_INCLUSIVE)
                    .forEach(entry -> md.append(String.format(Locale.ROOT, "| `%s` | %.2f s | %.1f%% |%n",
                            entry.getKey(), entry.getValue() / 1e9, 100.0 * entry.getValue() / nanos)));
            return md.append('\n').toString();
        }
    }

    private static String table(String title, Map<String, Long> counts, long samples, int top) {
        StringBuilder md = new StringBuilder(title).append(":\n\n| method | samples | share |\n|---|---|---|\n");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(top)
                .forEach(entry -> md.append(String.format(Locale.ROOT, "| `%s` | %,d | %.1f%% |%n", entry.getKey(),
                        entry.getValue(), 100.0 * entry.getValue() / samples)));
        return md.append('\n').toString();
    }

    private static boolean isJfrs(RecordedThread thread) {
        return thread != null && thread.getJavaName() != null && thread.getJavaName().startsWith("JFR ");
    }

    private static String name(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        return LAMBDA.matcher(method.getType().getName()).replaceFirst("\\$\\$Lambda") + "." + method.getName();
    }
}
