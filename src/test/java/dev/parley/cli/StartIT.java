package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.testing.ParleyJar;
import dev.parley.testing.TestStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code java -jar parley.jar serve} starting, as an operator sees it on the terminal. */
class StartIT {

    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @Test
    void aStartOnABusyPortIsOneLineAndExitCode2AndLeavesNoKeyThatNobodySaw() throws Exception {
        Map<String, String> store = Map.of("PARLEY_DATA_DIR", TestStores.newDirectory().toString());
        int port;
        ParleyJar.Result refused;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
            refused = ParleyJar.run(with(store, "PARLEY_PORT", Integer.toString(port)), "serve");
        }

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines()).containsExactly(
                "parley: cannot listen on PARLEY_PORT " + port + ": address already in use");
        assertThat(ParleyJar.run(store, "keys", "list").out()).isEmpty();

        FirstStart next = firstStart(store);
        assertThat(next.secretLine()).matches("parley_[A-Za-z0-9_-]{43}");
        assertThat(next.errBeforeSecret()).anyMatch(line -> line.startsWith("parley: serving on port "));
        assertThat(ParleyJar.run(store, "keys", "list").out().lines())
                .singleElement().satisfies(line -> assertThat(line).contains("\tdefault\tread,write,review,admin\t"));
    }

    @Test
    void onJdk25AStartAndACommandPrintNoWarning() throws Exception {
        if (!Files.isExecutable(JDK_25)) {
            System.err.println("!!!!! SKIPPED: " + JDK_25 + " is absent, so the JDK 22+ native-access warnings"
                    + " are NOT checked !!!!!");
        }
        assumeTrue(Files.isExecutable(JDK_25), JDK_25 + " is absent");
        Map<String, String> store = Map.of("PARLEY_DATA_DIR", TestStores.newDirectory().toString());

        ParleyJar.Result list = ParleyJar.run(JDK_25, store, Duration.ofMinutes(2), "keys", "list");
        FirstStart start = firstStart(JDK_25, store);

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.err()).doesNotContain("WARNING");
        assertThat(start.errBeforeSecret()).noneMatch(line -> line.contains("WARNING"));
    }

    @Test
    void sqlitesNativeLibraryIsKeptInTheDataDirectoryAndAnUnusableCopyOnlyCostsTime() throws Exception {
        Path dataDir = TestStores.newDirectory();
        Map<String, String> store = Map.of("PARLEY_DATA_DIR", dataDir.toString());

        assertThat(ParleyJar.run(store, "keys", "list").exitCode()).isZero();

        Path library = keptLibrary(dataDir);
        String resource = "org/sqlite/native/" + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS() + "/"
                + library.getFileName();
        try (var original = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertThat(Files.readAllBytes(library)).isEqualTo(original.readAllBytes());
        }

        Files.write(library, "not a shared library".getBytes(StandardCharsets.UTF_8));
        ParleyJar.Result broken = ParleyJar.run(store, "keys", "list");
        assertThat(broken.exitCode()).as(broken.err()).isZero();
    }

    private static Path keptLibrary(Path dataDir) throws java.io.IOException {
        try (var files = Files.walk(dataDir.resolve("native"))) {
            List<Path> libraries = files
                    .filter(file -> file.getFileName().toString().equals(System.mapLibraryName("sqlitejdbc")))
                    .toList();
            assertThat(libraries).hasSize(1);
            return libraries.get(0);
        }
    }

    record FirstStart(List<String> errBeforeSecret, String secretLine) {
    }

    private static FirstStart firstStart(Map<String, String> store) throws Exception {
        return firstStart(ParleyJar.currentJava(), store);
    }

    /** Starts serve on a free port, reads until the first key is printed, and stops it. */
    private static FirstStart firstStart(Path java, Map<String, String> store) throws Exception {
        Path errLog = Files.createTempFile("parley-serve-", ".log");
        Process serve = ParleyJar.builder(java, with(store, "PARLEY_PORT", "0"), "serve")
                .redirectError(errLog.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                StandardCharsets.UTF_8))) {
            String secret = out.readLine();
            List<String> err = new ArrayList<>(Files.readAllLines(errLog));
            assertThat(secret).as("serve printed no key; it said: " + err).isNotNull();
            return new FirstStart(err, secret);
        } finally {
            serve.destroy();
            if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
            Files.deleteIfExists(errLog);
        }
    }

    private static Map<String, String> with(Map<String, String> settings, String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put(name, value);
        return all;
    }
}
