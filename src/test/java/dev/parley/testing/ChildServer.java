package dev.parley.testing;

import dev.parley.Config;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** {@code parley serve} in a child JVM, so that a test can kill it as a machine would. */
public final class ChildServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private ChildServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ChildServer start(Config store, String bootstrapKey, Path log) {
        return start(store, bootstrapKey, log, Map.of());
    }

    public static ChildServer start(Config store, String bootstrapKey, Path log, Map<String, String> settings) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return start(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.parley.Main", "serve"),
                store, bootstrapKey, log, settings);
    }

    /** {@code java -jar target/parley.jar serve}: for tests named *IT, which run after the jar is built. */
    public static ChildServer startJar(Config store, String bootstrapKey, Path log, Map<String, String> settings) {
        return start(ParleyJar.builder(ParleyJar.currentJava(), Map.of(), "serve"), store, bootstrapKey, log, settings);
    }

    private static ChildServer start(ProcessBuilder builder, Config store, String bootstrapKey, Path log,
                                     Map<String, String> settings) {
        int port = freePort();
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PARLEY_"));
        env.put("PARLEY_PORT", Integer.toString(port));
        env.put("PARLEY_DATA_DIR", store.dataDir().toString());
        store.databaseUrl().ifPresent(url -> env.put("PARLEY_DATABASE_URL", url));
        env.put("PARLEY_BOOTSTRAP_KEY", bootstrapKey);
        env.put("PARLEY_RATE_LIMIT", "0");
        env.putAll(settings);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            ChildServer child = new ChildServer(builder.start(), port);
            child.awaitHealthy(Duration.ofSeconds(90), log.toFile());
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child's process id: a test may look at what it holds under /proc. */
    public long pid() {
        return process.pid();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook, no flush, nothing but what is already on disk survives. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as an orchestrator stops a service; answers the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("parley serve did not stop within " + timeout);
        }
        return process.exitValue();
    }

    private void awaitHealthy(Duration timeout, File log) {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("parley serve exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/healthz"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("parley serve was not healthy within " + timeout + "; see " + log);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
