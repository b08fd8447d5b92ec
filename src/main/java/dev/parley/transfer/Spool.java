package dev.parley.transfer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A temporary file (in {@code java.io.tmpdir}) that holds an import's checked lines until every
 * line is known to be good. Closing it closes and deletes the file on every path, a failed write
 * too: a deleted file that stayed open would hold its space until the process ends, and a full
 * temporary disk would then refuse every later import. A write that fails is a
 * {@link SpoolUnavailable}, never taken for the client's fault.
 */
final class Spool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    private final Path file;
    private final OutputStream channel;
    private final OutputStream out;
    private boolean written;

    private Spool(Path file, OutputStream channel) {
        this.file = file;
        this.channel = channel;
        this.out = new BufferedOutputStream(channel, 64 * 1024);
    }

    static Spool create() {
        Path file;
        try {
            file = Files.createTempFile("parley-import-", ".ndjson");
        } catch (IOException e) {
            throw new SpoolUnavailable(temporaryDirectory(), e);
        }
        try {
            return new Spool(file, Files.newOutputStream(file));
        } catch (IOException e) {
            deleteQuietly(file, e);
            throw new SpoolUnavailable(temporaryDirectory(), e);
        }
    }

    void append(String line) {
        try {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        } catch (IOException e) {
            throw new SpoolUnavailable(file.getParent(), e);
        }
    }

    /**
     * Everything appended, from the start, once the last line is appended; again for each call
     * (a transaction that lost a deadlock reads the lines anew).
     */
    InputStream read() {
        try {
            if (!written) {
                out.flush();
                channel.close();
                written = true;
            }
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new SpoolUnavailable(file.getParent(), e);
        }
    }

    @Override
    public void close() {
        IOException failure = null;
        try {
            channel.close(); // not through the buffer: flushing into a full disk would fail before closing
        } catch (IOException e) {
            failure = e;
        }
        deleteQuietly(file, failure);
    }

    private static void deleteQuietly(Path file, IOException earlier) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            if (earlier != null) {
                earlier.addSuppressed(e);
            }
            LOG.warn("cannot delete the import spool {}: {}", file,
                    e.getMessage());
        }
    }

    private static Path temporaryDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }
}
