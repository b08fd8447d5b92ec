package dev.parley.cli;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.history.HistoryFilter;
import dev.parley.history.HistoryQuery;
import dev.parley.history.InvalidField;
import dev.parley.transfer.ExportFormat;
import dev.parley.workspace.WorkspaceName;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley export}: every matching conversation, newest first, as NDJSON or CSV. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export conversations that match the history API's filters, newest first.")
final class ExportCommand implements Callable<Integer> {

    private final Map<String, String> env;
    private final PrintWriter err;
    private final ProgressBars bars;

    @Option(names = "--workspace", defaultValue = "default", paramLabel = "NAME",
            converter = KeysCommand.WorkspaceConverter.class, description = "Workspace (default: ${DEFAULT-VALUE}).")
    WorkspaceName workspace;

    @Option(names = "--format", defaultValue = "ndjson", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "ndjson or csv (default: ${DEFAULT-VALUE}).")
    ExportFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path output;

    @Option(names = "--source", split = ",", paramLabel = "SOURCE",
            description = "all, or sources: zendesk, slack, discord, widget, intercom, ui, api.")
    List<String> sources = new ArrayList<>();

    @Option(names = {"--start-epoch", "--startEpoch"}, paramLabel = "MS", description = "From (epoch ms, inclusive).")
    String startEpoch;

    @Option(names = {"--end-epoch", "--endEpoch"}, paramLabel = "MS", description = "To (epoch ms, exclusive).")
    String endEpoch;

    @Option(names = "--category", split = ",", paramLabel = "CATEGORY", description = "Having any of these categories.")
    List<String> categories = new ArrayList<>();

    @Option(names = {"--feedback-type", "--feedbackType"}, paramLabel = "TYPE",
            description = "thumbs_up, thumbs_down or no_feedback.")
    String feedbackType;

    @Option(names = "--escalation", paramLabel = "BOOL", description = "true or false.")
    String escalation;

    @Option(names = {"--has-links", "--hasLinks"}, paramLabel = "BOOL", description = "true or false.")
    String hasLinks;

    @Option(names = {"--user-id", "--userId"}, paramLabel = "ID", description = "End-user id.")
    String userId;

    @Option(names = {"--ticket-id", "--ticketId"}, paramLabel = "ID", description = "Ticket id (externalId).")
    String ticketId;

    @Option(names = "--question", paramLabel = "TEXT", description = "Some question contains this (any case).")
    String question;

    @Option(names = "--answer", paramLabel = "TEXT", description = "Some answer contains this (any case).")
    String answer;

    @Option(names = {"--source-id", "--sourceId"}, paramLabel = "ID", description = "Some answer cited this source.")
    String sourceId;

    /** Where the changes feed stood in the export's snapshot: the feed, followed from here, misses nothing. */
    private String changesCursor;
    @Option(names = "--attention", paramLabel = "BOOL",
            description = "true: some bot request failed (escalated, thumbs down, uncited); false: none did.")
    String attention;

    @Option(names = {"--review-status", "--reviewStatus"}, paramLabel = "STATUS",
            description = "reviewed, needs_work or unreviewed.")
    String reviewStatus;

    @Option(names = "--label", split = ",", paramLabel = "LABEL", description = "Reviewed with any of these labels.")
    List<String> labels = new ArrayList<>();

    /** No workspace has this id (ids start at 1): what an export of a missing workspace reads. */
    private static final long NO_WORKSPACE = 0;

    ExportCommand(Map<String, String> env, PrintWriter err, ProgressBars bars) {
        this.env = env;
        this.err = err;
        this.bars = bars;
    }

    @Override
    public Integer call() {
        HistoryFilter filter = filter();
        try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
            // reading never makes a workspace: one that does not exist exports nothing (a CSV its header)
            Optional<Long> found = parley.keys().findWorkspace(workspace);
            long workspaceId = found.orElse(NO_WORKSPACE);
            long started = System.nanoTime();
            long count;
            if (output == null) {
                count = exportTo(parley, workspaceId, filter, new BufferedOutputStream(System.out, 1 << 16));
                if (System.out.checkError()) {
                    throw new CommandFailed("cannot write standard output: it was closed or failed");
                }
            } else {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
                    count = exportTo(parley, workspaceId, filter, out);
                } catch (IOException e) {
                    throw FileProblem.writing(output.toString(), e);
                }
            }
            err.println("parley: exported " + Counts.of(count, "conversation") + " in " + Counts.seconds(started));
            if (found.isPresent()) {
                err.println("parley: follow the changes since this export with: parley follow --workspace "
                        + workspace.value() + " --cursor " + changesCursor);
            } else {
                err.println("parley: no workspace is named '" + workspace.value() + "'; it has nothing to export");
            }
            return 0;
        }
    }

    private long exportTo(Parley parley, long workspaceId, HistoryFilter filter, OutputStream out) {
        try (ProgressBar bar = bars.start("export", ProgressBars.UNKNOWN)) {
            long count = parley.export().write(workspaceId, filter, format, out, bar::stepTo,
                    position -> changesCursor = parley.changes().cursor(workspaceId, position));
            out.flush();
            return count;
        } catch (IOException e) {
            throw FileProblem.writing(output == null ? "standard output" : output.toString(), e);
        }
    }

    /**
     * The options as the history API's parameters, read by the same parser, so that the CLI takes
     * the same values and refuses with the same messages (the parameter's name becomes the option's).
     */
    private HistoryFilter filter() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("source", sources);
        params.put("category", categories);
        put(params, "startEpoch", startEpoch);
        put(params, "endEpoch", endEpoch);
        put(params, "feedbackType", feedbackType);
        put(params, "escalation", escalation);
        put(params, "hasLinks", hasLinks);
        put(params, "userId", userId);
        put(params, "ticketId", ticketId);
        put(params, "question", question);
        put(params, "answer", answer);
        put(params, "sourceId", sourceId);
        put(params, "attention", attention);
        put(params, "reviewStatus", reviewStatus);
        params.put("label", labels);
        try {
            return HistoryQuery.filter(params, false);
        } catch (InvalidField e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
    }

    private static void put(Map<String, List<String>> params, String name, String value) {
        if (value != null) {
            params.put(name, List.of(value));
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<ExportFormat> {
        @Override
        public ExportFormat convert(String value) {
            return ExportFormat.fromWire(value).orElseThrow(() ->
                    new CommandLine.TypeConversionException("use ndjson or csv, got '" + value + "'"));
        }
    }
}
