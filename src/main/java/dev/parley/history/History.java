package dev.parley.history;

import dev.parley.history.HistoryTables.Header;
import dev.parley.history.ConversationSearch.Window;
import dev.parley.history.HistoryTables.StoredRequest;
import dev.parley.store.Database;
import dev.parley.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Recording and changing history: the writes of SPEC §4. Each method works inside one workspace,
 * in one transaction, and recomputes a conversation's aggregates under its row lock so that they
 * stay exact under concurrent writers.
 */
public final class History {

    private static final Comparator<StoredRequest> IN_ORDER =
            Comparator.comparingLong((StoredRequest stored) -> stored.request().createdAt())
                    .thenComparingInt(StoredRequest::position);

    /**
     * How often a write looks again for a conversation that a concurrent write deleted or replaced
     * under it; each look starts a new statement, which sees the other write's commit.
     */
    private static final int CONCURRENT_CHANGE_ATTEMPTS = 4;

    private final Database database;
    private final HistoryTables tables;
    private final ConversationSearch search;
    private final Clock clock;

    public History(Database database, Clock clock) {
        this.database = database;
        this.tables = new HistoryTables(database.dialect());
        this.search = new ConversationSearch(database.dialect());
        this.clock = clock;
    }

    /**
     * What recording an exchange did: stored it anew (perhaps as the first of its conversation),
     * or found the same exchange already stored.
     */
    public record Recorded(UUID conversationId, BotRequest request, boolean created, boolean startedConversation) {
    }

    /** A bot request with the conversation it belongs to. */
    public record PlacedRequest(UUID conversationId, BotRequest request) {
    }

    public Recorded record(long workspace, Exchange exchange) {
        try {
            return database.write(connection -> record(connection, workspace, exchange));
        } catch (StoreException e) {
            if (isUniqueViolation(e)) {
                // a concurrent retry with the same request id won the race: answer as the retry it is
                return database.write(connection -> record(connection, workspace, exchange));
            }
            throw e;
        }
    }

    private Recorded record(Connection connection, long workspace, Exchange exchange) throws SQLException {
        String contentHash = exchange.contentHash();
        if (exchange.id().isPresent()) {
            Optional<StoredRequest> existing = tables.findRequest(connection, workspace, exchange.id().get());
            if (existing.isPresent()) {
                return replay(existing.get(), contentHash);
            }
        }
        UUID requestId = exchange.id().orElseGet(UUID::randomUUID);
        ChangeNumber changeSeq = new ChangeNumber(database.dialect(), connection);
        if (exchange.conversationId().isPresent()) {
            UUID id = exchange.conversationId().get();
            // a conversation deleted between the attempt to open it and its lock is opened anew:
            // the append then comes after the delete, as if the two had not overlapped
            for (int attempt = 0; attempt < CONCURRENT_CHANGE_ATTEMPTS; attempt++) {
                BotRequest first = exchange.toBotRequest(requestId, clock.millis());
                if (open(connection, workspace, newHeader(id, exchange, first.createdAt()), first, contentHash,
                        changeSeq)) {
                    return new Recorded(id, first, true, true);
                }
                Optional<Header> header = tables.lockHeader(connection, workspace, id);
                if (header.isPresent()) {
                    if (header.get().source() != exchange.source()) {
                        throw new Conflict("conversation " + id + " has source " + header.get().source().wireName()
                                + ", not " + exchange.source().wireName());
                    }
                    return append(connection, workspace, header.get(), exchange, requestId, contentHash, changeSeq);
                }
            }
            throw new ConcurrentChange("conversation " + id + " was deleted and recreated while appending to it");
        }
        if (exchange.externalId().isPresent()) {
            String ticket = exchange.externalId().get();
            database.dialect().lock(connection, "ticket/" + workspace + "/" + exchange.source().wireName() + "/" + ticket);
            Optional<UUID> existing = tables.findByTicket(connection, workspace, exchange.source(), ticket);
            // deleted since it was found: the exchange starts a new conversation, as it would after the delete
            Optional<Header> header = existing.isEmpty() ? Optional.empty()
                    : tables.lockHeader(connection, workspace, existing.get());
            if (header.isPresent()) {
                return append(connection, workspace, header.get(), exchange, requestId, contentHash, changeSeq);
            }
        }
        BotRequest first = exchange.toBotRequest(requestId, clock.millis());
        Header header = newHeader(UUID.randomUUID(), exchange, first.createdAt());
        open(connection, workspace, header, first, contentHash, changeSeq);
        return new Recorded(header.id(), first, true, true);
    }

    private boolean open(Connection connection, long workspace, Header header, BotRequest request, String contentHash,
                         ChangeNumber changeSeq) throws SQLException {
        return tables.open(connection, workspace, header,
                new StoredRequest(header.id(), 0, request, Optional.of(contentHash)), changeSeq);
    }

