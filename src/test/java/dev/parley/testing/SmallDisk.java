package dev.parley.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, small filesystem (a tmpfs) that a test can fill to the last byte and free again. Mounting
 * needs root: CI runs as root; elsewhere the test is skipped, loudly.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path root;
    private final Path filler;

    private SmallDisk(Path root) {
        this.root = root;
        this.filler = root.resolve("filler");
    }

    /** Mounts a tmpfs of {@code mebibytes} on a new directory; skips the test when that is not allowed. */
    public static SmallDisk mount(int mebibytes) {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.err.println("""
                    ******************************************************************
                    SKIPPED: this test mounts a small tmpfs to fill it, which needs root.
                    Run it as root (CI does) to check what a full disk does.
                    ******************************************************************""");
        }
        Assumptions.assumeTrue(root, "mounting a tmpfs needs root");
        Path directory = TestStores.newDirectory();
        run("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m", "tmpfs", directory.toString());
        return new SmallDisk(directory);
    }

    public Path root() {
        return root;
    }

    /** Makes the filesystem's root directory another user's, e.g. the database server's. */
    public void giveTo(String user) {
        run("chown", user + ":", root.toString());
    }

    /** Writes a filler file until the filesystem refuses another byte. */
    public void fill() {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // No space left on device: what this method is for
        }
        byte[] one = new byte[4096];
        try (OutputStream out = Files.newOutputStream(root.resolve("filler-tail"))) {
            while (true) {
                out.write(one);
                out.flush();
            }
        } catch (IOException full) {
            // the last pages too
        }
    }

    /** Deletes the filler: the space is free again. */
    public void free() {
        try {
            Files.deleteIfExists(filler);
            Files.deleteIfExists(root.resolve("filler-tail"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long usableBytes() {
        try {
            return Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        run("umount", "-l", root.toString());
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
