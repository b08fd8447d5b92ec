package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.ParleyJar;
import dev.parley.testing.TestStores;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/parley-launch on the JDK running the tests (CI runs them on JDK 17 and on the newest):
 * whatever state the class-data archive is in — missing, damaged, older than the jar — the
 * command runs, and a usable archive is in place afterwards.
 */
class LaunchIT {

    private static final Path LAUNCH = Path.of("deploy", "parley-launch").toAbsolutePath();

    @Test
    void aMissingDamagedOrStaleArchiveOnlyMeansItIsRecordedAgain() throws Exception {
        Path dir = TestStores.newDirectory();
        Path jar = Files.copy(ParleyJar.path(), dir.resolve("parley.jar"));
        Path cache = Files.createDirectory(dir.resolve("cache"));

        String first = launch(jar, cache);                        // none yet: recorded when it exits
        Path archive = onlyArchive(cache);
        String second = launch(jar, cache);                       // checked once, then used
        assertThat(Files.exists(Path.of(archive + ".checked"))).isTrue();
        try (RandomAccessFile damaged = new RandomAccessFile(archive.toFile(), "rw")) {
            damaged.setLength(damaged.length() / 3);              // as a kill while it was written leaves it
        }
        String third = launch(jar, cache);
        String fourth = launch(jar, cache);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));  // an upgrade: a jar newer than the archive
        String fifth = launch(jar, cache);
        String sixth = launch(jar, cache);

        for (String out : List.of(first, second, third, fourth, fifth, sixth)) {
            assertThat(out).contains("parley ");
        }
        assertThat(third).contains("cannot be used; recording a new one");
        assertThat(Files.size(onlyArchive(cache))).isGreaterThan(1_000_000);
        assertThat(Files.getLastModifiedTime(onlyArchive(cache))).isGreaterThan(Files.getLastModifiedTime(jar));
        assertThat(Files.exists(Path.of(onlyArchive(cache) + ".checked"))).isTrue();
    }

    /** {@code parley-launch --version} with the archive in {@code cache}; answers what it printed. */
    private static String launch(Path jar, Path cache) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(LAUNCH.toString(), "--version").redirectErrorStream(true);
        builder.environment().put("PARLEY_JAR", jar.toString());
        builder.environment().put("PARLEY_CDS_DIR", cache.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JAVA_OPTS");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    private static Path onlyArchive(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            List<Path> archives = files.filter(file -> file.toString().matches(".*\\.(jsa|aot)")).toList();
            assertThat(archives).hasSize(1);
            return archives.get(0);
        }
    }
}
