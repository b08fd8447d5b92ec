package dev.parley.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.store.BulkRows;
import dev.parley.store.Dialect;
import dev.parley.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The SQL of the history tables, shared by both dialects; every statement is bound to one workspace. */
final class HistoryTables {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String CONVERSATION_COLUMNS = "id, external_id, source, channel, escalation, has_links,"
            + " feedback_type, expecting_user_followup, url, categories, created_at, updated_at, user_id";
    private static final String REQUEST_COLUMNS = "id, conversation_id, position, question, answer, categories,"
            + " escalation, reasoning, feedback_type, expecting_user_followup, created_at, based_on, content_hash";
    private static final List<String> CONVERSATION_TABLE_COLUMNS = columns("workspace_id, " + CONVERSATION_COLUMNS
            + ", change_seq");
    private static final List<String> REQUEST_TABLE_COLUMNS = columns("workspace_id, " + REQUEST_COLUMNS
            + ", question_folded, answer_folded");
    private static final List<String> LOOKUP_COLUMNS = columns("workspace_id, category, created_at, conversation_id");
    private static final List<String> CITATION_COLUMNS = columns("workspace_id, source_id, created_at, conversation_id");

    private final Dialect dialect;

    private static List<String> columns(String list) {
        return List.of(list.split(", "));
    }

    HistoryTables(Dialect dialect) {
        this.dialect = dialect;
    }

    /** A conversation's own columns, without its bot requests. */
    record Header(UUID id, Optional<String> externalId, Source source, Optional<String> channel,
                  Optional<String> url, long createdAt, long updatedAt, Optional<String> userId,
                  List<String> categories) {
    }

    /** A bot request with where it is stored. */
    record StoredRequest(UUID conversationId, int position, BotRequest request, Optional<String> contentHash) {
    }

    /** Locks and reads a conversation's header, so that appends to one conversation take turns. */
    Optional<Header> lockHeader(Connection connection, long workspace, UUID id) throws SQLException {
        try (var query = connection.prepareStatement("SELECT " + CONVERSATION_COLUMNS
                + " FROM conversations WHERE workspace_id = ? AND id = ?" + dialect.forUpdate())) {
            query.setLong(1, workspace);
            dialect.setId(query, 2, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(header(rows)) : Optional.empty();
            }
        }
    }

