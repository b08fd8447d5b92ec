package dev.parley.api;

import dev.parley.history.FailingQuestions;
import dev.parley.history.HistoryFilter;
import dev.parley.history.HistoryReader;
import dev.parley.history.Stats;
import dev.parley.workspace.Principal;
import dev.parley.workspace.Scope;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * {@code GET /v2/bots/insights/failing-questions} (SPEC §11): where the bot fails, with the
 * history's filters; {@code source} defaults to all, the window to the last 30 days.
 */
final class InsightEndpoints {

    static final long DEFAULT_WINDOW_MS = Duration.ofDays(30).toMillis();
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final HistoryReader history;
    private final Authenticator authenticator;
    private final Clock clock;

    InsightEndpoints(HistoryReader history, Authenticator authenticator, Clock clock) {
        this.history = history;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    void failingQuestions(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.READ);
        QueryParameters query = QueryParameters.of(ctx);
        HistoryFilter filter = HistoryParameters.filter(query, false).withDefaultWindow(clock.millis(),
                DEFAULT_WINDOW_MS);
        int limit = HistoryParameters.limit(query, DEFAULT_LIMIT, MAX_LIMIT);
        FailingQuestions found = history.failingQuestions(principal.workspaceId(), filter, limit);
        JsonResponses.send(ctx, 200, out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("groups");
            for (FailingQuestions.Group group : found.groups()) {
                out.writeStartObject();
                out.writeStringField("question", group.question());
                out.writeNumberField("failing", group.failing());
                out.writeNumberField("escalated", group.escalated());
                out.writeNumberField("thumbsDown", group.thumbsDown());
                out.writeNumberField("uncited", group.uncited());
                out.writeNumberField("conversations", group.conversations());
                out.writeArrayFieldStart("topCategories");
                for (Stats.CategoryCount category : group.topCategories()) {
                    out.writeStartObject();
                    out.writeStringField("category", category.category());
                    out.writeNumberField("conversations", category.conversations());
                    out.writeEndObject();
                }
                out.writeEndArray();
                out.writeArrayFieldStart("sampleConversationIds");
                for (UUID id : group.sampleConversationIds()) {
                    out.writeString(id.toString());
                }
                out.writeEndArray();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeNumberField("failingRequests", found.failingRequests());
            out.writeNumberField("requests", found.requests());
            out.writeEndObject();
        });
    }
}
