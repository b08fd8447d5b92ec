package dev.parley.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * SQLite's native library, copied out of the driver's jar once and kept in the data directory.
 * Left to itself the driver copies it to the temporary directory at every start, after comparing
 * the copy there with the jar's a byte at a time: a tenth of the service's start. The copy is named
 * by the driver's version and platform, so an upgrade makes a new one; a copy that cannot be
 * made or loaded (a read-only or noexec directory) only leaves the driver to do as before.
 */
final class SqliteLibrary {

    private static final String PATH = "org.sqlite.lib.path";
    private static final String NAME = "org.sqlite.lib.name";
    private static final AtomicBoolean CHOSEN = new AtomicBoolean();

    private SqliteLibrary() {
    }

    /** Before the first SQLite connection of this process; later calls change nothing. */
    static void keepIn(Path dataDir) {
        if (System.getProperty(PATH) != null || !CHOSEN.compareAndSet(false, true)) {
            return; // the operator chose a library, or the driver has been pointed at one already
        }
        String platform = OSInfo.getNativeLibFolderPathForCurrentOS();
        String name = System.mapLibraryName("sqlitejdbc");
        Path directory = dataDir.resolve("native")
                .resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-" + platform.replace('/', '-'));
        try {
            Path library = directory.resolve(name);
            if (!Files.isRegularFile(library)) {
                copy("org/sqlite/native/" + platform + "/" + name, directory, library);
            }
            System.setProperty(PATH, directory.toString());
            System.setProperty(NAME, name);
        } catch (IOException e) {
            // the driver extracts it to the temporary directory, as it always did
        }
    }

    /** Whole or not at all: written beside its name, then renamed, so no start maps half a library. */
    private static void copy(String resource, Path directory, Path library) throws IOException {
        try (InputStream in = SQLiteJDBCLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the driver has no library for this platform: " + resource);
            }
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, "library", ".partial");
            try {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
    }
}
