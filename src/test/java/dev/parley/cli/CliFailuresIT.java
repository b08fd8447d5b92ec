package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.ParleyJar;
import dev.parley.testing.TestStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Whatever goes wrong around a command is one line on standard error, naming the cause, and exit 2. */
class CliFailuresIT {

    Path dir;
    Map<String, String> store;

    @BeforeEach
    void emptyStore() {
        dir = TestStores.newDirectory();
        store = new HashMap<>(Map.of("PARLEY_DATA_DIR", dir.resolve("data").toString()));
    }

    private void assertOneLine(ParleyJar.Result run, String line) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(line);
    }

    @Test
    void exportIntoAMissingDirectoryNamesTheFileAndTheReason() {
        ParleyJar.Result run = ParleyJar.run(store, "export", "-o", "/nonexistent/dir/out.ndjson");

        assertOneLine(run, "parley: cannot write /nonexistent/dir/out.ndjson: no such file or directory");
    }

    @Test
    void exportOntoADirectoryNamesTheReason() {
        ParleyJar.Result run = ParleyJar.run(store, "export", "-o", dir.toString());

        assertOneLine(run, "parley: cannot write " + dir + ": is a directory");
    }

    @Test
    void exportOntoAFullDiskNamesTheReason() {
        ParleyJar.Result demo = ParleyJar.run(store, "demo-data", "--conversations", "200");
        ParleyJar.Result run = ParleyJar.run(store, "export", "-o", "/dev/full");

        assertThat(demo.exitCode()).isZero();
        assertOneLine(run, "parley: cannot write /dev/full: no space left on device");
    }

    @Test
    void importOfAMissingFileSaysWhy() {
        Path missing = dir.resolve("missing.ndjson");

        ParleyJar.Result run = ParleyJar.run(store, "import", missing.toString());

        assertOneLine(run, "parley: cannot read " + missing + ": no such file or directory");
    }

    @Test
    void importOfADirectorySaysWhy() {
        ParleyJar.Result run = ParleyJar.run(store, "import", dir.toString());

        assertOneLine(run, "parley: cannot read " + dir + ": is a directory");
    }

    @Test
    void aUsageErrorIsOneLineThatNamesTheHelp() {
        ParleyJar.Result run = ParleyJar.run(store, "keys", "create", "--workspace", "acme");

        assertOneLine(run, "parley: Missing required option: '--scopes=SCOPES' (see 'parley keys create --help')");
    }

    @Test
    void anUnknownCommandIsOneLine() {
        ParleyJar.Result run = ParleyJar.run(store, "exprot");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1).first().asString().startsWith("parley: Unmatched argument");
    }

    @Test
    void aDataDirectoryThatIsAFileIsOneLine() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        store.put("PARLEY_DATA_DIR", file.toString());

        ParleyJar.Result run = ParleyJar.run(store, "keys", "list");

        assertOneLine(run, "parley: PARLEY_DATA_DIR " + file + " cannot be used: not a directory");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsOneLine() {
        store.put("PARLEY_DATA_DIR", "/proc/parley-data");

        ParleyJar.Result run = ParleyJar.run(store, "keys", "list");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1).first().asString()
                .startsWith("parley: PARLEY_DATA_DIR /proc/parley-data cannot be used: ");
    }

    @Test
    void aStoreFileThatIsNotADatabaseIsOneLine() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("parley.db"), "this is not a SQLite database, it is a text file".repeat(100));

        ParleyJar.Result run = ParleyJar.run(store, "keys", "list");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
    }

    @Test
    void aPostgresqlThatAcceptsButNeverAnswersIsOneLineWithinSeconds() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            store.put("PARLEY_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/parley");

            ParleyJar.Result run = ParleyJar.run(store, "keys", "list");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.errLines()).hasSize(1).first().asString()
                    .startsWith("parley: PARLEY_DATABASE_URL: cannot reach PostgreSQL: ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            jdbc:postgresql://127.0.0.1:5432/no_such_db_here?user=postgres | PARLEY_DATABASE_URL
            jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&sslmode=bogus | PARLEY_DATABASE_URL
            """)
    void aPostgresqlUrlThatCannotBeUsedIsOneLineNamingTheSetting(String url, String setting) {
        store.put("PARLEY_DATABASE_URL", url);

        ParleyJar.Result run = ParleyJar.run(store, "keys", "list");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1).first().asString().startsWith("parley: " + setting);
    }

    @Test
    void anExportOfOneConversationSaysConversationInTheSingular() throws IOException {
        Path one = Files.writeString(dir.resolve("one.ndjson"), "{\"source\":\"api\",\"createdAt\":1700000000000,"
                + "\"botRequests\":[{\"question\":\"q\",\"answer\":\"a\",\"createdAt\":1700000000000}]}\n");

        ParleyJar.Result imported = ParleyJar.run(store, "import", one.toString());
        ParleyJar.Result exported = ParleyJar.run(store, "export", "-o", dir.resolve("out.ndjson").toString());

        assertThat(imported.errLines()).singleElement().asString()
                .matches("parley: imported 1 conversation into workspace 'default' in .* s");
        assertThat(exported.errLines()).hasSize(2);
        assertThat(exported.errLines().get(0)).matches("parley: exported 1 conversation in .* s");
        assertThat(exported.errLines().get(1)).startsWith("parley: follow the changes since this export with:");
    }

    @Test
    void longCommandsOffATerminalShowNoProgressBar() {
        ParleyJar.Result demo = ParleyJar.run(store, "demo-data", "--conversations", "3000");
        ParleyJar.Result export = ParleyJar.run(store, "export", "-o", dir.resolve("out.ndjson").toString());

        assertThat(demo.err() + export.err()).doesNotContain("\r").doesNotContain("\u001b");
        assertThat(demo.errLines()).last().asString().matches("parley: generated 3000 conversations in .* s");
    }
}
