package dev.parley.history;

import dev.parley.history.HistoryEvent.Type;
import dev.parley.history.RequestRows.StoredRequest;
import dev.parley.store.BulkRows;
import dev.parley.store.Dialect;
import dev.parley.store.Row;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Writes whole conversations exactly as given (ids, times, aggregates), replacing any with the
 * same id: the bulk path of imports and generated demo data, loaded with each store's bulk load.
 */
final class WholeConversationLoad {

    private final Dialect dialect;
    private final ConversationRows conversations;
    private final RequestRows requests;
    private final ReviewRows reviews;
    private final HistoryListener listener;

    WholeConversationLoad(Dialect dialect, ConversationRows conversations, RequestRows requests, ReviewRows reviews,
                          HistoryListener listener) {
        this.dialect = dialect;
        this.conversations = conversations;
        this.requests = requests;
        this.reviews = reviews;
        this.listener = listener;
    }

    /** @param batch conversations with distinct ids */
    void load(Connection connection, long workspace, List<Conversation> batch, long changeSeq) throws SQLException {
        load(connection, workspace, batch, changeSeq, Map.of());
    }

    /**
     * @param batch conversations with distinct ids
     * @param fingerprints of the requests that have one, by request id (an undone import puts back
     *                     those of the conversations it had replaced; imported requests have none)
     */
    void load(Connection connection, long workspace, List<Conversation> batch, long changeSeq,
              Map<UUID, String> fingerprints) throws SQLException {
        List<UUID> replaced = conversations.lock(connection, workspace, batch.stream().map(Conversation::id).toList());
        requests.deleteOf(connection, workspace, replaced);
        reviews.deleteOf(connection, workspace, replaced);
        for (LookupRows lookup : LookupRows.values()) {
            lookup.deleteOf(connection, dialect, workspace, replaced);
        }
        conversations.delete(connection, workspace, replaced);
        try (BulkRows conversationRows = bulk(connection, ConversationRows.TABLE);
             BulkRows requestRows = bulk(connection, RequestRows.TABLE);
             BulkRows failingRows = bulk(connection, FailingRequestRows.TABLE);
             BulkRows categoryRows = bulk(connection, LookupRows.CATEGORIES.table);
             BulkRows citationRows = bulk(connection, LookupRows.CITATIONS.table);
             BulkRows reviewRows = bulk(connection, ReviewRows.TABLE);
             BulkRows labelRows = bulk(connection, ReviewRows.LABELS_TABLE)) {
            for (Conversation conversation : batch) {
                conversationRows.add(ConversationRows.row(workspace, conversation, changeSeq));
                Set<String> cited = new LinkedHashSet<>();
                int position = 0;
                for (BotRequest request : conversation.botRequests()) {
                    requestRows.add(RequestRows.row(workspace,
                            new StoredRequest(conversation.id(), position++, request,
                                    Optional.ofNullable(fingerprints.get(request.id())))));
                    Optional<Row> failing = FailingRequestRows.row(workspace, conversation.id(),
                            conversation.source(), conversation.createdAt(), request);
                    if (failing.isPresent()) {
                        failingRows.add(failing.get());
                    }
                    cited.addAll(request.basedOn().sourceIds());
                }
                for (String category : new LinkedHashSet<>(conversation.categories())) {
                    categoryRows.add(LookupRows.CATEGORIES.row(workspace, category, conversation.createdAt(),
                            conversation.id()));
                }
                if (conversation.review().isPresent()) {
                    Review review = conversation.review().get();
                    reviewRows.add(ReviewRows.row(workspace, conversation.id(), review));
                    for (String label : review.labels()) {
                        labelRows.add(ReviewRows.labelRow(workspace, conversation.id(), label));
                    }
                }
                for (String sourceId : cited) {
                    citationRows.add(LookupRows.CITATIONS.row(workspace, sourceId, conversation.createdAt(),
                            conversation.id()));
                }
            }
        }
        Set<UUID> existed = new HashSet<>(replaced);
        List<HistoryEvent> events = new ArrayList<>(batch.size());
        for (Conversation conversation : batch) {
            Type type = existed.contains(conversation.id()) ? Type.CONVERSATION_UPDATED : Type.CONVERSATION_CREATED;
            events.add(new HistoryEvent(type, conversation.id(), Optional.empty()));
        }
        listener.heardAll(connection, workspace, events);
    }

    private BulkRows bulk(Connection connection, String table) {
        return dialect.bulkRows(connection, table);
    }
}
