package dev.parley.cli;

import dev.parley.Config;
import dev.parley.store.StoreException;
import dev.parley.transfer.SpoolUnavailable;
import dev.parley.workspace.NoSuchKey;
import dev.parley.workspace.NoSuchWorkspace;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line. Output meant for scripts (a new secret, the key list) goes to standard
 * output; everything else to standard error. A bad option, value or setting, a file or port that
 * cannot be used, a store that cannot be reached: one line on standard error and exit code 2.
 * Only a bug (exit code 1) prints a stack trace.
 */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Chat history for AI customer-support bots: the service and its admin commands.",
        subcommands = CommandLine.HelpCommand.class)
public final class Cli implements Runnable {

    public static final int USAGE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
        ProgressBars bars = ProgressBars.on(err);
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("serve", () -> new ServeCommand(env, outWriter, errWriter));
        commands.put("keys", () -> new CommandLine(new KeysCommand())
                .addSubcommand("create", new KeysCommand.Create(env, outWriter, errWriter))
                .addSubcommand("list", new KeysCommand.ListKeys(env, outWriter, errWriter))
                .addSubcommand("revoke", new KeysCommand.Revoke(env, outWriter, errWriter)));
        commands.put("workspace", () -> new CommandLine(new WorkspaceCommand())
                .addSubcommand("show", new WorkspaceCommand.Show(env, outWriter))
                .addSubcommand("set", new WorkspaceCommand.Set(env, outWriter, errWriter))
                .addSubcommand("redact", new WorkspaceCommand.Redact(env, errWriter, bars)));
        commands.put("import", () -> new ImportCommand(env, errWriter, bars));
        commands.put("export", () -> new ExportCommand(env, errWriter, bars));
        commands.put("follow", () -> new FollowCommand(env, out, errWriter));
        commands.put("demo-data", () -> new DemoDataCommand(env, errWriter, bars));
        CommandLine commandLine = new CommandLine(new Cli());
        // Only the command asked for is modelled (picocli reads each one's annotations): the
        // service's start need not build the other commands. Help and mistakes see them all.
        boolean oneNamed = args.length > 0 && commands.containsKey(args[0]);
        commands.forEach((name, command) -> {
            if (!oneNamed || name.equals(args[0])) {
                commandLine.addSubcommand(name, command.get());
            }
        });
        commandLine.setOut(outWriter).setErr(errWriter);
        commandLine.setParameterExceptionHandler((error, badArgs) -> {
            errWriter.println("parley: " + error.getMessage().strip().replaceAll("\\s*\\R\\s*", "; ") + " (see '"
                    + error.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((error, failed, parseResult) -> {
            if (isExpected(error)) {
                errWriter.println("parley: " + error.getMessage());
                return USAGE;
            }
            errWriter.println("parley: unexpected failure: " + error);
            error.printStackTrace(errWriter);
            return 1;
        });
        return commandLine.execute(args);
    }

    private static boolean isExpected(Exception error) {
        return error instanceof Config.BadSetting || error instanceof StoreException || error instanceof NoSuchKey
                || error instanceof CommandFailed || error instanceof SpoolUnavailable
                || error instanceof NoSuchWorkspace || error instanceof IllegalArgumentException;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"parley " + (version == null ? "development build" : version)};
        }
    }
}
