package dev.parley.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears PostgreSQL's notifications on one channel, on a connection of its own held by one thread:
 * every instance learns of every commit that notifies, without asking. When the connection
 * breaks it opens another and says so, since notifications sent meanwhile were lost.
 */
final class Notifications implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final int WAIT_MILLIS = 1_000;

    private final String url;
    private final String channel;
    private final Consumer<String> heard;
    private final Runnable missedSome;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    Notifications(String url, String channel, Consumer<String> heard, Runnable missedSome) {
        this.url = url;
        this.channel = channel;
        this.heard = heard;
        this.missedSome = missedSome;
        this.thread = new Thread(this::loop, "parley-listen-" + channel);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        boolean first = true;
        while (!closed) {
            try (Connection listening = DriverManager.getConnection(url)) {
                connection = listening;
                try (var listen = listening.createStatement()) {
                    listen.execute("LISTEN " + channel);
                }
                if (!first) {
                    missedSome.run();
                }
                first = false;
                PGConnection pg = listening.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            heard.accept(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("listening for {} failed, listening again in a second: {}", channel, e.toString());
                first = false;
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
