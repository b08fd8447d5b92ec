package dev.parley.history;

import dev.parley.store.Database;
import java.time.Clock;

/**
 * The history of a store's workspaces, read by {@link HistoryReader} and changed by
 * {@link HistoryWriter}: the two share the table classes (one a table: {@link ConversationRows},
 * {@link RequestRows} with its {@link FailingRequestRows}, {@link ReviewRows}, {@link LookupRows},
 * {@link TombstoneRows}) and nothing else.
 */
public record History(HistoryReader reader, HistoryWriter writer) {

    /** @param listener hears each write's events inside its transaction (webhooks' outbox) */
    public static History of(Database database, Clock clock, HistoryListener listener) {
        ConversationRows conversations = new ConversationRows(database.dialect());
        RequestRows requests = new RequestRows(database.dialect());
        ReviewRows reviews = new ReviewRows(database.dialect());
        return new History(new HistoryReader(database, conversations, requests, reviews),
                new HistoryWriter(database, conversations, requests, reviews, listener, clock));
    }
}
