package dev.parley.history;

import dev.parley.history.ConversationRows.Header;
import dev.parley.history.HistoryEvent.Type;
import dev.parley.history.RequestRows.StoredRequest;
import dev.parley.store.Database;
import dev.parley.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Changing history: the writes of SPEC §4. Each method works inside one workspace, in one
 * transaction, and tells the {@link HistoryListener} what it did before it commits.
 */
public final class HistoryWriter {

    /** The tables whose planner statistics a bulk load changes. */
    private static final List<String> TABLES = List.of(ConversationRows.TABLE, RequestRows.TABLE,
            LookupRows.CATEGORIES.table, LookupRows.CITATIONS.table, ReviewRows.TABLE, ReviewRows.LABELS_TABLE,
            FailingRequestRows.TABLE);

    private final Database database;
    private final ConversationRows conversations;
    private final RequestRows requests;
    private final ReviewRows reviews;
    private final TombstoneRows tombstones;
    private final ExchangeRecorder recorder;
    private final WholeConversationLoad load;
    private final WholeConversations whole;
    private final StatsRollup rollup;
    private final StatsCompaction statsCompaction;
    private final GrowingStatistics statistics;
    private final HistoryListener listener;
    private final Clock clock;

    HistoryWriter(Database database, ConversationRows conversations, RequestRows requests, ReviewRows reviews,
                  StatsCompaction statsCompaction, HistoryListener listener, Clock clock) {
        this.database = database;
        this.conversations = conversations;
        this.requests = requests;
        this.reviews = reviews;
        this.tombstones = new TombstoneRows(database.dialect());
        this.recorder = new ExchangeRecorder(database.dialect(), conversations, requests, listener, clock);
        this.load = new WholeConversationLoad(database.dialect(), conversations, requests, reviews, listener);
        this.whole = new WholeConversations(database.dialect(), conversations, requests, reviews);
        this.rollup = new StatsRollup(database.dialect());
        this.statsCompaction = statsCompaction;
        this.statistics = new GrowingStatistics(database, TABLES);
        this.listener = listener;
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
            return database.write(connection -> recorder.record(connection, workspace, exchange));
        } catch (StoreException e) {
            if (isUniqueViolation(e)) {
                // a concurrent retry with the same request id won the race: answer as the retry it is
                return database.write(connection -> recorder.record(connection, workspace, exchange));
            }
            throw e;
        }
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
            requests.setFeedback(connection, workspace, header.id(), requestId, feedback);
            Header updated = new Header(header.id(), header.externalId(), header.source(), header.channel(),
                    header.url(), header.createdAt(), Math.max(header.updatedAt(), clock.millis()), header.userId(),
                    header.categories());
            Aggregates aggregates = ExchangeRecorder.aggregatesOf(requests.of(connection, workspace, header.id()));
            conversations.update(connection, workspace, updated, aggregates.withCategories(header.categories()),
                    aggregates, database.dialect().nextChangeSeq(connection));
            Optional<UUID> changed = Optional.of(requestId);
            listener.heard(connection, workspace, new HistoryEvent(Type.REQUEST_FEEDBACK, header.id(), changed));
            listener.heard(connection, workspace, new HistoryEvent(Type.CONVERSATION_UPDATED, header.id(), changed));
            return Optional.of(new PlacedRequest(header.id(), current.request().withFeedback(feedback)));
        });
    }

    /**
     * Reviews a conversation (SPEC §11), replacing any review it had; empty when the workspace has
     * no such conversation. A review is a change of the conversation, for those who mirror it
     * (a new change number, an event), but not of what happened in it: {@code updatedAt} stays.
     */
    public Optional<Review> review(long workspace, UUID conversationId, Review.Verdict verdict, String keyId) {
        return database.write(connection -> {
            if (conversations.lock(connection, workspace, conversationId).isEmpty()) {
                return Optional.empty();
            }
            Review review = verdict.by(keyId, clock.millis());
            reviews.put(connection, workspace, conversationId, review);
            conversations.changed(connection, workspace, conversationId, database.dialect().nextChangeSeq(connection));
            listener.heard(connection, workspace,
                    new HistoryEvent(Type.CONVERSATION_UPDATED, conversationId, Optional.empty()));
            return Optional.of(review);
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
        for (int attempt = 0; attempt < ExchangeRecorder.CONCURRENT_CHANGE_ATTEMPTS; attempt++) {
            Optional<StoredRequest> found = requests.find(connection, workspace, requestId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Optional<Header> header = conversations.lock(connection, workspace, found.get().conversationId());
            if (header.isEmpty()) {
                continue;
            }
            Optional<StoredRequest> current = requests.find(connection, workspace, requestId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            if (current.get().conversationId().equals(header.get().id())) {
                return Optional.of(new LockedRequest(header.get(), current.get()));
            }
        }
        throw new ConcurrentChange("bot request " + requestId + " kept moving between conversations");
    }

    /**
     * Stores whole conversations exactly as given, replacing any with the same id, in one
     * transaction: all or nothing. A bulk write, so it runs alone with a bulk write's deadline
     * ({@link Database#writeAlone}): under the write timeout of a bot's write, a batch of a
     * thousand on a busy machine failed a whole demo-data load.
     */
    public void storeWhole(long workspace, List<Conversation> batch) {
        if (batch.isEmpty()) {
            return;
        }
        database.writeAlone(connection -> {
            Optional<long[]> ends = rollup.ends(connection);
            load.load(connection, workspace, lastOfEachId(batch), database.dialect().nextChangeSeq(connection));
            rollup.foldAddedSince(connection, workspace, ends);
            return null;
        });
        statsCompaction.afterBulkWrite(workspace);
        statistics.wrote(batch.size());
    }

    /** How many {@link #storeWhole} batches, each from a thread of its own, make progress at once. */
    public int wholeBatchesAtOnce() {
        return database.longWritesAtOnce();
    }

    /**
     * Stores one chunk of an import in a transaction of its own, replacing conversations with the
     * same ids, and tells the import's record in that transaction what the chunk replaced and
     * created: an import commits chunk by chunk (on SQLite one long transaction would hold every
     * other write back), and the record is what undoes it whole. A bot request id that another
     * conversation of the workspace already has is a {@link Conflict}.
     */
    public void storeChunk(long workspace, List<Conversation> batch, ImportRecord record) {
        List<Conversation> distinct = lastOfEachId(batch);
        if (distinct.isEmpty()) {
            return;
        }
        List<UUID> ids = distinct.stream().map(Conversation::id).toList();
        try {
            database.writeAlone(connection -> {
                List<UUID> existing = conversations.lock(connection, workspace, ids);
                Set<UUID> existed = new HashSet<>(existing);
                List<Snapshot> replaced = snapshots(connection, workspace, existing);
                List<UUID> created = ids.stream().filter(id -> !existed.contains(id)).toList();
                long changeSeq = database.dialect().nextChangeSeq(connection);
                Optional<long[]> ends = rollup.ends(connection);
                load.load(connection, workspace, distinct, changeSeq);
                rollup.foldAddedSince(connection, workspace, ends);
                record.wrote(connection, replaced, created, changeSeq);
                return null;
            });
            statsCompaction.afterBulkWrite(workspace);
            statistics.wrote(distinct.size());
        } catch (StoreException e) {
            if (isUniqueViolation(e)) {
                throw new Conflict("a bot request id in this import already belongs to another conversation of this"
                        + " workspace, or appears in two conversations of the import");
            }
            throw e;
        }
    }

    /**
     * Undoes part of an import in a transaction of its own: each conversation is put back as the
     * import found it, or deleted (with a tombstone) when the import created it — unless a write
     * has changed or deleted it since the import wrote it: that write came after the import's, and
     * stays. Readers and the changes feed see an undo as the updates and deletions it is.
     */
    public void undoImported(long workspace, List<ImportRecord.Undo> undos, ImportRecord record) {
        database.writeAlone(connection -> {
            List<UUID> ids = undos.stream().map(ImportRecord.Undo::id).toList();
            List<UUID> present = conversations.lock(connection, workspace, ids);
            Map<UUID, Long> seqs = conversations.changeSeqs(connection, workspace, present);
            List<UUID> created = new ArrayList<>();
            List<Conversation> replaced = new ArrayList<>();
            Map<UUID, String> fingerprints = new HashMap<>();
            for (ImportRecord.Undo undo : undos) {
                if (!Long.valueOf(undo.writtenSeq()).equals(seqs.get(undo.id()))) {
                    continue; // deleted or changed since the import wrote it: that later write stays
                }
                if (undo.before().isPresent()) {
                    replaced.add(undo.before().get().conversation());
                    fingerprints.putAll(undo.before().get().fingerprints());
                } else {
                    created.add(undo.id());
                }
            }
            deleteLocked(connection, workspace, created);
            if (!replaced.isEmpty()) {
                load.load(connection, workspace, replaced, database.dialect().nextChangeSeq(connection), fingerprints);
            }
            record.undid(connection, ids);
            return null;
        });
        statsCompaction.afterBulkWrite(workspace);
    }

    /** Deletes conversations this transaction has locked, and everything of them, leaving tombstones. */
    private void deleteLocked(Connection connection, long workspace, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        requests.deleteOf(connection, workspace, ids);
        reviews.deleteOf(connection, workspace, ids);
        for (LookupRows lookup : LookupRows.values()) {
            lookup.deleteOf(connection, database.dialect(), workspace, ids);
        }
        conversations.delete(connection, workspace, ids);
        tombstones.markAll(connection, workspace, ids, clock.millis(), database.dialect().nextChangeSeq(connection));
        for (UUID id : ids) {
            listener.heard(connection, workspace, new HistoryEvent(Type.CONVERSATION_DELETED, id, Optional.empty()));
        }
    }

    /** These stored conversations, whole, with their requests' fingerprints. */
    private List<Snapshot> snapshots(Connection connection, long workspace, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, String> fingerprints = new HashMap<>();
        for (StoredRequest stored : requests.of(connection, workspace, ids)) {
            stored.contentHash().ifPresent(hash -> fingerprints.put(stored.request().id(), hash));
        }
        List<Snapshot> snapshots = new ArrayList<>(ids.size());
        for (Conversation conversation : whole.byIds(connection, workspace, ids)) {
            Map<UUID, String> its = new HashMap<>();
            for (BotRequest request : conversation.botRequests()) {
                String hash = fingerprints.get(request.id());
                if (hash != null) {
                    its.put(request.id(), hash);
                }
            }
            snapshots.add(new Snapshot(conversation, its));
        }
        return snapshots;
    }

    /**
     * After a bulk load: folds the stats deltas left (its batches fold their own, but a fold may
     * have failed, and other writes beside it add theirs), so that the first reader of stats does
     * not sum them where no server folds now and then (a CLI load), and lets the query planner
     * see how large the tables have grown.
     */
    public void afterBulkLoad() {
        statsCompaction.compact();
        database.refreshStatistics(TABLES);
    }

    /**
     * After a load whose command waits for it to be ready for reading (demo data): as
     * {@link #afterBulkLoad}, and on PostgreSQL a vacuum, which marks the new rows' pages
     * all-visible. Until it does, an index-only scan visits the table for every row it reads (the
     * edge of a stats window: 40 ms instead of 1 ms at 1,000,000 conversations); autovacuum gets
     * there in its own time, or never where it is off. Not after an import, whose request would
     * wait for a vacuum of every index the replaced conversations are in.
     */
    public void afterGeneratedLoad() {
        afterBulkLoad();
        database.vacuum(TABLES);
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
        return delete(workspace, id, ErasureStep.NONE);
    }

    /** Deletes a conversation, running {@code also} in the same transaction when there was one. */
    public boolean delete(long workspace, UUID id, ErasureStep also) {
        return database.write(connection -> {
            boolean deleted = delete(connection, workspace, id);
            if (deleted) {
                also.run(connection, 1);
            }
            return deleted;
        });
    }

    /** Erases every conversation of one end user; answers how many there were. */
    public int eraseUser(long workspace, String userId) {
        return eraseUser(workspace, userId, ErasureStep.NONE);
    }

    /** Erases every conversation of one end user, running {@code also} in the same transaction. */
    public int eraseUser(long workspace, String userId, ErasureStep also) {
        return database.write(connection -> {
            int deleted = deleteAll(connection, workspace, conversations.lockOfUser(connection, workspace, userId));
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
            int deleted = deleteAll(connection, workspace,
                    conversations.lockUpdatedBefore(connection, workspace, cutoff, limit));
            if (deleted > 0) {
                also.run(connection, deleted);
            }
            return deleted;
        });
    }

    private int deleteAll(Connection connection, long workspace, List<UUID> ids) throws SQLException {
        int deleted = 0;
        for (UUID id : ids) {
            if (delete(connection, workspace, id)) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Where a batch of {@link #rewriteTexts} ended, how many conversations it looked at and how many changed. */
    public record Rewritten(Optional<UUID> last, int seen, int changed) {
    }

    /**
     * Rewrites the free texts of the next {@code limit} conversations after {@code after}, in id
     * order, in one short transaction (each conversation locked as its writers lock it), and runs
     * {@code also} in it. A changed conversation gets a new change number, as after any write.
     */
    public Rewritten rewriteTexts(long workspace, Optional<UUID> after, int limit, UnaryOperator<String> rewrite,
                                  ErasureStep also) {
        return database.write(connection -> {
            List<UUID> ids = conversations.lockIdsAfter(connection, workspace, after, limit);
            int changed = 0;
            for (UUID id : ids) {
                if (rewriteTexts(connection, workspace, id, rewrite)) {
                    changed++;
                }
            }
            also.run(connection, changed);
            return new Rewritten(ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(ids.size() - 1)), ids.size(),
                    changed);
        });
    }

    private boolean rewriteTexts(Connection connection, long workspace, UUID id, UnaryOperator<String> rewrite)
            throws SQLException {
        boolean any = false;
        for (StoredRequest stored : requests.of(connection, workspace, id)) {
            BotRequest rewritten = stored.request().withTexts(rewrite);
            if (!rewritten.equals(stored.request())) {
                requests.updateTexts(connection, workspace, id, rewritten);
                any = true;
            }
        }
        if (any) {
            conversations.touch(connection, workspace, id, database.dialect().nextChangeSeq(connection));
            listener.heard(connection, workspace, new HistoryEvent(Type.CONVERSATION_UPDATED, id, Optional.empty()));
        }
        return any;
    }

    /** Deletes a conversation and everything of it, leaving a tombstone; false when there was none. */
    private boolean delete(Connection connection, long workspace, UUID id) throws SQLException {
        List<UUID> locked = conversations.lock(connection, workspace, List.of(id));
        if (locked.isEmpty()) {
            return false;
        }
        requests.deleteOf(connection, workspace, locked);
        reviews.deleteOf(connection, workspace, locked);
        for (LookupRows lookup : LookupRows.values()) {
            lookup.deleteOf(connection, database.dialect(), workspace, locked);
        }
        if (conversations.delete(connection, workspace, locked) == 0) {
            return false;
        }
        tombstones.mark(connection, workspace, id, clock.millis(), database.dialect().nextChangeSeq(connection));
        listener.heard(connection, workspace, new HistoryEvent(Type.CONVERSATION_DELETED, id, Optional.empty()));
        return true;
    }

    private boolean isUniqueViolation(StoreException e) {
        return e.getCause() instanceof SQLException sql && database.dialect().isUniqueViolation(sql);
    }
}
