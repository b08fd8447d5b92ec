package dev.parley;

import dev.parley.cli.Cli;

/** {@code java -jar parley.jar <command>}: the service and its admin CLI in one jar. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int exitCode = Cli.run(args, System.getenv(), System.out, System.err);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
