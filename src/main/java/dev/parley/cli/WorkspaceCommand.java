package dev.parley.cli;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.privacy.PrivacySettings;
import dev.parley.privacy.Redaction;
import dev.parley.privacy.SettingsChange;
import dev.parley.privacy.StoredRedaction;
import dev.parley.workspace.WorkspaceName;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley workspace show|set|redact}: a workspace's privacy settings (SPEC §10). */
@Command(name = "workspace", mixinStandardHelpOptions = true,
        description = "Show and change a workspace's privacy settings; redact its stored history.")
final class WorkspaceCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** One line a setting, {@code name value}, on standard output. */
    static void print(PrintWriter out, WorkspaceName workspace, PrivacySettings settings) {
        out.println("name\t" + workspace.value());
        out.println("redact\t" + settings.redaction().describe());
        out.println("retention-days\t" + (settings.retentionDays().isPresent()
                ? Integer.toString(settings.retentionDays().getAsInt()) : "none"));
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the workspace's settings, one a line: name, redact, retention-days.")
    static final class Show implements Callable<Integer> {
        private final Map<String, String> env;
        private final PrintWriter out;

        @Option(names = "--workspace", defaultValue = "default", paramLabel = "NAME",
                converter = KeysCommand.WorkspaceConverter.class, description = "Workspace name (default: ${DEFAULT-VALUE}).")
        WorkspaceName workspace;

        Show(Map<String, String> env, PrintWriter out) {
            this.env = env;
            this.out = out;
        }

        @Override
        public Integer call() {
            try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
                long id = parley.keys().ensureWorkspace(workspace);
                print(out, workspace, parley.privacy().settings(id));
                return 0;
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Change the workspace's settings; what is not given keeps its value. A change of --redact"
                    + " applies to later writes; 'workspace redact' applies it to stored history.")
    static final class Set implements Callable<Integer> {
        private final Map<String, String> env;
        private final PrintWriter out;
        private final PrintWriter err;

        @Option(names = "--workspace", defaultValue = "default", paramLabel = "NAME",
                converter = KeysCommand.WorkspaceConverter.class, description = "Workspace name (default: ${DEFAULT-VALUE}).")
        WorkspaceName workspace;

        @Option(names = "--redact", paramLabel = "KINDS", converter = RedactionConverter.class,
                description = "What writes redact: any of email,phone,card, or none.")
        Redaction redact;

        @Option(names = "--retention-days", paramLabel = "N", converter = RetentionConverter.class,
                description = "Erase conversations unchanged for N days (1 to 3650), or none to keep them for ever.")
        OptionalInt retentionDays;

        Set(Map<String, String> env, PrintWriter out, PrintWriter err) {
            this.env = env;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            if (redact == null && retentionDays == null) {
                throw new CommandFailed("give --redact or --retention-days (or both)");
            }
            SettingsChange change = new SettingsChange(Optional.ofNullable(redact).map(Redaction::email),
                    Optional.ofNullable(redact).map(Redaction::phone), Optional.ofNullable(redact).map(Redaction::card),
                    Optional.ofNullable(retentionDays));
            try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
                long id = parley.keys().ensureWorkspace(workspace);
                print(out, workspace, parley.privacy().change(id, change));
                err.println("parley: changed the settings of workspace '" + workspace.value() + "'");
                return 0;
            }
        }
    }

    @Command(name = "redact", mixinStandardHelpOptions = true,
            description = "Apply the workspace's redaction setting to the history it already holds, in small batches"
                    + " beside a running serve; an interrupted run goes on where it stopped.")
    static final class Redact implements Callable<Integer> {
        private final Map<String, String> env;
        private final PrintWriter err;
        private final ProgressBars bars;

        @Option(names = "--workspace", required = true, paramLabel = "NAME",
                converter = KeysCommand.WorkspaceConverter.class, description = "Workspace name.")
        WorkspaceName workspace;

        Redact(Map<String, String> env, PrintWriter err, ProgressBars bars) {
            this.env = env;
            this.err = err;
            this.bars = bars;
        }

        @Override
        public Integer call() {
            long started = System.nanoTime();
            try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
                long id = parley.keys().requireWorkspace(workspace);
                StoredRedaction.Outcome outcome;
                try (ProgressBar bar = bars.start("redact", parley.history().reader().stats(id,
                        dev.parley.history.HistoryFilter.ALL).conversations())) {
                    outcome = parley.storedRedaction().run(id, bar::stepBy);
                }
                err.println("parley: redacted (" + outcome.kinds().describe() + ") the history of workspace '"
                        + workspace.value() + "': " + Counts.of(outcome.seen(), "conversation") + " looked at"
                        + (outcome.resumed() ? " (going on from an interrupted run)" : "") + ", "
                        + Counts.of(outcome.changed(), "conversation") + " changed, in "
                        + Counts.seconds(started));
                return 0;
            }
        }
    }

    static final class RedactionConverter implements CommandLine.ITypeConverter<Redaction> {
        @Override
        public Redaction convert(String value) {
            try {
                return Redaction.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class RetentionConverter implements CommandLine.ITypeConverter<OptionalInt> {
        @Override
        public OptionalInt convert(String value) {
            if (value.trim().equals("none")) {
                return OptionalInt.empty();
            }
            try {
                int days = Integer.parseInt(value.trim());
                PrivacySettings.checkRetentionDays(days);
                return OptionalInt.of(days);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("must be a whole number of days from 1 to "
                        + PrivacySettings.MAX_RETENTION_DAYS + ", or none, got '" + value + "'");
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