    /**
     * Appends a request to a locked conversation and recomputes the conversation from all its requests.
     * A request without its own createdAt is stamped here, under the lock, and never before the
     * conversation began: stamped before the lock, a request that waited for the one that opened
     * the conversation (or came from an instance whose clock is behind) would become its first.
     */
    private Recorded append(Connection connection, long workspace, Header header, Exchange exchange,
                            UUID requestId, String contentHash, ChangeNumber changeSeq) throws SQLException {
        BotRequest request = exchange.toBotRequest(requestId, Math.max(clock.millis(), header.createdAt()));
        List<StoredRequest> requests = new ArrayList<>(tables.requestsOf(connection, workspace, header.id()));
        boolean startedConversation = requests.isEmpty();
        // what the lookup tables hold now
        Aggregates before = aggregatesOf(requests).withCategories(header.categories());
        int position = requests.stream().mapToInt(StoredRequest::position).max().orElse(-1) + 1;
        StoredRequest stored = new StoredRequest(header.id(), position, request, Optional.of(contentHash));
        tables.insertRequest(connection, workspace, stored);
        requests.add(stored);
        requests.sort(IN_ORDER);

        Header updated = new Header(header.id(), header.externalId().or(exchange::externalId), header.source(),
                header.channel().or(exchange::channel), header.url().or(exchange::url), header.createdAt(),
                Math.max(header.updatedAt(), request.createdAt()), header.userId().or(exchange::userId),
                header.categories());
        tables.updateConversation(connection, workspace, updated, before, aggregatesOf(requests), changeSeq.get());
        return new Recorded(header.id(), request, true, startedConversation);
    }

    private static Recorded replay(StoredRequest existing, String contentHash) {
        if (existing.contentHash().filter(contentHash::equals).isEmpty()) {
            throw new Conflict("bot request " + existing.request().id()
                    + " is already recorded with other content; send a new id for a new exchange");
        }
        return new Recorded(existing.conversationId(), existing.request(), false, false);
    }

    private static Header newHeader(UUID id, Exchange exchange, long startedAt) {
        return new Header(id, exchange.externalId(), exchange.source(), exchange.channel(), exchange.url(),
                startedAt, startedAt, exchange.userId(), List.of());
    }

    /** Sets or clears the feedback on a bot request; empty when the workspace has no such request. */
    public Optional<PlacedRequest> setFeedback(long workspace, UUID requestId, Optional<FeedbackType> feedback) {
        return database.write(connection -> {
            Optional<LockedRequest> locked = lockRequest(connection, workspace, requestId);
            if (locked.isEmpty()) {
                return Optional.empty();
            }
            Header header = locked.get().header();
            StoredRequest current = locked.get().request();
            if (current.request().feedbackType().equals(feedback)) {
                return Optional.of(new PlacedRequest(header.id(), current.request()));
            }
            tables.updateFeedback(connection, workspace, requestId, feedback);
            List<StoredRequest> requests = tables.requestsOf(connection, workspace, header.id());
            Header updated = new Header(header.id(), header.externalId(), header.source(), header.channel(),
                    header.url(), header.createdAt(), Math.max(header.updatedAt(), clock.millis()), header.userId(),
                    header.categories());
            Aggregates aggregates = aggregatesOf(requests);
            tables.updateConversation(connection, workspace, updated, aggregates.withCategories(header.categories()),
                    aggregates, database.dialect().nextChangeSeq(connection));
            return Optional.of(new PlacedRequest(header.id(), current.request().withFeedback(feedback)));
        });
    }

    /** A bot request read under the lock of the conversation that holds it. */
    private record LockedRequest(Header header, StoredRequest request) {
    }

