package dev.parley.cli;

/** A command cannot do its work for a reason outside Parley (a file, a port); the message is its one line. */
final class CommandFailed extends RuntimeException {

    CommandFailed(String message) {
        super(message);
    }
}
