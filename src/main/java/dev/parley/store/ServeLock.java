package dev.parley.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Held by {@code parley serve} on its SQLite data directory for as long as it runs: a second
 * serve there would share the one write lock and fail half its writes with {@code SQLITE_BUSY},
 * so it is refused at start, naming the directory and the holder's pid. The operating system
 * drops the lock when the process ends, however it ends; the file stays, and means nothing
 * unlocked. CLI commands never take it: they share the store with a running serve.
 */
public final class ServeLock implements AutoCloseable {

    public static final String FILE = "serve.lock";

    private final FileChannel channel;

    private ServeLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Takes the data directory for this process, or refuses with the reason in one line. */
    public static ServeLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE).toAbsolutePath();
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldByThisProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new StoreException("the data directory " + dataDir.toAbsolutePath() + " is in use by another"
                        + " parley serve (" + holder + "); stop it first, or give this one another PARLEY_DATA_DIR",
                        null);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                    0);
            channel.force(false);
            return new ServeLock(channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock the data directory " + dataDir.toAbsolutePath() + " (" + file
                    + "): " + e.getMessage(), e);
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(32);
        channel.read(content, 0);
        String pid = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).trim();
        return pid.matches("\\d+") ? "pid " + pid : "pid unknown";
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the failure being reported matters more
            }
        }
    }

    /** Lets the directory go: closing the channel releases its lock. */
    @Override
    public void close() {
        closeQuietly(channel);
    }
}
