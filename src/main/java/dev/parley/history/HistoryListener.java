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
}