    /**
     * Finds a bot request and locks its conversation, the lock every writer of a conversation
     * takes first. Between the two, the conversation may be deleted (the request is gone: empty)
     * or replaced by an import (look again); once locked, neither can happen until commit.
     */
    private Optional<LockedRequest> lockRequest(Connection connection, long workspace, UUID requestId)
            throws SQLException {
        for (int attempt = 0; attempt < CONCURRENT_CHANGE_ATTEMPTS; attempt++) {
            Optional<StoredRequest> found = tables.findRequest(connection, workspace, requestId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Optional<Header> header = tables.lockHeader(connection, workspace, found.get().conversationId());
            if (header.isEmpty()) {
                continue;
            }
            Optional<StoredRequest> current = tables.findRequest(connection, workspace, requestId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            if (current.get().conversationId().equals(header.get().id())) {
                return Optional.of(new LockedRequest(header.get(), current.get()));
            }
        }
        throw new ConcurrentChange("bot request " + requestId + " kept moving between conversations");
    }

    public Optional<Conversation> conversation(long workspace, UUID id) {
        return database.read(connection -> tables.conversations(connection, workspace, List.of(id)))
                .stream().findFirst();
    }

    /**
     * One page of the conversations that match a filter, newest first, with the cursors around it
     * (SPEC §2). Read from one snapshot, so the page and its cursors agree.
     */
    public Page page(long workspace, HistoryFilter filter, PageRequest request) {
        return database.read(connection -> {
            if (request.cursor().isEmpty()) {
                // without a cursor a page starts at the newest match, whichever way it was asked to go
                List<UUID> found = search.newest(connection, workspace, filter, request.limit() + 1);
                boolean more = found.size() > request.limit();
                return page(connection, workspace, firstOf(found, request.limit()), more, more, false);
            }
            UUID cursor = request.cursor().get();
            Window window = search.window(connection, workspace, filter, cursor, request.direction(),
                    request.limit() + 1);
            if (window.ids().isEmpty() && !search.exists(connection, workspace, cursor)) {
                throw new InvalidCursor();
            }
            boolean more = window.ids().size() > request.limit();
            List<UUID> ids = firstOf(window.ids(), request.limit());
            if (request.direction() == Direction.NEXT) {
                return page(connection, workspace, ids, more, more, window.anyBehind());
            }
            List<UUID> newestFirst = new ArrayList<>(ids);
            Collections.reverse(newestFirst);
            return page(connection, workspace, newestFirst, more, window.anyBehind(), more);
        });
    }

    private static List<UUID> firstOf(List<UUID> ids, int limit) {
        return ids.subList(0, Math.min(ids.size(), limit));
    }

    /** A page of these conversations, newest first, with a cursor on each side that has more. */
    private Page page(Connection connection, long workspace, List<UUID> ids, boolean hasMore, boolean olderExist,
                      boolean newerExist) throws SQLException {
        if (ids.isEmpty()) {
            return new Page(List.of(), false, Optional.empty(), Optional.empty());
        }
        return new Page(tables.conversations(connection, workspace, ids), hasMore,
                olderExist ? Optional.of(ids.get(ids.size() - 1)) : Optional.empty(),
                newerExist ? Optional.of(ids.get(0)) : Optional.empty());
    }

    /** Receives conversations one at a time, as an export writes them out. */
    @FunctionalInterface
    public interface Visitor {
        void visit(Conversation conversation) throws java.io.IOException;
    }

    /**
     * Every conversation that matches, newest first, streamed from one snapshot by one query,
     * so that memory stays the same however many there are. If the visitor fails (a client went
     * away), the read ends and its transaction and connection are released at once.
     */
    public void forEachMatch(long workspace, HistoryFilter filter, Visitor visitor) {
        database.stream(connection -> {
            tables.forEachWhole(connection, workspace, search, filter, visitor);
            return null;
        });
    }

    /**
     * Stores whole conversations exactly as given, replacing any with the same id, in one
     * transaction: all or nothing.
     */
    public void storeWhole(long workspace, List<Conversation> conversations) {
        if (conversations.isEmpty()) {
            return;
        }
        database.write(connection -> {
            tables.insertWhole(connection, workspace, conversations, database.dialect().nextChangeSeq(connection));
            return null;
        });
    }

    /**
     * Stores batches of whole conversations in one transaction: all of them, or none. A bot
     * request id that another conversation of the workspace already has is a {@link Conflict}.
     * The source may be read more than once: each call starts again from the first batch.
     */
    public void storeAll(long workspace, Supplier<Iterator<List<Conversation>>> source) {
        try {
            database.write(connection -> {
                // opened inside the work: a transaction that loses a deadlock runs again, from the start
                Iterator<List<Conversation>> batches = source.get();
                long changeSeq = database.dialect().nextChangeSeq(connection);
                while (batches.hasNext()) {
                    tables.insertWhole(connection, workspace, lastOfEachId(batches.next()), changeSeq);
                }
                return null;
            });
        } catch (StoreException e) {
            if (isUniqueViolation(e)) {
                throw new Conflict("a bot request id in this import already belongs to another conversation of this"
                        + " workspace, or appears in two conversations of the import");
            }
            throw e;
        }
    }

    /** After a bulk load: lets the query planner see how large the tables have grown. */
    public void refreshStatistics() {
        database.refreshStatistics();
    }

    /** Within one batch a later line with the same conversation id replaces an earlier one. */
    private static List<Conversation> lastOfEachId(List<Conversation> batch) {
        Map<UUID, Conversation> byId = new LinkedHashMap<>();
        for (Conversation conversation : batch) {
            byId.remove(conversation.id());
            byId.put(conversation.id(), conversation);
        }
        return List.copyOf(byId.values());
    }

    /** Deletes a conversation; false when the workspace has none with that id. */
    public boolean delete(long workspace, UUID id) {
        return database.write(connection ->
                tables.delete(connection, workspace, id, clock.millis(), database.dialect().nextChangeSeq(connection)));
    }

    /** Erases every conversation of one end user; answers how many there were. */
    public int eraseUser(long workspace, String userId) {
        return database.write(connection -> {
            int deleted = 0;
            for (UUID id : tables.conversationsOfUser(connection, workspace, userId)) {
                if (tables.delete(connection, workspace, id, clock.millis(),
                        database.dialect().nextChangeSeq(connection))) {
                    deleted++;
                }
            }
            return deleted;
        });
    }

    private static Aggregates aggregatesOf(List<StoredRequest> requests) {
        return Aggregates.of(requests.stream().map(StoredRequest::request).toList());
    }

    private boolean isUniqueViolation(StoreException e) {
        return e.getCause() instanceof SQLException sql && database.dialect().isUniqueViolation(sql);
    }

    // ---- privacy (issue 17): erasures and rewrites that run a step of the caller's in their transaction

    /**
     * A step run inside an erasure's (or a rewrite's) transaction, once it knows how many
     * conversations it touched: the audit entry, written with what it records or not at all.
     */
    @FunctionalInterface
    public interface ErasureStep {
        void run(Connection connection, int conversations) throws SQLException;
    }

    /** Deletes a conversation, running {@code also} in the same transaction when there was one. */
    public boolean delete(long workspace, UUID id, ErasureStep also) {
        return database.write(connection -> {
            boolean deleted = tables.delete(connection, workspace, id, clock.millis(),
                    database.dialect().nextChangeSeq(connection));
            if (deleted) {
                also.run(connection, 1);
            }
            return deleted;
        });
    }

    /** Erases every conversation of one end user, running {@code also} in the same transaction. */
    public int eraseUser(long workspace, String userId, ErasureStep also) {
        return database.write(connection -> {
            int deleted = 0;
            long changeSeq = database.dialect().nextChangeSeq(connection);
            for (UUID id : tables.conversationsOfUser(connection, workspace, userId)) {
                if (tables.delete(connection, workspace, id, clock.millis(), changeSeq)) {
                    deleted++;
                }
            }
            also.run(connection, deleted);
            return deleted;
        });
    }

    /**
     * Erases up to {@code limit} conversations last changed before {@code cutoff} (epoch ms),
     * oldest first, in one short transaction, running {@code also} in it when any went; answers
     * how many. A conversation that a writer holds at the moment is left for the next batch.
     */
    public int eraseUpdatedBefore(long workspace, long cutoff, int limit, ErasureStep also) {
        return database.write(connection -> {
            int deleted = 0;
            long changeSeq = database.dialect().nextChangeSeq(connection);
            for (UUID id : tables.lockUpdatedBefore(connection, workspace, cutoff, limit)) {
                if (tables.delete(connection, workspace, id, clock.millis(), changeSeq)) {
                    deleted++;
                }
            }
            if (deleted > 0) {
                also.run(connection, deleted);
            }
            return deleted;
        });
    }

    /** Where a batch of {@link #rewriteTexts} ended, how many conversations it looked at and how many changed. */
    public record Rewritten(Optional<UUID> last, int seen, int changed) {
    }

    /**
     * Rewrites the free texts of the next {@code limit} conversations after {@code after}, in id
     * order, in one short transaction (each conversation locked as its writers lock it), and runs
     * {@code also} in it. A changed conversation gets a new change number, as after any write.
     */
    public Rewritten rewriteTexts(long workspace, Optional<UUID> after, int limit,
                                  java.util.function.UnaryOperator<String> rewrite, ErasureStep also) {
        return database.write(connection -> {
            List<UUID> ids = tables.lockIdsAfter(connection, workspace, after, limit);
            int changed = 0;
            long changeSeq = ids.isEmpty() ? 0 : database.dialect().nextChangeSeq(connection);
            for (UUID id : ids) {
                boolean any = false;
                for (StoredRequest stored : tables.requestsOf(connection, workspace, id)) {
                    BotRequest rewritten = stored.request().withTexts(rewrite);
                    if (!rewritten.equals(stored.request())) {
                        tables.updateTexts(connection, workspace, rewritten);
                        any = true;
                    }
                }
                if (any) {
                    tables.touch(connection, workspace, id, changeSeq);
                    changed++;
                }
            }
            also.run(connection, changed);
            return new Rewritten(ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(ids.size() - 1)), ids.size(),
                    changed);
        });
    }
}
