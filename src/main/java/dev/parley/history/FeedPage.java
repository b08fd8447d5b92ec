package dev.parley.history;

import java.util.List;

/**
 * A page of the changes feed. {@code next} is where the following page starts (where this one
 * started, when it is empty); {@code hasMore} says more changes are ready now; {@code pending}
 * says a change is committed past the page but cannot be listed yet, because an older
 * transaction is still in flight (PostgreSQL): a waiting reader should look again shortly.
 */
public record FeedPage(List<FeedChange> changes, FeedPosition next, boolean hasMore, boolean pending) {
}
