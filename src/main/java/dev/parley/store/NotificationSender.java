package dev.parley.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Sends PostgreSQL notifications on a connection of its own, each batch in a transaction that
 * writes nothing but the notifications and does not wait for its WAL flush: held apart from the
 * writes, PostgreSQL's one notify lock never stands between a write and its commit.
 */
final class NotificationSender implements AutoCloseable {

    private final String url;
    private Connection connection;

    NotificationSender(String url) {
        this.url = url;
    }

    synchronized void send(String channel, Collection<String> payloads) {
        SQLException failed = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try (var notify = open().prepareStatement(
                    "SELECT pg_notify(?, payload) FROM unnest(CAST(? AS text[])) AS payload")) {
                notify.setString(1, channel);
                notify.setArray(2, connection.createArrayOf("text", payloads.toArray()));
                notify.executeQuery().close();
                return;
            } catch (SQLException e) {
                failed = e;
                close(); // a broken connection: the next attempt opens another
            }
        }
        throw StoreException.wrap(failed);
    }

    private Connection open() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url);
            try (var settings = connection.createStatement()) {
                // a lost notification costs a waiter its wait, never a change: no flush to wait for
                settings.execute("SET synchronous_commit = off");
            }
        }
        return connection;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing anyway
            }
            connection = null;
        }
    }
}
