package dev.parley.history;

import dev.parley.history.RequestRows.StoredRequest;
import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads conversations whole, with their bot requests in order: a page's few, or every match of an export. */
final class WholeConversations {

    /** The export's select list: a conversation's columns, and its request's renamed with {@code r_}. */
    private static final String JOINED_COLUMNS = prefixed("c.", "", ConversationRows.COLUMNS) + ", "
            + prefixed("r.", "r_", RequestRows.COLUMNS) + ", " + prefixed("v.", "v_", ReviewRows.COLUMNS);

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
        Map<UUID, List<BotRequest>> requestsOf = new HashMap<>();
        for (StoredRequest stored : requests.of(connection, workspace, ids)) {
            requestsOf.computeIfAbsent(stored.conversationId(), id -> new ArrayList<>()).add(stored.request());
        }
        Map<UUID, Review> reviewOf = reviews.of(connection, workspace, ids);
        List<Conversation> whole = new ArrayList<>(found.size());
        for (UUID id : ids) {
            Conversation conversation = found.get(id);
            if (conversation != null) {
                whole.add(conversation.withBotRequests(requestsOf.getOrDefault(id, List.of()))
                        .withReview(java.util.Optional.ofNullable(reviewOf.get(id))));
            }
        }
        return whole;
    }

    /**
     * Hands each match of the search, whole, to the visitor: one query joining the matches to
     * their requests, read in chunks (a server-side cursor on PostgreSQL), one conversation held
     * at a time.
     */
    void forEachMatch(Connection connection, Sql matchesWithRequests, HistoryReader.Visitor visitor)
            throws SQLException {
        try (PreparedStatement query = matchesWithRequests.prepare(connection, dialect)) {
            query.setFetchSize(1000);
            try (ResultSet rows = query.executeQuery()) {
                ConversationRows.Positions conversationAt = ConversationRows.Positions.in(rows);
                RequestRows.Positions requestAt = RequestRows.Positions.in(rows, "r_");
                Conversation current = null;
                List<BotRequest> requestsOfCurrent = new ArrayList<>();
                while (rows.next()) {
                    UUID id = dialect.getId(rows, conversationAt.id());
                    if (current == null || !current.id().equals(id)) {
                        if (current != null) {
                            visit(visitor, current.withBotRequests(List.copyOf(requestsOfCurrent)));
                        }
                        current = conversations.conversation(rows, conversationAt).withReview(reviews.review(rows, "v_"));
                        requestsOfCurrent.clear();
                    }
                    if (rows.getString(requestAt.id()) != null) {
                        requestsOfCurrent.add(requests.stored(rows, requestAt).request());
                    }
                }
                if (current != null) {
                    visit(visitor, current.withBotRequests(List.copyOf(requestsOfCurrent)));
                }
            }
        }
    }

    /** The select list of {@link ConversationSearch#matchesWithRequests}. */
    static String joinedColumns() {
        return JOINED_COLUMNS;
    }

    private static void visit(HistoryReader.Visitor visitor, Conversation conversation) {
        try {
            visitor.visit(conversation);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code "a, b"} as {@code "t.a AS pa, t.b AS pb"} (or {@code "t.a, t.b"} without a prefix). */
    private static String prefixed(String table, String prefix, String columns) {
        return String.join(", ", java.util.Arrays.stream(columns.split(", "))
                .map(column -> table + column + (prefix.isEmpty() ? "" : " AS " + prefix + column)).toList());
    }
}
