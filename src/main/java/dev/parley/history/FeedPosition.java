package dev.parley.history;

import java.util.UUID;

/**
 * A place in a workspace's changes feed: everything at or before this commit stamp and, within
 * it, this conversation id, has been listed. The stamp is the change sequence on SQLite and the
 * writing transaction's id on PostgreSQL; a client sees it only inside an opaque cursor.
 */
public record FeedPosition(long stamp, UUID after) {

    /** Sorts after every id of a stamp: a position that takes in all of that stamp. */
    public static final UUID LAST_ID = new UUID(-1L, -1L);

    /** Before every change. */
    public static final FeedPosition START = new FeedPosition(0, new UUID(0L, 0L));

    /** Every change of stamps below this one. */
    static FeedPosition allBefore(long stamp) {
        return new FeedPosition(stamp - 1, LAST_ID);
    }

    /** Both stores order ids as their lowercase text (PostgreSQL's uuid order is the same). */
    static int inStoreOrder(UUID a, UUID b) {
        return a.toString().compareTo(b.toString());
    }
}
