package dev.parley.history;

import dev.parley.history.RequestRows.StoredRequest;
import dev.parley.store.BatchedRows;
import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads conversations whole, with their bot requests in order and their reviews: a page's few, or
 * every match of an export.
 */
final class WholeConversations {

    /** The export's select list: a conversation's columns, of the table named {@code c}. */
    private static final String CONVERSATION_COLUMNS = String.join(", ",
            Arrays.stream(ConversationRows.COLUMNS.split(", ")).map(column -> "c." + column).toList());
    /** Conversations completed with their requests and reviews at a time, in an export: one statement's ids. */
    private static final int COMPLETED_AT_ONCE = 500;

    private final Dialect dialect;
    private final ConversationRows conversations;
    private final RequestRows requests;
    private final ReviewRows reviews;

    WholeConversations(Dialect dialect, ConversationRows conversations, RequestRows requests, ReviewRows reviews) {
        this.dialect = dialect;
        this.conversations = conversations;
        this.requests = requests;
        this.reviews = reviews;
    }

    /** Whole conversations, in the order of the ids given; unknown ids are left out. */
    List<Conversation> byIds(Connection connection, long workspace, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, Conversation> found = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + ConversationRows.COLUMNS
                + " FROM conversations WHERE workspace_id = ? AND " + dialect.oneOfIds("id", ids.size()))) {
            query.setLong(1, workspace);
            dialect.setIds(query, 2, ids);
            try (ResultSet rows = query.executeQuery()) {
                ConversationRows.Positions at = ConversationRows.Positions.in(rows);
                while (rows.next()) {
                    Conversation conversation = conversations.conversation(rows, at);
                    found.put(conversation.id(), conversation);
                }
            }
        }
        return completed(connection, workspace, ids.stream().map(found::get).filter(Objects::nonNull).toList());
    }

    /**
     * Hands each match of the search, whole, to the visitor, newest first: the matching
     * conversations read {@value #COMPLETED_AT_ONCE} at a time from one query planned to start fast
     * ({@link BatchedRows}), each batch's requests and reviews read by key. Joining the requests in
     * the one query instead made PostgreSQL join and sort the whole workspace before its first row:
     * past a minute at 5,000,000 conversations, so past the statement timeout, where this read
     * starts at once at any size and holds one batch at a time.
     */
    void forEachMatch(Connection connection, long workspace, Sql matchesNewestFirst, HistoryReader.Visitor visitor)
            throws SQLException {
        try (BatchedRows matches = BatchedRows.open(connection, dialect, matchesNewestFirst, COMPLETED_AT_ONCE)) {
            List<Conversation> batch;
            do {
                batch = matches.next(conversations::conversationsOf);
                for (Conversation conversation : completed(connection, workspace, batch)) {
                    visit(visitor, conversation);
                }
            } while (!batch.isEmpty());
        }
    }

    /** The select list of {@link ConversationSearch#matchesNewestFirst}: a conversation's columns. */
    static String conversationColumns() {
        return CONVERSATION_COLUMNS;
    }

    /** These conversations, in the order given, with their requests (each one's oldest first) and reviews. */
    private List<Conversation> completed(Connection connection, long workspace, List<Conversation> bare)
            throws SQLException {
        if (bare.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = bare.stream().map(Conversation::id).toList();
        Map<UUID, List<BotRequest>> requestsOf = new HashMap<>();
        for (StoredRequest stored : requests.of(connection, workspace, ids)) {
            requestsOf.computeIfAbsent(stored.conversationId(), id -> new ArrayList<>()).add(stored.request());
        }
        Map<UUID, Review> reviewOf = reviews.of(connection, workspace, ids);
        List<Conversation> whole = new ArrayList<>(bare.size());
        for (Conversation conversation : bare) {
            whole.add(conversation.withBotRequests(requestsOf.getOrDefault(conversation.id(), List.of()))
                    .withReview(Optional.ofNullable(reviewOf.get(conversation.id()))));
        }
        return whole;
    }

    private static void visit(HistoryReader.Visitor visitor, Conversation conversation) {
        try {
            visitor.visit(conversation);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
