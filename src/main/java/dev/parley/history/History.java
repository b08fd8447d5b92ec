package dev.parley.history;

import dev.parley.store.Database;
import java.time.Clock;

/**
 * The history of a store's workspaces, read by {@link HistoryReader} and changed by
 * {@link HistoryWriter}: the two share the table classes (one a table: {@link ConversationRows},
 * {@link RequestRows} with its {@link FailingRequestRows}, {@link ReviewRows}, {@link LookupRows},
 * {@link TombstoneRows}) and nothing else. The stats rollup's {@link StatsCompaction} folds what
 * both the writer's bulk writes and, now and then, every other write add to it.
 */
public record History(HistoryReader reader, HistoryWriter writer, StatsCompaction statsCompaction) {

    /** @param listener hears each write's events inside its transaction (webhooks' outbox) */
    public static History of(Database database, Clock clock, HistoryListener listener) {
        ConversationRows conversations = new ConversationRows(database.dialect());
        RequestRows requests = new RequestRows(database.dialect());
        ReviewRows reviews = new ReviewRows(database.dialect());
        StatsCompaction statsCompaction = new StatsCompaction(database);
        return new History(new HistoryReader(database, conversations, requests, reviews),
                new HistoryWriter(database, conversations, requests, reviews, statsCompaction, listener, clock),
                statsCompaction);
    }
}
