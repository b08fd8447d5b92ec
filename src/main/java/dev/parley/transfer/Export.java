package dev.parley.transfer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.parley.history.BotRequest;
import dev.parley.history.Conversation;
import dev.parley.history.FeedbackType;
import dev.parley.history.ChangesFeed;
import dev.parley.history.FeedPosition;
import dev.parley.history.Review;
import dev.parley.history.ReviewStatus;
import dev.parley.history.HistoryFilter;
import dev.parley.history.HistoryJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.Optional;

/**
 * Streams every conversation that matches a filter, newest first, as NDJSON (the history API's
 * conversation shape, one a line) or as CSV (a row per bot request) — used by HTTP and the CLI.
 */
public final class Export {

    public static final List<String> CSV_COLUMNS = List.of("conversationId", "conversationCreatedAt", "source",
            "channel", "userId", "externalId", "requestId", "createdAt", "question", "answer", "categories",
            "escalation", "feedbackType", "reasoning", "sources",
            // the conversation's review (SPEC §11), after the columns of SPEC §4, repeated on each of its rows
            "reviewStatus", "reviewLabels", "reviewNote", "reviewedBy", "reviewedAt");
    // the caller owns the stream: an export flushes it but never closes it
    private static final JsonFactory JSON = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final CsvFactory CSV = (CsvFactory) new CsvFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final DateTimeFormatter ISO_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Lets spreadsheet programs recognise the file as UTF-8; CSV readers skip it. */
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final ChangesFeed feed;

    public Export(ChangesFeed feed) {
        this.feed = feed;
    }

    /** Writes the export; answers how many conversations it wrote. */
    public long write(long workspace, HistoryFilter filter, ExportFormat format, OutputStream out) throws IOException {
        return write(workspace, filter, format, out, written -> { });
    }

    /** Writes the export, telling {@code progress} how many conversations are written so far. */
    public long write(long workspace, HistoryFilter filter, ExportFormat format, OutputStream out,
                      LongConsumer progress) throws IOException {
        return write(workspace, filter, format, out, progress, position -> { });
    }

    /**
     * Writes the export, telling {@code startingAt} where the changes feed stands in the export's
     * own snapshot before the first byte is written (an HTTP export sends it as a header).
     */
    public long write(long workspace, HistoryFilter filter, ExportFormat format, OutputStream out,
                      LongConsumer progress, Consumer<FeedPosition> startingAt) throws IOException {
        try {
            return format == ExportFormat.CSV ? writeCsv(workspace, filter, out, progress, startingAt)
                    : writeNdjson(workspace, filter, out, progress, startingAt);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private long writeNdjson(long workspace, HistoryFilter filter, OutputStream out, LongConsumer progress,
                             Consumer<FeedPosition> startingAt) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.setRootValueSeparator(null);
            try (WriteBehind writer = new WriteBehind(conversation -> {
                HistoryJson.writeConversation(json, conversation);
                json.writeRaw('\n');
            }, progress)) {
                feed.forEachMatch(workspace, filter, startingAt, writer::accept);
                return writer.finish();
            }
        }
    }

    private long writeCsv(long workspace, HistoryFilter filter, OutputStream out, LongConsumer progress,
                          Consumer<FeedPosition> startingAt) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n");
        CSV_COLUMNS.forEach(schema::addColumn);
        try (CsvGenerator csv = CSV.createGenerator(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            csv.setSchema(schema.build());
            try (WriteBehind writer = new WriteBehind(conversation -> {
                for (BotRequest request : conversation.botRequests()) {
                    writeRow(csv, conversation, request);
                }
            }, progress)) {
                feed.forEachMatch(workspace, filter, position -> {
                    startingAt.accept(position);
                    try {
                        out.write(UTF8_BOM);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, writer::accept);
                return writer.finish();
            }
        }
    }

    private static void writeRow(CsvGenerator csv, Conversation conversation, BotRequest request) throws IOException {
        csv.writeStartArray();
        cell(csv, conversation.id().toString());
        cell(csv, time(conversation.createdAt()));
        cell(csv, conversation.source().wireName());
        cell(csv, conversation.channel());
        cell(csv, conversation.userId());
        cell(csv, conversation.externalId());
        cell(csv, request.id().toString());
        cell(csv, time(request.createdAt()));
        cell(csv, request.question());
        cell(csv, request.answer());
        cell(csv, String.join(";", request.categories()));
        cell(csv, Boolean.toString(request.escalation()));
        cell(csv, request.feedbackType().map(FeedbackType::wireName));
        cell(csv, request.reasoning());
        cell(csv, String.join(";", citedNames(request)));
        Optional<Review> review = conversation.review();
        cell(csv, review.flatMap(Review::status).map(ReviewStatus::wireName));
        cell(csv, review.map(given -> String.join(";", given.labels())));
        cell(csv, review.flatMap(Review::note));
        cell(csv, review.map(Review::reviewedBy));
        cell(csv, review.map(given -> time(given.reviewedAt())));
        csv.writeEndArray();
    }

    /** The titles of what an answer cited, or their urls where a title is missing. */
    private static List<String> citedNames(BotRequest request) {
        List<String> names = new ArrayList<>();
        if (request.basedOn().isEmpty()) {
            return names;
        }
        for (JsonNode cited : request.basedOn().tree()) {
            String title = cited.path("title").asText("");
            String name = title.isEmpty() ? cited.path("url").asText("") : title;
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    private static void cell(CsvGenerator csv, Optional<String> value) throws IOException {
        cell(csv, value.orElse(""));
    }

    /** A cell no spreadsheet runs as a formula: one that starts like a formula gets a leading quote. */
    private static void cell(CsvGenerator csv, String value) throws IOException {
        csv.writeString(startsLikeFormula(value) ? "'" + value : value);
    }

    static boolean startsLikeFormula(String value) {
        return !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0;
    }

    private static String time(long epochMs) {
        return ISO_UTC.format(Instant.ofEpochMilli(epochMs));
    }
}
