package dev.parley.api;

import dev.parley.history.HistoryQuery;
import dev.parley.changes.ChangeJson;
import dev.parley.changes.Changes;
import dev.parley.changes.ChangesCursor;
import dev.parley.history.FeedChange;
import dev.parley.history.FeedPage;
import dev.parley.history.FeedPosition;
import dev.parley.workspace.Principal;
import dev.parley.workspace.Scope;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code GET /v2/bots/conversations/changes}: the changes feed (SPEC §8), with long polling.
 * A waiting request holds no server thread (its answer is a future) and none of the capacity of
 * short requests: the feed's requests are counted apart, at most {@link #PER_KEY} for a key and
 * {@link #TOTAL} in all, and past that refused at once like exports.
 *
 * <pre>curl -H "Authorization: Bearer $KEY" 'localhost:8080/v2/bots/conversations/changes?wait=30&amp;cursor=...'</pre>
 */
final class ChangesEndpoints {

    static final String PATH = "/v2/bots/conversations/changes";
    static final String CURSOR_HEADER = "Parley-Changes-Cursor";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    static final int MAX_WAIT_SECONDS = 30;
    /** A mirror needs one poll at a time; a few more let a key follow from two places. */
    static final int PER_KEY = 4;
    static final int TOTAL = 256;

    private final Changes changes;
    private final Authenticator authenticator;
    private final StreamSlots polls = new StreamSlots(PER_KEY, TOTAL, "requests to the changes feed");

    ChangesEndpoints(Changes changes, Authenticator authenticator) {
        this.changes = changes;
        this.authenticator = authenticator;
    }

    void changes(Context ctx) {
        Principal principal = authenticator.require(ctx, Scope.READ);
        long workspace = principal.workspaceId();
        QueryParameters query = QueryParameters.of(ctx);
        FeedPosition from = single(query, "cursor").map(text -> position(workspace, text))
                .orElse(FeedPosition.START);
        int limit = number(query, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        int wait = number(query, "wait", 0, MAX_WAIT_SECONDS, 0);
        StreamSlots.Slot slot = polls.take(principal.keyId());
        CompletableFuture<FeedPage> page;
        try {
            page = changes.after(workspace, from, limit, Duration.ofSeconds(wait));
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
        if (page.isDone()) {
            slot.close();
            send(ctx, workspace, done(page));
            return;
        }
        ctx.future(() -> page.thenAccept(found -> send(ctx, workspace, found)).whenComplete((ok, failed) -> slot.close()));
    }

    /** The cursor of an export's header: where the feed stands in the export's snapshot. */
    String cursor(long workspace, FeedPosition position) {
        return changes.cursor(workspace, position);
    }

    String cursorNow(long workspace) {
        return changes.cursor(workspace, changes.now(workspace));
    }

    private FeedPosition position(long workspace, String text) {
        try {
            return changes.position(workspace, text);
        } catch (ChangesCursor.Invalid e) {
            throw ApiError.invalidCursor(e.getMessage());
        } catch (ChangesCursor.Expired e) {
            throw ApiError.cursorExpired(e.getMessage());
        }
    }

    private static FeedPage done(CompletableFuture<FeedPage> page) {
        try {
            return page.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void send(Context ctx, long workspace, FeedPage page) {
        try {
            JsonResponses.send(ctx, 200, out -> {
                out.writeStartObject();
                out.writeArrayFieldStart("changes");
                for (FeedChange change : page.changes()) {
                    ChangeJson.write(out, change);
                }
                out.writeEndArray();
                out.writeStringField("nextCursor", changes.cursor(workspace, page.next()));
                out.writeBooleanField("hasMore", page.hasMore());
                out.writeEndObject();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.Optional<String> single(QueryParameters query, String name) {
        List<String> values = query.all(name).stream().filter(value -> !value.isEmpty()).distinct().toList();
        if (values.size() > 1) {
            throw ApiError.invalidParameter(name, name + " was given " + values.size() + " times; give it once");
        }
        return values.stream().findFirst();
    }

    private static int number(QueryParameters query, String name, int min, int max, int fallback) {
        return single(query, name).map(text -> {
            try {
                int number = Integer.parseInt(text.trim());
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // the message below says what is allowed
            }
            throw ApiError.invalidParameter(name, name + " must be a whole number from " + min + " to " + max
                    + ", got '" + HistoryQuery.shown(text) + "'");
        }).orElse(fallback);
    }
}
