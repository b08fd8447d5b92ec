package dev.parley.history;

import dev.parley.history.ConversationRows.Header;
import dev.parley.history.HistoryEvent.Type;
import dev.parley.history.RequestRows.StoredRequest;
import dev.parley.store.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Records one exchange (SPEC §4) inside a write transaction: finds or opens its conversation,
 * appends the request under the conversation's lock, and recomputes the conversation from all its
 * requests, so that its aggregates stay exact under concurrent writers.
 */
final class ExchangeRecorder {

    private static final Comparator<StoredRequest> IN_ORDER =
            Comparator.comparingLong((StoredRequest stored) -> stored.request().createdAt())
                    .thenComparingInt(StoredRequest::position);

    /**
     * How often a write looks again for a conversation that a concurrent write deleted or replaced
     * under it; each look starts a new statement, which sees the other write's commit.
     */
    static final int CONCURRENT_CHANGE_ATTEMPTS = 4;

    private final Dialect dialect;
    private final ConversationRows conversations;
    private final RequestRows requests;
    private final ConversationOpening opening;
    private final HistoryListener listener;
    private final Clock clock;

    ExchangeRecorder(Dialect dialect, ConversationRows conversations, RequestRows requests, HistoryListener listener,
                     Clock clock) {
        this.dialect = dialect;
        this.conversations = conversations;
        this.requests = requests;
        this.opening = new ConversationOpening(dialect, conversations, requests);
        this.listener = listener;
        this.clock = clock;
    }

    HistoryWriter.Recorded record(Connection connection, long workspace, Exchange exchange) throws SQLException {
        String contentHash = exchange.contentHash();
        if (exchange.id().isPresent()) {
            Optional<StoredRequest> existing = requests.find(connection, workspace, exchange.id().get());
            if (existing.isPresent()) {
                return replay(existing.get(), contentHash);
            }
        }
        Placing placing = new Placing(workspace, exchange, exchange.id().orElseGet(UUID::randomUUID), contentHash,
                new ChangeNumber(dialect, connection));
        Placed placed = place(connection, placing);
        tell(connection, workspace, exchange, placed);
        return placed.recorded();
    }

    /** Where an exchange went: into a conversation it opened, or appended to one. */
    private record Placed(HistoryWriter.Recorded recorded, boolean opened) {
    }

    /** An exchange on its way into a conversation, with the id and fingerprint it will be stored under. */
    private record Placing(long workspace, Exchange exchange, UUID requestId, String contentHash,
                           ChangeNumber changeSeq) {
    }

    private Placed place(Connection connection, Placing placing) throws SQLException {
        Exchange exchange = placing.exchange();
        long workspace = placing.workspace();
        if (exchange.conversationId().isPresent()) {
            UUID id = exchange.conversationId().get();
            // a conversation deleted between the attempt to open it and its lock is opened anew:
            // the append then comes after the delete, as if the two had not overlapped
            for (int attempt = 0; attempt < CONCURRENT_CHANGE_ATTEMPTS; attempt++) {
                Optional<HistoryWriter.Recorded> opened = open(connection, placing, id);
                if (opened.isPresent()) {
                    return new Placed(opened.get(), true);
                }
                Optional<Header> header = conversations.lock(connection, workspace, id);
                if (header.isPresent()) {
                    if (header.get().source() != exchange.source()) {
                        throw new Conflict("conversation " + id + " has source " + header.get().source().wireName()
                                + ", not " + exchange.source().wireName());
                    }
                    return new Placed(append(connection, placing, header.get()), false);
                }
            }
            throw new ConcurrentChange("conversation " + id + " was deleted and recreated while appending to it");
        }
        if (exchange.externalId().isPresent()) {
            String ticket = exchange.externalId().get();
            dialect.lock(connection, "ticket/" + workspace + "/" + exchange.source().wireName() + "/" + ticket);
            Optional<UUID> existing = conversations.newestWithTicket(connection, workspace, exchange.source(), ticket);
            // deleted since it was found: the exchange starts a new conversation, as it would after the delete
            Optional<Header> header = existing.isEmpty() ? Optional.empty()
                    : conversations.lock(connection, workspace, existing.get());
            if (header.isPresent()) {
                return new Placed(append(connection, placing, header.get()), false);
            }
        }
        return new Placed(open(connection, placing, UUID.randomUUID()).orElseThrow(), true);
    }

