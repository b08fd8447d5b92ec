package dev.parley;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code PARLEY_*} setting, read once and validated. A bad value stops the start with a
 * {@link BadSetting} naming the setting; nothing is silently repaired.
 */
public record Config(int port, Path dataDir, Optional<String> databaseUrl, Optional<String> bootstrapKey,
                     long importMaxBytes) {

    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_IMPORT_MAX_BYTES = 1L << 30;
    public static final int MIN_BOOTSTRAP_KEY_LENGTH = 24;

    public Config {
        if (port < 0 || port > 65535) {
            throw new BadSetting("PARLEY_PORT", "must be a port number from 0 to 65535, got " + port);
        }
        databaseUrl.ifPresent(url -> {
            if (!url.startsWith("jdbc:postgresql://")) {
                throw new BadSetting("PARLEY_DATABASE_URL", "must be a jdbc:postgresql:// URL");
            }
        });
        if (importMaxBytes < 1) {
            throw new BadSetting("PARLEY_IMPORT_MAX_BYTES", "must be a positive number of bytes, got " + importMaxBytes);
        }
        bootstrapKey.ifPresent(key -> {
            if (key.length() < MIN_BOOTSTRAP_KEY_LENGTH || !key.chars().allMatch(c -> c > 32 && c < 127)) {
                throw new BadSetting("PARLEY_BOOTSTRAP_KEY",
                        "must be at least " + MIN_BOOTSTRAP_KEY_LENGTH + " printable ASCII characters without spaces");
            }
        });
    }

    /** The defaults for everything but the store and the port. */
    public Config(int port, Path dataDir, Optional<String> databaseUrl, Optional<String> bootstrapKey) {
        this(port, dataDir, databaseUrl, bootstrapKey, DEFAULT_IMPORT_MAX_BYTES);
    }

    public static Config fromEnvironment(Map<String, String> env) {
        return new Config(
                port(setting(env, "PARLEY_PORT")),
                setting(env, "PARLEY_DATA_DIR").map(Path::of).orElse(Path.of("data")),
                setting(env, "PARLEY_DATABASE_URL"),
                setting(env, "PARLEY_BOOTSTRAP_KEY"),
                bytes("PARLEY_IMPORT_MAX_BYTES", setting(env, "PARLEY_IMPORT_MAX_BYTES"), DEFAULT_IMPORT_MAX_BYTES));
    }

    private static long bytes(String name, Optional<String> value, long fallback) {
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.get().trim());
        } catch (NumberFormatException e) {
            throw new BadSetting(name, "must be a positive number of bytes, got '" + value.get() + "'");
        }
    }

    private static Optional<String> setting(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
    }

    private static int port(Optional<String> value) {
        if (value.isEmpty()) {
            return DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(value.get().trim());
        } catch (NumberFormatException e) {
            throw new BadSetting("PARLEY_PORT", "must be a port number from 0 to 65535, got '" + value.get() + "'");
        }
    }

    /** A setting that cannot be used; its message is one line a person can act on. */
    public static final class BadSetting extends RuntimeException {
        public BadSetting(String setting, String problem) {
            super(setting + " " + problem);
        }
    }
}