    /** The newest conversation from this source with this ticket id. */
    Optional<UUID> findByTicket(Connection connection, long workspace, Source source, String externalId)
            throws SQLException {
        try (var query = connection.prepareStatement("SELECT id FROM conversations"
                + " WHERE workspace_id = ? AND external_id = ? AND source = ?"
                + " ORDER BY created_at DESC, id DESC LIMIT 1")) {
            query.setLong(1, workspace);
            query.setString(2, externalId);
            query.setString(3, source.wireName());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(dialect.getId(rows, "id")) : Optional.empty();
            }
        }
    }

    private static final String INSERT_HEADER = insertHeader("?");

    /**
     * PostgreSQL: a new conversation, its first request and its lookup rows in one statement.
     * Each statement there is a round trip to the server, and opening conversations is most of
     * what bots do.
     */
    private static final String OPEN_AT_ONCE = "WITH conversation AS (" + insertHeader("nextval('change_sequence')")
            + " RETURNING id),"
            + " request AS (INSERT INTO bot_requests (workspace_id, " + REQUEST_COLUMNS + ", question_folded,"
            + " answer_folded) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM conversation),"
            + " categories AS (INSERT INTO conversation_categories (workspace_id, category, created_at, conversation_id)"
            + " SELECT ?, value, ?, id FROM conversation, unnest(CAST(? AS text[])) AS value),"
            + " citations AS (INSERT INTO conversation_citations (workspace_id, source_id, created_at, conversation_id)"
            + " SELECT ?, value, ?, id FROM conversation, unnest(CAST(? AS text[])) AS value)"
            + " SELECT COUNT(*) FROM conversation";

    private static String insertHeader(String changeSeq) {
        return "INSERT INTO conversations (workspace_id, " + CONVERSATION_COLUMNS + ", change_seq) VALUES (?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + changeSeq + ") ON CONFLICT (workspace_id, id) DO NOTHING";
    }

    /**
     * Opens a conversation with its first request, written whole (header with the aggregates of
     * that request, the request, its lookup rows); false, writing nothing, when the id is taken.
     */
    boolean open(Connection connection, long workspace, Header header, StoredRequest first, ChangeNumber changeSeq)
            throws SQLException {
        Aggregates aggregates = Aggregates.of(List.of(first.request()));
        if (dialect == Dialect.POSTGRESQL) {
            return openAtOnce(connection, workspace, header, aggregates, first);
        }
        try (var insert = connection.prepareStatement(INSERT_HEADER)) {
            insert.setLong(bindHeader(insert, 0, workspace, header, aggregates) + 1, changeSeq.get());
            if (insert.executeUpdate() == 0) {
                return false;
            }
        }
        insertRequest(connection, workspace, first);
        updateLookups(connection, workspace, header, Aggregates.of(List.of()), aggregates);
        return true;
    }

    private boolean openAtOnce(Connection connection, long workspace, Header header, Aggregates aggregates,
                               StoredRequest first) throws SQLException {
        try (var open = connection.prepareStatement(OPEN_AT_ONCE)) {
            int next = bindHeader(open, 0, workspace, header, aggregates);
            next = bindRequest(open, next, workspace, first);
            next = bindLookups(open, next, workspace, header, aggregates.categories());
            bindLookups(open, next, workspace, header, aggregates.citedSourceIds());
            try (ResultSet rows = open.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        }
    }

    private int bindLookups(PreparedStatement statement, int offset, long workspace, Header header,
                            List<String> values) throws SQLException {
        statement.setLong(offset + 1, workspace);
        statement.setLong(offset + 2, header.createdAt());
        statement.setArray(offset + 3, statement.getConnection().createArrayOf("text", values.toArray()));
        return offset + 3;
    }

    /** Binds a header's 14 parameters before its change number after {@code offset}; answers the index of the last. */
    private int bindHeader(PreparedStatement insert, int offset, long workspace, Header header, Aggregates aggregates)
            throws SQLException {
        insert.setLong(offset + 1, workspace);
        dialect.setId(insert, offset + 2, header.id());
        insert.setString(offset + 3, header.externalId().orElse(null));
        insert.setString(offset + 4, header.source().wireName());
        insert.setString(offset + 5, header.channel().orElse(null));
        insert.setBoolean(offset + 6, aggregates.escalation());
        insert.setBoolean(offset + 7, aggregates.hasLinks());
        insert.setString(offset + 8, aggregates.feedbackType().map(FeedbackType::wireName).orElse(null));
        insert.setBoolean(offset + 9, aggregates.expectingUserFollowup());
        insert.setString(offset + 10, header.url().orElse(null));
        insert.setString(offset + 11, toJson(aggregates.categories()));
        insert.setLong(offset + 12, header.createdAt());
        insert.setLong(offset + 13, header.updatedAt());
        insert.setString(offset + 14, header.userId().orElse(null));
        return offset + 14;
    }

    /**
     * Writes a conversation's header fields and the aggregates its requests imply, and brings the
     * lookup tables from what {@code before} implied to what they imply now.
     */
    void updateConversation(Connection connection, long workspace, Header header, Aggregates before,
                            Aggregates aggregates, long changeSeq) throws SQLException {
        try (var update = connection.prepareStatement("UPDATE conversations SET external_id = ?, channel = ?,"
                + " url = ?, user_id = ?, updated_at = ?, escalation = ?, has_links = ?, feedback_type = ?,"
                + " expecting_user_followup = ?, categories = ?, change_seq = ? WHERE workspace_id = ? AND id = ?")) {
            update.setString(1, header.externalId().orElse(null));
            update.setString(2, header.channel().orElse(null));
            update.setString(3, header.url().orElse(null));
            update.setString(4, header.userId().orElse(null));
            update.setLong(5, header.updatedAt());
            update.setBoolean(6, aggregates.escalation());
            update.setBoolean(7, aggregates.hasLinks());
            update.setString(8, aggregates.feedbackType().map(FeedbackType::wireName).orElse(null));
            update.setBoolean(9, aggregates.expectingUserFollowup());
            update.setString(10, toJson(aggregates.categories()));
            update.setLong(11, changeSeq);
            update.setLong(12, workspace);
            dialect.setId(update, 13, header.id());
            update.executeUpdate();
        }
        updateLookups(connection, workspace, header, before, aggregates);
    }

    /** Changes only the lookup rows that differ: an append that adds no category writes none. */
    private void updateLookups(Connection connection, long workspace, Header header, Aggregates before, Aggregates after)
            throws SQLException {
        updateLookup(connection, "conversation_categories", "category", workspace, header, before.categories(),
                after.categories());
        updateLookup(connection, "conversation_citations", "source_id", workspace, header, before.citedSourceIds(),
                after.citedSourceIds());
    }

    private void updateLookup(Connection connection, String table, String column, long workspace, Header header,
                              List<String> before, List<String> after) throws SQLException {
        List<String> removed = before.stream().filter(value -> !after.contains(value)).toList();
        List<String> added = after.stream().filter(value -> !before.contains(value)).toList();
        if (!removed.isEmpty()) {
            try (var delete = connection.prepareStatement("DELETE FROM " + table
                    + " WHERE workspace_id = ? AND conversation_id = ? AND " + column + " = ?")) {
                for (String value : removed) {
                    delete.setLong(1, workspace);
                    dialect.setId(delete, 2, header.id());
                    delete.setString(3, value);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        if (!added.isEmpty()) {
            try (var insert = connection.prepareStatement("INSERT INTO " + table
                    + " (workspace_id, " + column + ", created_at, conversation_id) VALUES (?, ?, ?, ?)")) {
                for (String value : added) {
                    insert.setLong(1, workspace);
                    insert.setString(2, value);
                    insert.setLong(3, header.createdAt());
                    dialect.setId(insert, 4, header.id());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    Optional<StoredRequest> findRequest(Connection connection, long workspace, UUID requestId) throws SQLException {
        try (var query = connection.prepareStatement("SELECT " + REQUEST_COLUMNS
                + " FROM bot_requests WHERE workspace_id = ? AND id = ?")) {
            query.setLong(1, workspace);
            dialect.setId(query, 2, requestId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(storedRequest(rows, "")) : Optional.empty();
            }
        }
    }

    /** A conversation's requests, oldest first, equal times in the order recorded. */
    List<StoredRequest> requestsOf(Connection connection, long workspace, UUID conversationId) throws SQLException {
        try (var query = connection.prepareStatement("SELECT " + REQUEST_COLUMNS + " FROM bot_requests"
                + " WHERE workspace_id = ? AND conversation_id = ? ORDER BY created_at, position")) {
            query.setLong(1, workspace);
            dialect.setId(query, 2, conversationId);
            List<StoredRequest> requests = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    requests.add(storedRequest(rows, ""));
                }
            }
            return requests;
        }
    }

    void insertRequest(Connection connection, long workspace, StoredRequest stored) throws SQLException {
        try (var insert = connection.prepareStatement(INSERT_REQUEST)) {
            bindRequest(insert, 0, workspace, stored);
            insert.executeUpdate();
        }
    }

    private static final String INSERT_REQUEST = "INSERT INTO bot_requests (workspace_id, " + REQUEST_COLUMNS
            + ", question_folded, answer_folded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Binds a request's 16 parameters after {@code offset}; answers the index of the last. */
    private int bindRequest(PreparedStatement insert, int offset, long workspace, StoredRequest stored)
            throws SQLException {
        BotRequest request = stored.request();
        insert.setLong(offset + 1, workspace);
        dialect.setId(insert, offset + 2, request.id());
        dialect.setId(insert, offset + 3, stored.conversationId());
        insert.setInt(offset + 4, stored.position());
        insert.setString(offset + 5, request.question());
        insert.setString(offset + 6, request.answer());
        insert.setString(offset + 7, toJson(request.categories()));
        insert.setBoolean(offset + 8, request.escalation());
        insert.setString(offset + 9, request.reasoning().orElse(null));
        insert.setString(offset + 10, request.feedbackType().map(FeedbackType::wireName).orElse(null));
        insert.setBoolean(offset + 11, request.expectingUserFollowup());
        insert.setLong(offset + 12, request.createdAt());
        insert.setString(offset + 13, request.basedOn().json());
        insert.setString(offset + 14, stored.contentHash().orElse(null));
        insert.setString(offset + 15, BotRequest.folded(request.question()));
        insert.setString(offset + 16, BotRequest.folded(request.answer()));
        return offset + 16;
    }

    /**
     * Writes whole conversations exactly as given (ids, times, aggregates), replacing any with the
     * same id: the bulk path of imports and generated demo data. Statements are batched.
     */
    void insertWhole(Connection connection, long workspace, List<Conversation> conversations, long changeSeq)
            throws SQLException {
        List<UUID> replaced = lockConversations(connection, workspace,
                conversations.stream().map(Conversation::id).toList());
        for (String table : List.of("bot_requests", "conversation_categories", "conversation_citations")) {
            try (var delete = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE workspace_id = ? AND conversation_id = ?")) {
                for (UUID id : replaced) {
                    delete.setLong(1, workspace);
                    dialect.setId(delete, 2, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
        try (var delete = connection.prepareStatement("DELETE FROM conversations WHERE workspace_id = ? AND id = ?")) {
            for (UUID id : replaced) {
                delete.setLong(1, workspace);
                dialect.setId(delete, 2, id);
                delete.addBatch();
            }
            delete.executeBatch();
        }
        try (var headers = BulkRows.into(connection, dialect, "conversations", CONVERSATION_TABLE_COLUMNS);
             var requests = BulkRows.into(connection, dialect, "bot_requests", REQUEST_TABLE_COLUMNS);
             var categories = BulkRows.into(connection, dialect, "conversation_categories", LOOKUP_COLUMNS);
             var citations = BulkRows.into(connection, dialect, "conversation_citations", CITATION_COLUMNS)) {
            for (Conversation conversation : conversations) {
                headers.add(workspace, conversation.id(), conversation.externalId().orElse(null),
                        conversation.source().wireName(), conversation.channel().orElse(null),
                        conversation.escalation(), conversation.hasLinks(),
                        conversation.feedbackType().map(FeedbackType::wireName).orElse(null),
                        conversation.expectingUserFollowup(), conversation.url().orElse(null),
                        toJson(conversation.categories()), conversation.createdAt(), conversation.updatedAt(),
                        conversation.userId().orElse(null), changeSeq);
                Set<String> cited = new LinkedHashSet<>();
                int position = 0;
                for (BotRequest request : conversation.botRequests()) {
                    requests.add(workspace, request.id(), conversation.id(), position++, request.question(),
                            request.answer(), toJson(request.categories()), request.escalation(),
                            request.reasoning().orElse(null),
                            request.feedbackType().map(FeedbackType::wireName).orElse(null),
                            request.expectingUserFollowup(), request.createdAt(), request.basedOn().json(), null,
                            BotRequest.folded(request.question()), BotRequest.folded(request.answer()));
                    cited.addAll(request.basedOn().sourceIds());
                }
                for (String category : new LinkedHashSet<>(conversation.categories())) {
                    categories.add(workspace, category, conversation.createdAt(), conversation.id());
                }
                for (String sourceId : cited) {
                    citations.add(workspace, sourceId, conversation.createdAt(), conversation.id());
                }
            }
        }
    }

    /**
     * Which of these conversation ids the workspace has, each locked until commit. The lock on a
     * conversation's row is the one every writer of the conversation takes first, and several are
     * taken in id order: writers of the same conversations then wait for each other instead of
     * each holding what the other needs (a deadlock).
     */
    List<UUID> lockConversations(Connection connection, long workspace, List<UUID> unordered) throws SQLException {
        List<UUID> ids = unordered.stream().distinct().sorted(HistoryTables::inStoreOrder).toList();
        List<UUID> found = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            try (var query = connection.prepareStatement("SELECT id FROM conversations WHERE workspace_id = ? AND "
                    + dialect.oneOfIds("id", chunk.size()) + " ORDER BY id" + dialect.forUpdate())) {
                dialect.planEachTime(query);
                bindIds(query, workspace, chunk);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(dialect.getId(rows, "id"));
                    }
                }
            }
        }
        return found;
    }

    void updateFeedback(Connection connection, long workspace, UUID requestId, Optional<FeedbackType> feedback)
            throws SQLException {
        try (var update = connection.prepareStatement(
                "UPDATE bot_requests SET feedback_type = ? WHERE workspace_id = ? AND id = ?")) {
            update.setString(1, feedback.map(FeedbackType::wireName).orElse(null));
            update.setLong(2, workspace);
            dialect.setId(update, 3, requestId);
            update.executeUpdate();
        }
    }

    /** Whole conversations, in the order of the ids given; unknown ids are left out. */
    List<Conversation> conversations(Connection connection, long workspace, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, Conversation> found = new HashMap<>();
        try (var query = connection.prepareStatement("SELECT " + CONVERSATION_COLUMNS
                + " FROM conversations WHERE workspace_id = ? AND " + dialect.oneOfIds("id", ids.size()))) {
            bindIds(query, workspace, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Conversation conversation = conversation(rows);
                    found.put(conversation.id(), conversation);
                }
            }
        }
        Map<UUID, List<BotRequest>> requests = new HashMap<>();
        try (var query = connection.prepareStatement("SELECT " + REQUEST_COLUMNS + " FROM bot_requests"
                + " WHERE workspace_id = ? AND " + dialect.oneOfIds("conversation_id", ids.size())
                + " ORDER BY created_at, position")) {
            bindIds(query, workspace, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    StoredRequest stored = storedRequest(rows, "");
                    requests.computeIfAbsent(stored.conversationId(), id -> new ArrayList<>()).add(stored.request());
                }
            }
        }
        List<Conversation> conversations = new ArrayList<>(found.size());
        for (UUID id : ids) {
            Conversation conversation = found.get(id);
            if (conversation != null) {
                conversations.add(conversation.withBotRequests(requests.getOrDefault(id, List.of())));
            }
        }
        return conversations;
    }

    /**
     * Hands each matching conversation, whole, to the visitor: one query joining conversations to
     * their requests, read in chunks (a server-side cursor on PostgreSQL), one conversation held
     * at a time.
     */
    void forEachWhole(Connection connection, long workspace, ConversationSearch search, HistoryFilter filter,
                      History.Visitor visitor) throws SQLException {
        String columns = "c.id, c.external_id, c.source, c.channel, c.escalation, c.has_links, c.feedback_type,"
                + " c.expecting_user_followup, c.url, c.categories, c.created_at, c.updated_at, c.user_id,"
                + " r.id AS r_id, r.conversation_id AS r_conversation_id, r.position AS r_position,"
                + " r.question AS r_question, r.answer AS r_answer, r.categories AS r_categories,"
                + " r.escalation AS r_escalation, r.reasoning AS r_reasoning, r.feedback_type AS r_feedback_type,"
                + " r.expecting_user_followup AS r_expecting_user_followup, r.created_at AS r_created_at,"
                + " r.based_on AS r_based_on, r.content_hash AS r_content_hash";
        try (var query = search.matchesWithRequests(workspace, filter, columns).prepare(connection, dialect)) {
            query.setFetchSize(1000);
            try (ResultSet rows = query.executeQuery()) {
                Conversation current = null;
                List<BotRequest> requests = new ArrayList<>();
                while (rows.next()) {
                    UUID id = dialect.getId(rows, "id");
                    if (current == null || !current.id().equals(id)) {
                        if (current != null) {
                            visit(visitor, current.withBotRequests(List.copyOf(requests)));
                        }
                        current = conversation(rows);
                        requests.clear();
                    }
                    if (rows.getString("r_id") != null) {
                        requests.add(storedRequest(rows, "r_").request());
                    }
                }
                if (current != null) {
                    visit(visitor, current.withBotRequests(List.copyOf(requests)));
                }
            }
        }
    }

    private static void visit(History.Visitor visitor, Conversation conversation) {
        try {
            visitor.visit(conversation);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Deletes a conversation and everything of it, leaving a tombstone; false when there was none. */
    boolean delete(Connection connection, long workspace, UUID id, long deletedAt, long changeSeq)
            throws SQLException {
        if (lockConversations(connection, workspace, List.of(id)).isEmpty()) {
            return false;
        }
        for (String table : List.of("bot_requests", "conversation_categories", "conversation_citations")) {
            try (var delete = connection.prepareStatement(
                    "DELETE FROM " + table + " WHERE workspace_id = ? AND conversation_id = ?")) {
                delete.setLong(1, workspace);
                dialect.setId(delete, 2, id);
                delete.executeUpdate();
            }
        }
        int deleted;
        try (var delete = connection.prepareStatement("DELETE FROM conversations WHERE workspace_id = ? AND id = ?")) {
            delete.setLong(1, workspace);
            dialect.setId(delete, 2, id);
            deleted = delete.executeUpdate();
        }
        if (deleted == 0) {
            return false;
        }
        try (var tombstone = connection.prepareStatement("INSERT INTO conversation_tombstones"
                + " (workspace_id, conversation_id, deleted_at, change_seq) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (workspace_id, conversation_id)"
                + " DO UPDATE SET deleted_at = excluded.deleted_at, change_seq = excluded.change_seq")) {
            tombstone.setLong(1, workspace);
            dialect.setId(tombstone, 2, id);
            tombstone.setLong(3, deletedAt);
            tombstone.setLong(4, changeSeq);
            tombstone.executeUpdate();
        }
        return true;
    }

    List<UUID> conversationsOfUser(Connection connection, long workspace, String userId) throws SQLException {
        try (var query = connection.prepareStatement(
                "SELECT id FROM conversations WHERE workspace_id = ? AND user_id = ? ORDER BY id"
                        + dialect.forUpdate())) {
            query.setLong(1, workspace);
            query.setString(2, userId);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(dialect.getId(rows, "id"));
                }
            }
            return ids;
        }
    }

    /** The order of ids in both stores: their lowercase canonical text, which is also PostgreSQL's uuid order. */
    private static int inStoreOrder(UUID a, UUID b) {
        return a.toString().compareTo(b.toString());
    }

    private void bindIds(PreparedStatement statement, long workspace, List<UUID> ids) throws SQLException {
        statement.setLong(1, workspace);
        dialect.setIds(statement, 2, ids);
    }

    private Header header(ResultSet rows) throws SQLException {
        return new Header(dialect.getId(rows, "id"), Optional.ofNullable(rows.getString("external_id")),
                Source.fromWire(rows.getString("source")).orElseThrow(),
                Optional.ofNullable(rows.getString("channel")), Optional.ofNullable(rows.getString("url")),
                rows.getLong("created_at"), rows.getLong("updated_at"),
                Optional.ofNullable(rows.getString("user_id")), fromJson(rows.getString("categories")));
    }

    /** A conversation's own columns, without its requests yet. */
    private Conversation conversation(ResultSet rows) throws SQLException {
        Header header = header(rows);
        return new Conversation(header.id(), header.externalId(), header.source(), header.channel(),
                rows.getBoolean("escalation"), rows.getBoolean("has_links"), feedback(rows.getString("feedback_type")),
                rows.getBoolean("expecting_user_followup"), header.url(), header.categories(), header.createdAt(),
                header.updatedAt(), List.of(), header.userId());
    }

    /** @param prefix what the request's column labels start with, where a join renamed them */
    private StoredRequest storedRequest(ResultSet rows, String prefix) throws SQLException {
        BotRequest request = new BotRequest(dialect.getId(rows, prefix + "id"), rows.getString(prefix + "question"),
                rows.getString(prefix + "answer"), fromJson(rows.getString(prefix + "categories")),
                rows.getBoolean(prefix + "escalation"), Optional.ofNullable(rows.getString(prefix + "reasoning")),
                feedback(rows.getString(prefix + "feedback_type")), rows.getBoolean(prefix + "expecting_user_followup"),
                rows.getLong(prefix + "created_at"), Citations.stored(rows.getString(prefix + "based_on")));
        return new StoredRequest(dialect.getId(rows, prefix + "conversation_id"), rows.getInt(prefix + "position"),
                request, Optional.ofNullable(rows.getString(prefix + "content_hash")));
    }

    private static Optional<FeedbackType> feedback(String wire) {
        return wire == null ? Optional.empty() : FeedbackType.fromWire(wire);
    }

    static String toJson(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> fromJson(String json) {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored list is not JSON", e);
        }
    }

    // ---- privacy (issue 17)

    /**
     * Locks up to {@code limit} conversations last changed before {@code cutoff}, oldest first.
     * On PostgreSQL a row a writer holds is skipped rather than waited for (it is being changed,
     * so it is young again), and a row changed since the statement began is checked again.
     */
    List<UUID> lockUpdatedBefore(Connection connection, long workspace, long cutoff, int limit) throws SQLException {
        Sql select = new Sql().append("SELECT id FROM conversations WHERE workspace_id = ? AND updated_at < ?",
                workspace, cutoff).append(" ORDER BY updated_at LIMIT ?", limit)
                .append(dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : dialect.forUpdate());
        return ids(connection, select);
    }

    /** Locks the next {@code limit} conversations after {@code after} in id order. */
    List<UUID> lockIdsAfter(Connection connection, long workspace, Optional<UUID> after, int limit)
            throws SQLException {
        Sql select = new Sql().append("SELECT id FROM conversations WHERE workspace_id = ?", workspace);
        if (after.isPresent()) {
            select.append(" AND id > ?", after.get());
        }
        return ids(connection, select.append(" ORDER BY id LIMIT ?", limit).append(dialect.forUpdate()));
    }

    private List<UUID> ids(Connection connection, Sql select) throws SQLException {
        try (var query = select.prepare(connection, dialect); ResultSet rows = query.executeQuery()) {
            List<UUID> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(dialect.getId(rows, "id"));
            }
            return ids;
        }
    }

    /** Rewrites a stored request's free texts and their folded copies, which the text search indexes. */
    void updateTexts(Connection connection, long workspace, BotRequest request) throws SQLException {
        try (var update = connection.prepareStatement("UPDATE bot_requests SET question = ?, answer = ?,"
                + " question_folded = ?, answer_folded = ?, reasoning = ?, based_on = ? WHERE workspace_id = ? AND id = ?")) {
            update.setString(1, request.question());
            update.setString(2, request.answer());
            update.setString(3, BotRequest.folded(request.question()));
            update.setString(4, BotRequest.folded(request.answer()));
            update.setString(5, request.reasoning().orElse(null));
            update.setString(6, request.basedOn().json());
            update.setLong(7, workspace);
            dialect.setId(update, 8, request.id());
            update.executeUpdate();
        }
    }

    /** Gives a conversation a new change number, so that the changes feed shows it again. */
    void touch(Connection connection, long workspace, UUID id, long changeSeq) throws SQLException {
        Sql update = new Sql().append("UPDATE conversations SET change_seq = ? WHERE workspace_id = ? AND id = ?",
                changeSeq, workspace, id);
        try (var statement = update.prepare(connection, dialect)) {
            statement.executeUpdate();
        }
    }
}
