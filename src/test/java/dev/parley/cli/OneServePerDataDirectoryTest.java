package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.testing.ChildServer;
import dev.parley.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A second {@code serve} on the SQLite data directory of a running one is refused at start, in
 * one line naming the directory and the running server's pid, with exit code 2. The CLI commands
 * still work beside the running server, and once it stops the directory can be served again.
 */
class OneServePerDataDirectoryTest {

    private static final String KEY = "one-serve-per-directory-key-0123456789";

    @Test
    void aSecondServeOnTheSameDataDirectoryIsRefusedNamingTheDirectoryAndTheRunningServer() throws Exception {
        Config config = TestStores.SQLITE.freshConfig();
        Path dataDir = config.dataDir().toAbsolutePath();
        try (ChildServer first = ChildServer.start(config, KEY, dataDir.resolve("first.log"))) {
            Path log = dataDir.resolve("second.log");
            Process second = serve(dataDir, log);
            boolean stopped = second.waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly();
            assertThat(stopped).as("the second serve stops by itself").isTrue();
            assertThat(second.exitValue()).isEqualTo(2);
            List<String> lines = Files.readAllLines(log).stream()
                    .filter(line -> !line.startsWith("Picked up ")).toList();
            assertThat(lines).containsExactly("parley: the data directory " + dataDir + " is in use by another parley"
                    + " serve (pid " + first.pid() + "); stop it first, or give this one another PARLEY_DATA_DIR");

            // the CLI shares the store with the running server
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Cli.run(new String[] {"keys", "create", "--workspace", "beside", "--scopes", "read"},
                    Map.of("PARLEY_DATA_DIR", dataDir.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();

            assertThat(first.terminate(Duration.ofSeconds(30))).isZero();
        }
        try (ChildServer again = ChildServer.start(config, KEY, dataDir.resolve("again.log"))) {
            assertThat(again.pid()).isPositive();
        }
    }

    private static Process serve(Path dataDir, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.parley.Main", "serve");
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PARLEY_"));
        env.put("PARLEY_PORT", "0");
        env.put("PARLEY_DATA_DIR", dataDir.toString());
        env.put("PARLEY_BOOTSTRAP_KEY", KEY);
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
