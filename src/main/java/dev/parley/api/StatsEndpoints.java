package dev.parley.api;

import dev.parley.history.HistoryFilter;
import dev.parley.history.Stats;
import dev.parley.history.HistoryReader;
import dev.parley.workspace.Principal;
import dev.parley.workspace.Scope;
import io.javalin.http.Context;
import java.io.IOException;

/** {@code GET /v2/bots/stats}: totals, feedback, a row per day and the top categories of the matches. */
final class StatsEndpoints {

    private final HistoryReader history;
    private final Authenticator authenticator;

    StatsEndpoints(HistoryReader history, Authenticator authenticator) {
        this.history = history;
        this.authenticator = authenticator;
    }

    void stats(Context ctx) throws IOException {
        Principal principal = authenticator.require(ctx, Scope.READ);
        HistoryFilter filter = HistoryParameters.filter(QueryParameters.of(ctx), false);
        Stats stats = history.stats(principal.workspaceId(), filter);
        JsonResponses.send(ctx, 200, out -> {
            out.writeStartObject();
            out.writeNumberField("conversations", stats.conversations());
            out.writeNumberField("botRequests", stats.botRequests());
            out.writeNumberField("escalated", stats.escalated());
            out.writeNumberField("withLinks", stats.withLinks());
            out.writeObjectFieldStart("feedback");
            out.writeNumberField("thumbs_up", stats.thumbsUp());
            out.writeNumberField("thumbs_down", stats.thumbsDown());
            out.writeNumberField("no_feedback", stats.noFeedback());
            out.writeEndObject();
            out.writeArrayFieldStart("byDay");
            for (Stats.Day day : stats.byDay()) {
                out.writeStartObject();
                out.writeStringField("day", day.day().toString());
                out.writeNumberField("conversations", day.conversations());
                out.writeNumberField("escalated", day.escalated());
                out.writeNumberField("thumbsUp", day.thumbsUp());
                out.writeNumberField("thumbsDown", day.thumbsDown());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeArrayFieldStart("topCategories");
            for (Stats.CategoryCount category : stats.topCategories()) {
                out.writeStartObject();
                out.writeStringField("category", category.category());
                out.writeNumberField("conversations", category.conversations());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }
}
