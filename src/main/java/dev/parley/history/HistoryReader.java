package dev.parley.history;

import dev.parley.history.ConversationSearch.Window;
import dev.parley.store.Database;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reading history: one conversation, a page of matches (SPEC §2) and the stats of the matches.
 * Each read is one snapshot of one workspace. (An export's stream is read with the changes feed's
 * position in the same snapshot: {@link ChangesFeed#forEachMatch}.)
 */
public final class HistoryReader {

    private final Database database;
    private final ConversationRows conversations;
    private final ConversationSearch search;
    private final WholeConversations whole;
    private final StatsQueries stats;
    private final FailingQuestionQueries failing;

    HistoryReader(Database database, ConversationRows conversations, RequestRows requests, ReviewRows reviews) {
        this(database, conversations, requests, reviews, ConversationSearch.TextPlan.BY_SELECTIVITY);
    }

    /** @param textPlan how pages with a substring filter find their matches (tests compare the plans) */
    HistoryReader(Database database, ConversationRows conversations, RequestRows requests, ReviewRows reviews,
                  ConversationSearch.TextPlan textPlan) {
        this.database = database;
        this.conversations = conversations;
        this.search = new ConversationSearch(database.dialect(), textPlan);
        this.whole = new WholeConversations(database.dialect(), conversations, requests, reviews);
        this.stats = new StatsQueries(database.dialect(), search);
        this.failing = new FailingQuestionQueries(database.dialect(), search);
    }

    public Optional<Conversation> conversation(long workspace, UUID id) {
        return database.read(connection -> whole.byIds(connection, workspace, List.of(id))).stream().findFirst();
    }

    /**
     * One page of the conversations that match a filter, newest first, with the cursors around it
     * (SPEC §2). Read from one snapshot, so the page and its cursors agree.
     */
    public Page page(long workspace, HistoryFilter filter, PageRequest request) {
        return database.read(connection -> {
            int limit = request.limit();
            if (request.cursor().isEmpty()) {
                // without a cursor a page starts at the newest match, whichever way it was asked to go
                List<UUID> found = search.newest(connection, workspace, filter, limit + 1);
                boolean more = found.size() > limit;
                return page(connection, workspace, firstOf(found, limit), new Around(more, false), more);
            }
            UUID cursor = request.cursor().get();
            Window window = search.window(connection, workspace, filter, cursor, request.direction(), limit + 1);
            if (window.ids().isEmpty() && !conversations.exists(connection, workspace, cursor)) {
                throw new InvalidCursor();
            }
            boolean more = window.ids().size() > limit;
            List<UUID> nearestFirst = firstOf(window.ids(), limit);
            if (request.direction() == Direction.NEXT) {
                return page(connection, workspace, nearestFirst, new Around(more, window.anyBehind()), more);
            }
            List<UUID> newestFirst = new ArrayList<>(nearestFirst);
            Collections.reverse(newestFirst);
            return page(connection, workspace, newestFirst, new Around(window.anyBehind(), more), more);
        });
    }

    /** Whether matches lie on either side of a page: where it gets its cursors. */
    private record Around(boolean olderExist, boolean newerExist) {
    }

    private static List<UUID> firstOf(List<UUID> ids, int limit) {
        return ids.subList(0, Math.min(ids.size(), limit));
    }

    /** A page of these conversations, newest first, with a cursor on each side that has more. */
    private Page page(Connection connection, long workspace, List<UUID> newestFirst, Around around, boolean hasMore)
            throws SQLException {
        if (newestFirst.isEmpty()) {
            return new Page(List.of(), false, Optional.empty(), Optional.empty());
        }
        return new Page(whole.byIds(connection, workspace, newestFirst), hasMore,
                around.olderExist() ? Optional.of(newestFirst.get(newestFirst.size() - 1)) : Optional.empty(),
                around.newerExist() ? Optional.of(newestFirst.get(0)) : Optional.empty());
    }

    /** Receives conversations one at a time, as an export writes them out ({@link ChangesFeed#forEachMatch}). */
    @FunctionalInterface
    public interface Visitor {
        void visit(Conversation conversation) throws IOException;
    }

    /** The numbers of {@code GET /v2/bots/stats} for the matches of a filter. */
    public Stats stats(long workspace, HistoryFilter filter) {
        return database.read(connection -> stats.of(connection, workspace, filter));
    }

    /**
     * The failing bot requests of the matches, grouped by question (SPEC §11): the {@code limit}
     * groups that fail most, from one snapshot.
     */
    public FailingQuestions failingQuestions(long workspace, HistoryFilter filter, int limit) {
        return database.read(connection -> failing.of(connection, workspace, filter, limit));
    }
}
