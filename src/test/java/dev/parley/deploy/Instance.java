package dev.parley.deploy;

import dev.parley.testing.ParleyJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One {@code java -jar parley.jar serve} on a port of its own, started again on that port after a stop. */
final class Instance implements AutoCloseable {

    private final int number;
    private final int port;
    private final String databaseUrl;
    private final Path log;
    private Process process;

    Instance(int number, int port, String databaseUrl, Path work) {
        this.number = number;
        this.port = port;
        this.databaseUrl = databaseUrl;
        this.log = work.resolve("instance-" + number + ".log");
    }

    int port() {
        return port;
    }

    void start(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "PARLEY_PORT", Integer.toString(port),
                "PARLEY_HOST", "127.0.0.1",
                "PARLEY_DATABASE_URL", databaseUrl,
                "PARLEY_DATA_DIR", log.getParent().resolve("data-" + number).toString(),
                "PARLEY_BOOTSTRAP_KEY", "rolling-restart-bootstrap-key-0123456789",
                "PARLEY_RATE_LIMIT", "0",
                "PARLEY_SHUTDOWN_TIMEOUT", "20",
                // three instances within PostgreSQL's default 100 connections, beside other clients
                "PARLEY_DATABASE_POOL_SIZE", "6"));
        settings.putAll(more);
        try {
            process = ParleyJar.builder(ParleyJar.currentJava(), settings, "serve").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Until /readyz answers 200: the store is reachable and the instance takes requests. */
    void awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("instance " + number + " exited with " + process.exitValue()
                        + "; the end of " + log + ":\n" + endOfLog());
            }
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("instance " + number + " was not ready within 90 s; the end of " + log
                + ":\n" + endOfLog());
    }

    /** CI keeps only what the test prints: the reason an instance failed must be in the message. */
    private String endOfLog() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** SIGTERM, as systemd stops it; answers the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("instance " + number + " did not stop within 60 s; see " + log);
        }
        return process.exitValue();
    }

    void terminateIfAlive() throws InterruptedException {
        if (process != null && process.isAlive()) {
            terminate();
        }
    }

    /** SIGKILL: requests in flight on it are cut off. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
