package dev.parley.cli;

import dev.parley.Config;
import dev.parley.Logging;
import dev.parley.Parley;
import dev.parley.store.ServeLock;
import dev.parley.workspace.CreatedKey;
import dev.parley.workspace.Scope;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.Locale;
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
            config.bootstrapKey().ifPresent(parley.keys()::ensureBootstrapKey);
            Javalin server = listen(parley, config);
            err.println("parley: serving on port " + server.port() + " (" + describeStore(config) + ")");
            // only now: a start that could not listen must not leave a key that nobody saw
            if (config.bootstrapKey().isEmpty()) {
                parley.keys().createFirstKeyIfEmpty().ifPresent(this::announceFirstKey);
            }
            // SIGTERM: stop taking requests, let those in flight finish (up to PARLEY_SHUTDOWN_TIMEOUT),
            // close the store, and exit 0 — an orderly stop is not a failure
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                err.println("parley: stopping; finishing requests in flight");
                parley.stopping();
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

    private static Javalin listen(Parley parley, Config config) {
        try {
            return parley.serve();
        } catch (JavalinBindException e) {
            throw new CommandFailed("cannot listen on PARLEY_PORT " + config.port() + ": " + bindReason(e));
        }
    }

    /** The operating system's reason ("address already in use", "permission denied"), else Javalin's. */
    private static String bindReason(JavalinBindException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind && bind.getMessage() != null) {
                return bind.getMessage().toLowerCase(Locale.ROOT);
            }
        }
        return e.getMessage();
    }

    private void announceFirstKey(CreatedKey created) {
        err.println("parley: created workspace 'default' and a key for it with every scope ("
                + Scope.format(created.key().scopes()) + "); the secret is shown only this once:");
        out.println(created.secret());
    }

    private static String describeStore(Config config) {
        return config.databaseUrl().isPresent() ? "PostgreSQL" : "SQLite in " + config.dataDir().toAbsolutePath();
    }
}