    /** Opens the conversation with this exchange as its first request; empty when the id is taken. */
    private Optional<HistoryWriter.Recorded> open(Connection connection, Placing placing, UUID id)
            throws SQLException {
        Exchange exchange = placing.exchange();
        BotRequest first = exchange.toBotRequest(placing.requestId(), clock.millis());
        Header header = new Header(id, exchange.externalId(), exchange.source(), exchange.channel(), exchange.url(),
                first.createdAt(), first.createdAt(), exchange.userId(), List.of());
        StoredRequest stored = new StoredRequest(id, 0, first, Optional.of(placing.contentHash()));
        if (!opening.open(connection, placing.workspace(), header, stored, placing.changeSeq())) {
            return Optional.empty();
        }
        return Optional.of(new HistoryWriter.Recorded(id, first, true, true));
    }

    /**
     * Appends a request to a locked conversation and recomputes the conversation from all its requests.
     * A request without its own createdAt is stamped here, under the lock, and never before the
     * conversation began: stamped before the lock, a request that waited for the one that opened
     * the conversation (or came from an instance whose clock is behind) would become its first.
     */
    private HistoryWriter.Recorded append(Connection connection, Placing placing, Header header)
            throws SQLException {
        long workspace = placing.workspace();
        Exchange exchange = placing.exchange();
        BotRequest request = exchange.toBotRequest(placing.requestId(), Math.max(clock.millis(), header.createdAt()));
        List<StoredRequest> stored = new ArrayList<>(requests.of(connection, workspace, header.id()));
        boolean startedConversation = stored.isEmpty();
        // what the lookup tables hold now: an imported conversation keeps the categories it came with
        Aggregates before = aggregatesOf(stored).withCategories(header.categories());
        int position = stored.stream().mapToInt(StoredRequest::position).max().orElse(-1) + 1;
        StoredRequest appended = new StoredRequest(header.id(), position, request,
                Optional.of(placing.contentHash()));
        requests.insert(connection, workspace, header, appended);
        stored.add(appended);
        stored.sort(IN_ORDER);

        Header updated = new Header(header.id(), header.externalId().or(exchange::externalId), header.source(),
                header.channel().or(exchange::channel), header.url().or(exchange::url), header.createdAt(),
                Math.max(header.updatedAt(), request.createdAt()), header.userId().or(exchange::userId),
                header.categories());
        conversations.update(connection, workspace, updated, before, aggregatesOf(stored), placing.changeSeq().get());
        return new HistoryWriter.Recorded(header.id(), request, true, startedConversation);
    }

    private static HistoryWriter.Recorded replay(StoredRequest existing, String contentHash) {
        if (existing.contentHash().filter(contentHash::equals).isEmpty()) {
            throw new Conflict("bot request " + existing.request().id()
                    + " is already recorded with other content; send a new id for a new exchange");
        }
        return new HistoryWriter.Recorded(existing.conversationId(), existing.request(), false, false);
    }

    private void tell(Connection connection, long workspace, Exchange exchange, Placed placed) throws SQLException {
        HistoryWriter.Recorded recorded = placed.recorded();
        Optional<UUID> requestId = Optional.of(recorded.request().id());
        listener.heard(connection, workspace, new HistoryEvent(placed.opened()
                ? Type.CONVERSATION_CREATED : Type.CONVERSATION_UPDATED, recorded.conversationId(), requestId));
        if (exchange.escalation()) {
            listener.heard(connection, workspace,
                    new HistoryEvent(Type.REQUEST_ESCALATED, recorded.conversationId(), requestId));
        }
    }

    static Aggregates aggregatesOf(List<StoredRequest> requests) {
        return Aggregates.of(requests.stream().map(StoredRequest::request).toList());
    }
}
