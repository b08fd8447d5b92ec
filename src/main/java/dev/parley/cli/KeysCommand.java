package dev.parley.cli;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.workspace.ApiKey;
import dev.parley.workspace.CreatedKey;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley keys create|list|revoke}: API keys on the store that the settings name. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke API keys.")
final class KeysCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key (and its workspace, if new). Prints the secret alone on the last line of"
                    + " standard output; it is shown only this once.")
    static final class Create implements Callable<Integer> {
        private final Map<String, String> env;
        private final PrintWriter out;
        private final PrintWriter err;

        @Option(names = "--workspace", defaultValue = "default", paramLabel = "NAME", converter = WorkspaceConverter.class,
                description = "Workspace name (default: ${DEFAULT-VALUE}).")
        WorkspaceName workspace;

        @Option(names = "--scopes", required = true, paramLabel = "SCOPES", converter = ScopesConverter.class,
                description = "Comma-separated: read, write, review, admin (admin: the workspace's settings and audit log).")
        Set<Scope> scopes;

        Create(Map<String, String> env, PrintWriter out, PrintWriter err) {
            this.env = env;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
                CreatedKey created = parley.keys().create(workspace, scopes);
                err.println("parley: created key " + created.key().id() + " for workspace '" + workspace
                        + "' with scopes " + Scope.format(scopes) + "; the secret is shown only this once:");
                out.println(created.secret());
                return 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List keys, one a line: id, workspace, scopes, created, status. Never a secret.")
    static final class ListKeys implements Callable<Integer> {
        private final Map<String, String> env;
        private final PrintWriter out;
        private final PrintWriter err;

        @Option(names = "--workspace", paramLabel = "NAME", converter = WorkspaceConverter.class,
                description = "Only this workspace.")
        WorkspaceName workspace;

        ListKeys(Map<String, String> env, PrintWriter out, PrintWriter err) {
            this.env = env;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
                var keys = parley.keys().list(Optional.ofNullable(workspace));
                for (ApiKey key : keys) {
                    out.println(String.join("\t", key.id(), key.workspace(), Scope.format(key.scopes()),
                            Instant.ofEpochMilli(key.createdAt()).toString(),
                            key.revokedAt().map(at -> "revoked " + Instant.ofEpochMilli(at)).orElse("active")));
                }
                err.println("parley: " + keys.size() + (keys.size() == 1 ? " key" : " keys"));
                return 0;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key; the next request that presents it is refused.")
    static final class Revoke implements Callable<Integer> {
        private final Map<String, String> env;
        private final PrintWriter err;

        @Parameters(paramLabel = "ID", description = "The key's id, as 'keys list' shows it.")
        String id;

        Revoke(Map<String, String> env, PrintWriter out, PrintWriter err) {
            this.env = env;
            this.err = err;
        }

        @Override
        public Integer call() {
            try (Parley parley = Parley.open(Config.fromEnvironment(env))) {
                parley.keys().revoke(id);
                err.println("parley: revoked key " + id);
                return 0;
            }
        }
    }

    static final class ScopesConverter implements CommandLine.ITypeConverter<Set<Scope>> {
        @Override
        public Set<Scope> convert(String value) {
            try {
                return Scope.parseList(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class WorkspaceConverter implements CommandLine.ITypeConverter<WorkspaceName> {
        @Override
        public WorkspaceName convert(String value) {
            try {
                return new WorkspaceName(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
