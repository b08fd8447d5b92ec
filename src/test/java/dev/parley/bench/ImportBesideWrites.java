package dev.parley.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 20's figures: the latency of {@code POST /v2/bots/requests} beside a large import, over
 * HTTP or through {@code parley import} in a process of its own, against a {@code parley serve}
 * of a given jar (so that the jar of before the change can be measured the same way).
 *
 * <pre>java src/test/java/dev/parley/bench/ImportBesideWrites.java JAR http|cli DATA_DIR|POSTGRES_URL FILE</pre>
 *
 * One client posts an exchange, waits 50 ms, and again, from before the import starts until it
 * ends; the same client alone for 10 s first gives the latency without an import beside it.
 * Single-file program (JDK only), run with the source launcher.
 */
public final class ImportBesideWrites {

    private static final String KEY = "import-beside-writes-bench-key-0123456789";
    private static final Map<Integer, Integer> STATUSES = new java.util.TreeMap<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        String mode = args[1];
        String store = args[2];
        Path file = Path.of(args[3]);
        Map<String, String> env = new HashMap<>();
        if (store.startsWith("jdbc:postgresql:")) {
            env.put("PARLEY_DATABASE_URL", store);
        } else {
            env.put("PARLEY_DATA_DIR", store);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> serveEnv = new HashMap<>(env);
        serveEnv.put("PARLEY_PORT", Integer.toString(port));
        serveEnv.put("PARLEY_BOOTSTRAP_KEY", KEY);
        serveEnv.put("PARLEY_RATE_LIMIT", "0");
        serveEnv.put("PARLEY_IMPORT_MAX_BYTES", Long.toString(Files.size(file) * 2));
        String base = "http://127.0.0.1:" + port;
        Process serve = start(jar, serveEnv, Path.of(file + "." + mode + ".serve.log"), "serve");
        try {
            awaitReady(base);
            latencies(base, () -> false, 100); // warm-up
            List<Long> alone = latencies(base, deadline(Duration.ofSeconds(10)), Integer.MAX_VALUE);
            AtomicBoolean importing = new AtomicBoolean(true);
            long[] importMillis = new long[1];
            String[] importOutcome = new String[1];
            Thread importer = new Thread(() -> {
                long started = System.nanoTime();
                try {
                    importOutcome[0] = mode.equals("http") ? importOverHttp(base, file)
                            : importByCli(jar, env, file);
                } catch (Exception e) {
                    importOutcome[0] = e.toString();
                } finally {
                    importMillis[0] = (System.nanoTime() - started) / 1_000_000;
                    importing.set(false);
                }
            });
            importer.start();
            STATUSES.clear();
            List<Long> beside = latencies(base, () -> !importing.get(), Integer.MAX_VALUE);
            importer.join();
            System.out.printf("mode=%s store=%s import=%s in %.1f s%n", mode,
                    store.startsWith("jdbc:") ? "postgresql" : "sqlite", importOutcome[0].strip(),
                    importMillis[0] / 1000.0);
            System.out.println("alone:  " + summary(alone));
            System.out.println("beside: " + summary(beside) + " statuses " + STATUSES);
        } finally {
            serve.destroy();
            serve.waitFor();
        }
    }

    private interface Stop {
        boolean now();
    }

    private static Stop deadline(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        return () -> System.nanoTime() > end;
    }

    /** Milliseconds of each POST, one at a time, 50 ms apart, until told to stop or {@code max} are done. */
    private static List<Long> latencies(String base, Stop stop, int max) throws Exception {
        List<Long> millis = new ArrayList<>();
        while (!stop.now() && millis.size() < max) {
            long started = System.nanoTime();
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/bots/requests"))
                    .timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"source\":\"api\",\"question\":\"beside the import\",\"answer\":\"a\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            millis.add((System.nanoTime() - started) / 1_000_000);
            STATUSES.merge(response.statusCode(), 1, Integer::sum);
            Thread.sleep(50);
        }
        return millis;
    }

    private static String summary(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return "no POSTs";
        }
        return String.format("n=%d median=%d ms p99=%d ms worst=%d ms", sorted.size(), sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
                sorted.get(sorted.size() - 1));
    }

    private static String importOverHttp(String base, Path file) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base
                        + "/v2/bots/conversations/import")).timeout(Duration.ofHours(1))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private static String importByCli(Path jar, Map<String, String> env, Path file) throws Exception {
        Path log = Path.of(file + ".cli.log");
        Process cli = start(jar, env, log, "import", file.toString(), "--workspace", "default");
        int exit = cli.waitFor();
        List<String> lines = Files.readAllLines(log);
        return "exit " + exit + ": " + (lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    }

    private static Process start(Path jar, Map<String, String> env, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitReady(String base) throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("serve did not become ready");
    }
}
