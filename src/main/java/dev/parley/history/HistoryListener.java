package dev.parley.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Hears each {@link HistoryEvent} of a write on the write's own connection, before it commits:
 * whatever it stores there is durable exactly when the write is.
 */
@FunctionalInterface
public interface HistoryListener {

    HistoryListener NONE = (connection, workspace, event) -> { };

    void heard(Connection connection, long workspace, HistoryEvent event) throws SQLException;

    /**
     * Hears the events of one bulk write, in order: a listener that reads something for each
     * event may read it once for them all.
     */
    default void heardAll(Connection connection, long workspace, List<HistoryEvent> events) throws SQLException {
        for (HistoryEvent event : events) {
            heard(connection, workspace, event);
        }
    }

    /** Listeners that each hear every event, in the order given. */
    static HistoryListener all(HistoryListener... listeners) {
        return new HistoryListener() {
            @Override
            public void heard(Connection connection, long workspace, HistoryEvent event) throws SQLException {
                for (HistoryListener listener : listeners) {
                    listener.heard(connection, workspace, event);
                }
            }

            @Override
            public void heardAll(Connection connection, long workspace, List<HistoryEvent> events)
                    throws SQLException {
                for (HistoryListener listener : listeners) {
                    listener.heardAll(connection, workspace, events);
                }
            }
        };
    }
}
