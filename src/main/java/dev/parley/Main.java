package dev.parley;

import dev.parley.cli.Cli;

/** {@code java -jar parley.jar <command>}: the service and its admin CLI in one jar. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) {
            Warmup.inBackground();
        }
        int exitCode = Cli.run(args, System.getenv(), System.out, System.err);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
