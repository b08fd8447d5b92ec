package dev.parley;

import dev.parley.api.Features;
import dev.parley.api.Routes;
import dev.parley.history.History;
import dev.parley.stats.StatsReport;
import dev.parley.store.Database;
import dev.parley.transfer.Export;
import dev.parley.transfer.Import;
import dev.parley.workspace.Keys;
import io.javalin.Javalin;
import java.time.Clock;

/** The composition root: builds every part of Parley from a validated {@link Config}. */
public final class Parley implements AutoCloseable {

    private final Config config;
    private final Database database;
    private final Keys keys;
    private final History history;

    private Parley(Config config, Database database, Clock clock) {
        this.config = config;
        this.database = database;
        this.keys = new Keys(database, clock);
        this.history = new History(database, clock);
    }

    /** Opens the store the configuration names, migrating its schema. */
    public static Parley open(Config config) {
        return new Parley(config, Database.open(config.dataDir(), config.databaseUrl()), Clock.systemUTC());
    }

    public Keys keys() {
        return keys;
    }

    public History history() {
        return history;
    }

    public Export export() {
        return new Export(history);
    }

    public Import importer() {
        return new Import(history);
    }

    public StatsReport stats() {
        return new StatsReport(database);
    }

    /** Starts the HTTP API on a port (0: any free one). */
    public Javalin serve(int port) {
        return Routes.server(new Features(keys, history, export(), importer(), stats(), config.importMaxBytes()))
                .start(port);
    }

    @Override
    public void close() {
        database.close();
    }
}
