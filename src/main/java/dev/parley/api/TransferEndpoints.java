package dev.parley.api;

import dev.parley.history.HistoryFilter;
import dev.parley.history.HistoryQuery;
import dev.parley.store.Database;
import dev.parley.transfer.Export;
import dev.parley.transfer.ExportFormat;
import dev.parley.transfer.Import;
import dev.parley.workspace.Principal;
import dev.parley.workspace.Scope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Moving whole histories: {@code GET /v2/bots/conversations/export} streams every match as NDJSON
 * or CSV; {@code POST /v2/bots/conversations/import} takes NDJSON, all or nothing.
 *
 * <pre>curl -H "Authorization: Bearer $KEY" 'localhost:8080/v2/bots/conversations/export?format=csv' -o history.csv
 * curl -H "Authorization: Bearer $KEY" -H 'Content-Type: application/x-ndjson' \
 *   --data-binary @history.ndjson localhost:8080/v2/bots/conversations/import</pre>
 */
final class TransferEndpoints {

    /** Exports at once for one key: two lets a client fetch NDJSON and CSV side by side. */
    static final int EXPORTS_PER_KEY = 2;

    private final Export export;
    private final StreamSlots exports = new StreamSlots(EXPORTS_PER_KEY, Database.MAX_STREAMS, "exports");
    private final Import importer;
    private final Authenticator authenticator;
    private final long importMaxBytes;
    private final Counter imports;
    private final Counter conversationsImported;

    private final ChangesEndpoints changes;

    TransferEndpoints(Export export, Import importer, Authenticator authenticator, long importMaxBytes,
                      MeterRegistry meters, ChangesEndpoints changes) {
        this.export = export;
        this.changes = changes;
        this.importer = importer;
        this.authenticator = authenticator;
        this.importMaxBytes = importMaxBytes;
        this.imports = Counter.builder("parley.imports").description("Imports completed").register(meters);
        this.conversationsImported = Counter.builder("parley.conversations.imported")
                .description("Conversations written by imports").register(meters);
    }

    void export(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.READ);
        QueryParameters query = QueryParameters.of(ctx);
        HistoryFilter filter = HistoryParameters.filter(query, false);
        ExportFormat format = formatOf(query, ctx.header("Accept"));
        if (HandlerType.HEAD.equals(ctx.method())) {
            // the key and the filters are checked; the body would be thrown away. Committing the
            // headers now sends them as a stream's, without a Content-Length of 0.
            startAttachment(ctx, format);
            ctx.header(ChangesEndpoints.CURSOR_HEADER, changes.cursorNow(principal.workspaceId()));
            ctx.res().flushBuffer();
            return;
        }
        try (StreamSlots.Slot slot = exports.take(principal.keyId())) {
            startAttachment(ctx, format);
            try {
                // the feed's place in the export's own snapshot, sent before the first byte of the body
                export.write(principal.workspaceId(), filter, format, ctx.outputStream(), written -> { },
                        position -> ctx.header(ChangesEndpoints.CURSOR_HEADER,
                                changes.cursor(principal.workspaceId(), position)));
            } catch (IOException e) {
                // the client hung up, or stopped reading for the idle timeout: its 200 went out with a
                // body that ends early, and there is no one left to tell; the request log says so
                RequestLog.cut(ctx, e);
            }
        }
    }

    private static void startAttachment(Context ctx, ExportFormat format) {
        ctx.status(200).contentType(format.contentType)
                .header("Content-Disposition", "attachment; filename=\"parley-export." + format.extension + "\"");
    }

    void importHistory(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.WRITE);
        requireNdjson(ctx.header("Content-Type"));
        long declared = ctx.req().getContentLengthLong();
        if (declared > importMaxBytes) {
            throw ApiError.payloadTooLarge(importMaxBytes);
        }
        long imported = importer.from(principal.workspaceId(), RequestBodies.streamed(ctx), importMaxBytes, done -> { });
        imports.increment();
        conversationsImported.increment(imported);
        JsonResponses.send(ctx, 200, out -> {
            out.writeStartObject();
            out.writeNumberField("imported", imported);
            out.writeEndObject();
        });
    }

    private static ExportFormat formatOf(QueryParameters query, String accept) {
        Optional<String> format = query.all("format").stream().filter(value -> !value.isEmpty()).findFirst();
        if (format.isPresent()) {
            return ExportFormat.fromWire(format.get()).orElseThrow(() -> ApiError.invalidParameter("format",
                    "format must be ndjson or csv, got '" + HistoryQuery.shown(format.get()) + "'"));
        }
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv") ? ExportFormat.CSV
                : ExportFormat.NDJSON;
    }

    private static void requireNdjson(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
        if (!type.equals("application/x-ndjson") && !type.equals("application/jsonl")) {
            throw ApiError.unsupportedMediaType("application/x-ndjson", contentType);
        }
    }
}
