package dev.parley.cli;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.history.FeedbackFilter;
import dev.parley.history.HistoryFilter;
import dev.parley.history.InvalidField;
import dev.parley.history.Source;
import dev.parley.transfer.ExportFormat;
import dev.parley.workspace.WorkspaceName;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
    Long startEpoch;

    @Option(names = {"--end-epoch", "--endEpoch"}, paramLabel = "MS", description = "To (epoch ms, exclusive).")
    Long endEpoch;

    @Option(names = "--category", split = ",", paramLabel = "CATEGORY", description = "Having any of these categories.")
    List<String> categories = new ArrayList<>();

    @Option(names = {"--feedback-type", "--feedbackType"}, paramLabel = "TYPE",
            description = "thumbs_up, thumbs_down or no_feedback.")
    String feedbackType;

    @Option(names = "--escalation", paramLabel = "BOOL", arity = "1", description = "true or false.")
    Boolean escalation;

    @Option(names = {"--has-links", "--hasLinks"}, paramLabel = "BOOL", arity = "1", description = "true or false.")
    Boolean hasLinks;

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

    ExportCommand(Map<String, String> env, PrintWriter err, ProgressBars bars) {
        this.env = env;
        this.err = err;
        this.bars = bars;
    }

    @Override
    public Integer call() {
        HistoryFilter filter = filter();
        try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
            long workspaceId = parley.keys().ensureWorkspace(workspace);
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
            err.println("parley: follow the changes since this export with: parley follow --workspace "
                    + workspace.value() + " --cursor " + changesCursor);
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

    private HistoryFilter filter() {
        Optional<FeedbackFilter> feedback = Optional.ofNullable(feedbackType).map(text -> FeedbackFilter
                .fromWire(text).orElseThrow(() -> new IllegalArgumentException(
                        "--feedback-type must be one of " + FeedbackFilter.ALLOWED + ", got '" + text + "'")));
        try {
            return new HistoryFilter(Source.filter(sources), optional(startEpoch), optional(endEpoch), categories, feedback,
                    Optional.ofNullable(escalation), Optional.ofNullable(hasLinks), Optional.ofNullable(userId),
                    Optional.ofNullable(ticketId), Optional.ofNullable(question), Optional.ofNullable(answer),
                    Optional.ofNullable(sourceId));
        } catch (InvalidField e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<ExportFormat> {
        @Override
        public ExportFormat convert(String value) {
            return ExportFormat.fromWire(value).orElseThrow(() ->
                    new CommandLine.TypeConversionException("use ndjson or csv, got '" + value + "'"));
        }
    }
}
