package dev.parley.history;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Hears each {@link HistoryEvent} of a write on the write's own connection, before it commits:
 * whatever it stores there is durable exactly when the write is.
 */
@FunctionalInterface
public interface HistoryListener {

    HistoryListener NONE = (connection, workspace, event) -> { };

    void heard(Connection connection, long workspace, HistoryEvent event) throws SQLException;

    /** Listeners that each hear every event, in the order given. */
    static HistoryListener all(HistoryListener... listeners) {
        return (connection, workspace, event) -> {
            for (HistoryListener listener : listeners) {
                listener.heard(connection, workspace, event);
            }
        };
    }
}
