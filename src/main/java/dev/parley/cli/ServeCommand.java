package dev.parley.cli;

import dev.parley.Config;
import dev.parley.Logging;
import dev.parley.Parley;
import dev.parley.store.ServeLock;
import dev.parley.workspace.CreatedKey;
import io.javalin.Javalin;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code parley serve}: the HTTP API on {@code PARLEY_PORT}, until the process is told to stop. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the HTTP API. Settings come from PARLEY_* environment variables (see README).")
final class ServeCommand implements Callable<Integer> {

    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;

    ServeCommand(Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        Config config = Config.fromEnvironment(env);
        Logging.use(config.logFormat());
        // before the store is opened: a second serve must not even migrate the directory another one serves
        Optional<ServeLock> lock = config.databaseUrl().isPresent() ? Optional.empty()
                : Optional.of(ServeLock.acquire(config.dataDir()));
        Parley parley;
        try {
            parley = Parley.open(config);
        } catch (RuntimeException e) {
            lock.ifPresent(ServeLock::close);
            throw e;
        }
        try {
            Optional<CreatedKey> firstKey = bootstrap(parley, config);
            Javalin server = parley.serve();
            firstKey.ifPresent(this::announceFirstKey);
            err.println("parley: serving on port " + server.port() + " (" + describeStore(config) + ")");
            // SIGTERM: stop taking requests, let those in flight finish (up to PARLEY_SHUTDOWN_TIMEOUT),
            // close the store, and exit 0 — an orderly stop is not a failure
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                err.println("parley: stopping; finishing requests in flight");
                server.stop();
                parley.close();
                lock.ifPresent(ServeLock::close);
                err.println("parley: stopped");
                err.flush();
                Runtime.getRuntime().halt(0);
            }, "parley-shutdown"));
            new CountDownLatch(1).await();
            return 0;
        } catch (RuntimeException e) {
            parley.close();
            lock.ifPresent(ServeLock::close);
            throw e;
        }
    }

    private static Optional<CreatedKey> bootstrap(Parley parley, Config config) {
        if (config.bootstrapKey().isPresent()) {
            parley.keys().ensureBootstrapKey(config.bootstrapKey().get());
            return Optional.empty();
        }
        return parley.keys().createFirstKeyIfEmpty();
    }

    private void announceFirstKey(CreatedKey created) {
        err.println("parley: created workspace 'default' and a read+write key for it, shown this once:");
        out.println(created.secret());
    }

    private static String describeStore(Config config) {
        return config.databaseUrl().isPresent() ? "PostgreSQL" : "SQLite in " + config.dataDir().toAbsolutePath();
    }
}
