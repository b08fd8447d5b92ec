package dev.parley.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.parley.history.Conversation;
import dev.parley.history.HistoryReader;
import dev.parley.history.HistoryFilter;
import dev.parley.history.HistoryJson;
import dev.parley.history.Page;
import dev.parley.history.PageRequest;
import dev.parley.workspace.Principal;
import dev.parley.workspace.Scope;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /v2/bots/requests/public}: the reference API's history, filtered and paged.
 *
 * <pre>curl -H "Authorization: Bearer $KEY" 'localhost:8080/v2/bots/requests/public?source=all&amp;limit=20'</pre>
 */
final class HistoryEndpoints {

    private final HistoryReader history;
    private final Authenticator authenticator;

    HistoryEndpoints(HistoryReader history, Authenticator authenticator) {
        this.history = history;
        this.authenticator = authenticator;
    }

    void list(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.READ);
        QueryParameters query = QueryParameters.of(ctx);
        HistoryFilter filter = HistoryParameters.filter(query, true);
        PageRequest request = HistoryParameters.page(query);
        Page page = history.page(principal.workspaceId(), filter, request);
        ctx.status(200).contentType(JsonResponses.JSON_UTF8);
        try (JsonGenerator out = JsonResponses.FACTORY.createGenerator(ctx.outputStream(), JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeArrayFieldStart("conversations");
            for (Conversation conversation : page.conversations()) {
                HistoryJson.writeConversation(out, conversation);
            }
            out.writeEndArray();
            out.writeBooleanField("hasMore", page.hasMore());
            writeCursor(out, "nextCursor", page.nextCursor());
            writeCursor(out, "prevCursor", page.prevCursor());
            out.writeEndObject();
        }
    }

    private static void writeCursor(JsonGenerator out, String field, Optional<UUID> cursor) throws IOException {
        if (cursor.isPresent()) {
            out.writeStringField(field, cursor.get().toString());
        } else {
            out.writeNullField(field);
        }
    }
}
