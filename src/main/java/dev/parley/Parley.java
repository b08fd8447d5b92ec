package dev.parley;

import dev.parley.api.Routes;
import dev.parley.history.History;
import dev.parley.store.Database;
import dev.parley.workspace.Keys;
import io.javalin.Javalin;
import java.time.Clock;

/** The composition root: builds every part of Parley from a validated {@link Config}. */
public final class Parley implements AutoCloseable {

    private final Database database;
    private final Keys keys;
    private final History history;

    private Parley(Database database, Clock clock) {
        this.database = database;
        this.keys = new Keys(database, clock);
        this.history = new History(database, clock);
    }

    /** Opens the store the configuration names, migrating its schema. */
    public static Parley open(Config config) {
        return new Parley(Database.open(config.dataDir(), config.databaseUrl()), Clock.systemUTC());
    }

    public Keys keys() {
        return keys;
    }

    public History history() {
        return history;
    }

    /** Starts the HTTP API on a port (0: any free one). */
    public Javalin serve(int port) {
        return Routes.server(keys, history).start(port);
    }

    @Override
    public void close() {
        database.close();
    }
}
