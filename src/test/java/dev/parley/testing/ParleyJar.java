package dev.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/parley.jar}) run as an operator runs it: {@code java -jar}, its
 * own process, its own environment. Tests that use it are named {@code *IT} and run after
 * {@code package} (Failsafe), so that they see the jar's manifest as well as its code.
 */
public final class ParleyJar {

    /** What one command did: its exit code and everything it printed. */
    public record Result(int exitCode, String out, String err) {
        public List<String> errLines() {
            return err.lines().toList();
        }

        public String lastLineOfOut() {
            List<String> lines = out.lines().toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private ParleyJar() {
    }

    public static Path path() {
        Path jar = Path.of("target", "parley.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run after `package` (mvn verify)");
        }
        return jar;
    }

    /** The java launcher of the JVM running the tests. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public static List<String> command(Path java, String... args) {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", path().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** A process builder for the jar with only these {@code PARLEY_*} settings. */
    public static ProcessBuilder builder(Path java, Map<String, String> settings, String... args) {
        ProcessBuilder builder = new ProcessBuilder(command(java, args));
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_"));
        builder.environment().putAll(settings);
        return builder;
    }

    public static Result run(Map<String, String> settings, String... args) {
        return run(currentJava(), settings, Duration.ofMinutes(3), args);
    }

    public static Result run(Path java, Map<String, String> settings, Duration timeout, String... args) {
        try {
            Path out = Files.createTempFile("parley-out-", ".txt");
            Path err = Files.createTempFile("parley-err-", ".txt");
            try {
                Process process = builder(java, settings, args).redirectInput(ProcessBuilder.Redirect.from(
                                Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new IllegalStateException("parley " + String.join(" ", args) + " did not finish within "
                            + timeout + "; it printed: " + Files.readString(err, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
