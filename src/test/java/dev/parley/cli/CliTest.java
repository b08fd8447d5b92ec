package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.history.Direction;
import dev.parley.history.HistoryFilter;
import dev.parley.history.HistoryJson;
import dev.parley.history.Page;
import dev.parley.history.PageRequest;
import dev.parley.testing.TestStores;
import dev.parley.workspace.WorkspaceName;
import java.io.StringWriter;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.Optional;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin CLI: scripts read standard output, people read standard error, mistakes exit 2. */
class CliTest {

    Map<String, String> env;

    @BeforeEach
    void emptySqliteStore() {
        env = new HashMap<>();
        env.put("PARLEY_DATA_DIR", TestStores.newDirectory().toString());
    }

    record Run(int exitCode, String out, String err) {
        String lastLineOfOut() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    Run parley(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Cli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void keysCreatePrintsTheSecretAloneOnTheLastLineOfStandardOutput() {
        Run run = parley("keys", "create", "--workspace", "acme", "--scopes", "read,write");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("parley_[A-Za-z0-9_-]{43}\n");
        assertThat(run.err()).contains("created key key_").contains("workspace 'acme'").contains("read,write")
                .doesNotContain(run.lastLineOfOut());
    }

    @Test
    void keysListShowsOneKeyALineWithItsIdFirstAndNoSecret() {
        Run created = parley("keys", "create", "--workspace", "acme", "--scopes", "read");
        parley("keys", "create", "--workspace", "beta", "--scopes", "write");

        Run all = parley("keys", "list");
        Run acme = parley("keys", "list", "--workspace", "acme");

        assertThat(all.exitCode()).isZero();
        assertThat(all.out().lines()).hasSize(2).allMatch(line -> line.startsWith("key_"));
        assertThat(acme.out().lines()).singleElement().satisfies(line ->
                assertThat(line).matches("key_[0-9a-f]{16}\tacme\tread\t\\S+\tactive"));
        assertThat(all.out()).doesNotContain(created.lastLineOfOut());
    }

    @Test
    void keysRevokeMarksTheKeyRevoked() {
        parley("keys", "create", "--scopes", "read");
        String id = parley("keys", "list").out().split("\t")[0];

        Run revoke = parley("keys", "revoke", id);

        assertThat(revoke.exitCode()).isZero();
        assertThat(revoke.err()).isEqualTo("parley: revoked key " + id + "\n");
        assertThat(parley("keys", "list").out()).contains("\trevoked ");
    }

    @ParameterizedTest(name = "--source {0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            all,fax     | --source 'fax' is not allowed: use 'all', or one or more of zendesk, slack, discord, widget, intercom, ui, api (comma-separated or repeated)
            zendesk,all | --source 'all' cannot be combined with named sources: use 'all', or one or more of zendesk, slack, discord, widget, intercom, ui, api (comma-separated or repeated)
            """)
    void anExportsSourcesFollowTheApisRule(String sources, String message) {
        parley("keys", "create", "--scopes", "read");

        Run run = parley("export", "--source", sources);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("parley: " + message + "\n");
    }

    @Test
    void anImportLineWithAnUnknownFieldIsOneLineNamingTheLineAndTheFieldAndImportsNothing() throws Exception {
        Path file = Path.of(env.get("PARLEY_DATA_DIR")).resolve("history.ndjson");
        java.nio.file.Files.writeString(file, """
                {"source":"api","botRequests":[{"question":"q","answer":"a","createdAt":1}]}
                {"source":"api","botRequests":[{"question":"q","answer":"a","createdAt":2,"feedback":"thumbs_up"}]}
                """);

        Run run = parley("import", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).matches("parley: " + java.util.regex.Pattern.quote(file + ": line 2: "
                + "'botRequests[0].feedback' is not a field here; the fields are ") + "[a-zA-Z, ]+"
                + java.util.regex.Pattern.quote("; nothing was imported") + "\n");
        assertThat(parley("export").out()).isEmpty();
    }

    @Test
    void anExportTakesTheReviewAndAttentionFilters() throws Exception {
        Path file = Path.of(env.get("PARLEY_DATA_DIR")).resolve("reviewed.ndjson");
        java.nio.file.Files.writeString(file, """
                {"id":"00000000-0000-4000-8000-000000000001","source":"api","botRequests":[{"question":"q","answer":"a","createdAt":1}],"review":{"status":"needs_work","labels":["tone"],"note":null,"reviewedBy":"key_1","reviewedAt":5}}
                {"id":"00000000-0000-4000-8000-000000000002","source":"api","botRequests":[{"question":"q","answer":"see https://kb","createdAt":2}]}
                """);
        assertThat(parley("import", file.toString()).exitCode()).isZero();
        assertThat(exported("--label", "tone,other")).contains("-000000000001").doesNotContain("-000000000002");
        assertThat(exported("--review-status", "unreviewed")).contains("-000000000002").doesNotContain("-000000000001");
        assertThat(exported("--attention", "true")).contains("-000000000001").doesNotContain("-000000000002");
        Run wrong = parley("export", "--reviewStatus", "done");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("reviewStatus").contains("reviewed, needs_work, unreviewed");
    }

    /** What an export with these options writes to its file. */
    String exported(String... options) throws Exception {
        Path file = java.nio.file.Files.createTempFile(Path.of(env.get("PARLEY_DATA_DIR")), "export", ".ndjson");
        String[] args = new String[options.length + 3];
        args[0] = "export";
        args[1] = "--output";
        args[2] = file.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        Run run = parley(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return java.nio.file.Files.readString(file);
    }

    @Test
    void keysCreateAcceptsEveryScope() {
        Run run = parley("keys", "create", "--scopes", "read,write,review,admin");

        assertThat(run.exitCode()).isZero();
        assertThat(parley("keys", "list").out()).contains("\tdefault\tread,write,review,admin\t");
    }

    @Test
    void anUnknownScopeIsOneLineAndExitCode2() {
        Run run = parley("keys", "create", "--scopes", "owner");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("parley: Invalid value for option '--scopes' (SCOPES): unknown scope 'owner':"
                + " allowed are read, write, review, admin (see 'parley keys create --help')\n");
    }

    @Test
    void anUnknownRedactionKindIsOneLineAndExitCode2() {
        Run run = parley("workspace", "set", "--redact", "emial");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("parley: Invalid value for option '--redact': unknown kind 'emial':"
                + " allowed are email, phone, card, or none alone (see 'parley workspace set --help')\n");
    }

    @Test
    void aNewWorkspaceShowsItsDefaultsAndSetChangesOnlyWhatItIsGiven() {
        assertThat(parley("workspace", "show", "--workspace", "fresh").out())
                .isEqualTo("name\tfresh\nredact\tcard\nretention-days\tnone\n");

        parley("workspace", "set", "--workspace", "fresh", "--retention-days", "30");
        Run run = parley("workspace", "set", "--workspace", "fresh", "--redact", "none");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("name\tfresh\nredact\tnone\nretention-days\t30\n");
    }

    @Test
    void anUnknownKeyIdIsOneLineAndExitCode2() {
        Run run = parley("keys", "revoke", "key_0000000000000000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("parley: no key has the id 'key_0000000000000000'\n");
    }

    @Test
    void exportingAWorkspaceThatDoesNotExistExportsNothingAndDoesNotMakeIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("nothing.ndjson");
        Run run = parley("export", "--workspace", "nobody", "-o", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(out)).isEmpty();
        assertThat(run.err()).contains("parley: no workspace is named 'nobody'; it has nothing to export");
        assertThat(parley("keys", "list", "--workspace", "nobody").exitCode()).isEqualTo(2);
    }

    @Test
    void anUnknownWorkspaceInListIsExitCode2() {
        Run run = parley("keys", "list", "--workspace", "ghost");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("parley: no workspace is named 'ghost'\n");
    }

    @Test
    void aMissingRequiredOptionIsExitCode2() {
        Run run = parley("keys", "create");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("parley: Missing required option: '--scopes=SCOPES'"
                + " (see 'parley keys create --help')\n");
    }

    @Test
    void aBadSettingIsOneLineNamingItAndExitCode2() {
        env.put("PARLEY_PORT", "abc");

        Run run = parley("serve");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("parley: PARLEY_PORT must be a port number from 0 to 65535, got 'abc'\n");
    }

    @ParameterizedTest(name = "{0}={1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', textBlock = """
            PARLEY_PORT             | 70000 | PARLEY_PORT must be a port number from 0 to 65535, got 70000
            PARLEY_RATE_LIMIT       | -1    | PARLEY_RATE_LIMIT must be a whole number of requests per second (0: off), got '-1'
            PARLEY_SHUTDOWN_TIMEOUT | soon  | PARLEY_SHUTDOWN_TIMEOUT must be a whole number of seconds, got 'soon'
            PARLEY_LOG_FORMAT       | xml   | PARLEY_LOG_FORMAT must be plain or json, got 'xml'
            PARLEY_IMPORT_MAX_BYTES | lots  | PARLEY_IMPORT_MAX_BYTES must be a positive number of bytes, got 'lots'
            PARLEY_DATABASE_URL     | mysql://db | PARLEY_DATABASE_URL must be a jdbc:postgresql:// URL
            PARLEY_HOST             | localhost  | PARLEY_HOST must be an IP address of this machine, such as 127.0.0.1 or ::1 (unset: every interface), got 'localhost'
            PARLEY_HOST             | 127.0.0.300 | PARLEY_HOST must be an IP address of this machine, such as 127.0.0.1 or ::1 (unset: every interface), got '127.0.0.300'
            PARLEY_HOST             | ::1::1     | PARLEY_HOST must be an IP address of this machine, such as 127.0.0.1 or ::1 (unset: every interface), got '::1::1'
            PARLEY_WEBHOOK_ALLOW_PRIVATE | yes   | PARLEY_WEBHOOK_ALLOW_PRIVATE must be true or false, got 'yes'
            PARLEY_PHONE_REGIONS    | US,XX      | PARLEY_PHONE_REGIONS must be comma-separated ISO 3166 region codes such as US,GB,DE; 'XX' is not one
            PARLEY_RETENTION_SWEEP_SECONDS | 0   | PARLEY_RETENTION_SWEEP_SECONDS must be a whole number of seconds, at least 1, got 0
            PARLEY_RETENTION_SWEEP_SECONDS | soon | PARLEY_RETENTION_SWEEP_SECONDS must be a whole number of seconds, at least 1, got 'soon'
            """)
    void everyBadSettingStopsTheStartWithOneLineNamingIt(String setting, String value, String message) {
        env.put(setting, value);

        Run run = parley("serve");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("parley: " + message + "\n");
    }

    @Test
    void aShortBootstrapKeyStopsTheStart() {
        env.put("PARLEY_BOOTSTRAP_KEY", "too-short");

        Run run = parley("serve");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("parley: PARLEY_BOOTSTRAP_KEY must be at least 24 printable ASCII characters"
                + " without spaces\n");
    }

    @Test
    void anUnreachableDatabaseStopsTheStartWithOneLine() {
        env.put("PARLEY_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/parley?connectTimeout=1");

        Run run = parley("keys", "list");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).hasSize(1).first().asString()
                .startsWith("parley: PARLEY_DATABASE_URL: cannot reach PostgreSQL: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "serve", "keys", "keys create", "keys list", "keys revoke", "demo-data"})
    void everyCommandHasHelp(String command) {
        String[] args = (command + " --help").trim().split(" ");

        Run run = parley(args);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: parley").contains("--help");
    }

    @Test
    void demoDataIsTheSameForTheSameSeed() {
        Run first = parley("demo-data", "--conversations", "120", "--seed", "7");
        String firstStore = env.get("PARLEY_DATA_DIR");
        emptySqliteStore();
        Run second = parley("demo-data", "--conversations", "120", "--seed", "7");

        assertThat(first.exitCode()).isZero();
        assertThat(second.exitCode()).isZero();
        assertThat(first.err()).contains("parley: generated 120 conversations in workspace 'default' in ");
        assertThat(firstPage(firstStore)).isEqualTo(firstPage(env.get("PARLEY_DATA_DIR")))
                .contains("\"botRequests\":[{");
    }

    private static String firstPage(String dataDir) {
        Config config = new Config(0, Path.of(dataDir), Optional.empty(), Optional.empty());
        try (Parley parley = Parley.open(config)) {
            long workspace = parley.keys().ensureWorkspace(WorkspaceName.DEFAULT);
            Page page = parley.history().reader().page(workspace, HistoryFilter.ALL,
                    new PageRequest(200, Optional.empty(), Direction.NEXT));
            assertThat(page.conversations()).hasSize(120);
            StringWriter json = new StringWriter();
            try (var out = new JsonFactory().createGenerator(json)) {
                for (var conversation : page.conversations()) {
                    HistoryJson.writeConversation(out, conversation);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return json.toString();
        }
    }
}
