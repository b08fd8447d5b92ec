package dev.parley;

import dev.parley.privacy.PhoneRegions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code PARLEY_*} setting, read once and validated. A bad value stops the start with a
 * {@link BadSetting} naming the setting; nothing is silently repaired.
 */
public record Config(int port, Path dataDir, Optional<String> databaseUrl, Optional<String> bootstrapKey,
                     long importMaxBytes, int rateLimit, Duration shutdownTimeout, LogFormat logFormat,
                     int maxConcurrentRequests, int maxQueuedRequests, Optional<String> host,
                     Duration writeTimeout, int tombstoneDays, boolean webhookAllowPrivate, PhoneRegions phoneRegions,
                     Duration retentionSweep, int databasePoolSize) {

    /** How log lines are written: plain text for people, JSON for log collectors. */
    public enum LogFormat { PLAIN, JSON }

    public static final int DEFAULT_RATE_LIMIT = 200;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 256;
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** How long deletions are kept for the changes feed, and how long its cursors stay good (SPEC §8). */
    public static final int DEFAULT_TOMBSTONE_DAYS = 30;
    public static final int MAX_TOMBSTONE_DAYS = 3650;
    public static final Duration DEFAULT_RETENTION_SWEEP = Duration.ofHours(1);
    /** PostgreSQL connections per pool (writers, readers): with the streams' 4, 36 per instance. */
    public static final int DEFAULT_DATABASE_POOL_SIZE = 16;

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
        if (rateLimit < 0) {
            throw new BadSetting("PARLEY_RATE_LIMIT", "must be a whole number of requests per second (0: off), got "
                    + rateLimit);
        }
        if (shutdownTimeout.isNegative()) {
            throw new BadSetting("PARLEY_SHUTDOWN_TIMEOUT", "must be a number of seconds, got " + shutdownTimeout);
        }
        if (writeTimeout.toMillis() < 1) {
            throw new BadSetting("PARLEY_WRITE_TIMEOUT", "must be a whole number of seconds, at least 1, got "
                    + writeTimeout.toSeconds());
        }
        if (tombstoneDays < 1 || tombstoneDays > MAX_TOMBSTONE_DAYS) {
            throw new BadSetting("PARLEY_TOMBSTONE_DAYS", "must be a whole number of days from 1 to "
                    + MAX_TOMBSTONE_DAYS + ", got " + tombstoneDays);
        }
        if (databasePoolSize < 1) {
            throw new BadSetting("PARLEY_DATABASE_POOL_SIZE", "must be a whole number of connections, at least 1, got "
                    + databasePoolSize);
        }
        if (maxConcurrentRequests < 1) {
            throw new BadSetting("PARLEY_MAX_CONCURRENT_REQUESTS", "must be at least 1, got " + maxConcurrentRequests);
        }
        if (importMaxBytes < 1) {
            throw new BadSetting("PARLEY_IMPORT_MAX_BYTES", "must be a positive number of bytes, got " + importMaxBytes);
        }
        if (retentionSweep.toMillis() < 1) {
            throw new BadSetting("PARLEY_RETENTION_SWEEP_SECONDS", "must be a whole number of seconds, at least 1, got "
                    + retentionSweep.toSeconds());
        }
        java.util.Objects.requireNonNull(phoneRegions, "phoneRegions");
        host.ifPresent(Config::requireLocalAddress);
        bootstrapKey.ifPresent(key -> {
            if (key.length() < MIN_BOOTSTRAP_KEY_LENGTH || !key.chars().allMatch(c -> c > 32 && c < 127)) {
                throw new BadSetting("PARLEY_BOOTSTRAP_KEY",
                        "must be at least " + MIN_BOOTSTRAP_KEY_LENGTH + " printable ASCII characters without spaces");
            }
        });
    }

    /** The defaults for everything but the store and the port. */
    public Config(int port, Path dataDir, Optional<String> databaseUrl, Optional<String> bootstrapKey) {
        this(port, dataDir, databaseUrl, bootstrapKey, DEFAULT_IMPORT_MAX_BYTES, DEFAULT_RATE_LIMIT,
                DEFAULT_SHUTDOWN_TIMEOUT, LogFormat.PLAIN, DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_QUEUED_REQUESTS,
                Optional.empty(), DEFAULT_WRITE_TIMEOUT, DEFAULT_TOMBSTONE_DAYS, false, PhoneRegions.DEFAULT,
                DEFAULT_RETENTION_SWEEP, DEFAULT_DATABASE_POOL_SIZE);
    }

    public static Config fromEnvironment(Map<String, String> env) {
        return new Config(
                port(setting(env, "PARLEY_PORT")),
                setting(env, "PARLEY_DATA_DIR").map(Path::of).orElse(Path.of("data")),
                setting(env, "PARLEY_DATABASE_URL"),
                setting(env, "PARLEY_BOOTSTRAP_KEY"),
                bytes("PARLEY_IMPORT_MAX_BYTES", setting(env, "PARLEY_IMPORT_MAX_BYTES"), DEFAULT_IMPORT_MAX_BYTES),
                (int) wholeNumber("PARLEY_RATE_LIMIT", setting(env, "PARLEY_RATE_LIMIT"), DEFAULT_RATE_LIMIT,
                        "a whole number of requests per second (0: off)"),
                Duration.ofSeconds(wholeNumber("PARLEY_SHUTDOWN_TIMEOUT", setting(env, "PARLEY_SHUTDOWN_TIMEOUT"),
                        DEFAULT_SHUTDOWN_TIMEOUT.toSeconds(), "a whole number of seconds")),
                logFormat(setting(env, "PARLEY_LOG_FORMAT")),
                (int) wholeNumber("PARLEY_MAX_CONCURRENT_REQUESTS", setting(env, "PARLEY_MAX_CONCURRENT_REQUESTS"),
                        DEFAULT_MAX_CONCURRENT_REQUESTS, "a whole number of requests, at least 1"),
                (int) wholeNumber("PARLEY_MAX_QUEUED_REQUESTS", setting(env, "PARLEY_MAX_QUEUED_REQUESTS"),
                        DEFAULT_MAX_QUEUED_REQUESTS, "a whole number of requests"),
                setting(env, "PARLEY_HOST").map(host -> host.trim().replaceAll("^\\[(.*)]$", "$1")),
                Duration.ofSeconds(wholeNumber("PARLEY_WRITE_TIMEOUT", setting(env, "PARLEY_WRITE_TIMEOUT"),
                        DEFAULT_WRITE_TIMEOUT.toSeconds(), "a whole number of seconds, at least 1")),
                (int) wholeNumber("PARLEY_TOMBSTONE_DAYS", setting(env, "PARLEY_TOMBSTONE_DAYS"),
                        DEFAULT_TOMBSTONE_DAYS, "a whole number of days from 1 to " + MAX_TOMBSTONE_DAYS),
                flag("PARLEY_WEBHOOK_ALLOW_PRIVATE", setting(env, "PARLEY_WEBHOOK_ALLOW_PRIVATE")),
                phoneRegions(setting(env, "PARLEY_PHONE_REGIONS")),
                Duration.ofSeconds(wholeNumber("PARLEY_RETENTION_SWEEP_SECONDS",
                        setting(env, "PARLEY_RETENTION_SWEEP_SECONDS"), DEFAULT_RETENTION_SWEEP.toSeconds(),
                        "a whole number of seconds, at least 1")),
                (int) wholeNumber("PARLEY_DATABASE_POOL_SIZE", setting(env, "PARLEY_DATABASE_POOL_SIZE"),
                        DEFAULT_DATABASE_POOL_SIZE, "a whole number of connections, at least 1"));
    }

    /** Returns this configuration with another port: the tests serve on a free one. */
    public Config withPort(int newPort) {
        return new Config(newPort, dataDir, databaseUrl, bootstrapKey, importMaxBytes, rateLimit, shutdownTimeout,
                logFormat, maxConcurrentRequests, maxQueuedRequests, host, writeTimeout, tombstoneDays, webhookAllowPrivate,
                phoneRegions, retentionSweep, databasePoolSize);
    }

    public Config withRateLimit(int perSecond) {
        return new Config(port, dataDir, databaseUrl, bootstrapKey, importMaxBytes, perSecond, shutdownTimeout,
                logFormat, maxConcurrentRequests, maxQueuedRequests, host, writeTimeout, tombstoneDays, webhookAllowPrivate,
                phoneRegions, retentionSweep, databasePoolSize);
    }

    /** Serves on one interface only (none: every interface). */
    public Config withHost(Optional<String> address) {
        return new Config(port, dataDir, databaseUrl, bootstrapKey, importMaxBytes, rateLimit, shutdownTimeout,
                logFormat, maxConcurrentRequests, maxQueuedRequests, address, writeTimeout, tombstoneDays, webhookAllowPrivate,
                phoneRegions, retentionSweep, databasePoolSize);
    }

    public Config withCapacity(int concurrent, int queued) {
        return new Config(port, dataDir, databaseUrl, bootstrapKey, importMaxBytes, rateLimit, shutdownTimeout,
                logFormat, concurrent, queued, host, writeTimeout, tombstoneDays, webhookAllowPrivate,
                phoneRegions, retentionSweep, databasePoolSize);
    }

    /** How long deletions are kept for the changes feed. */
    public Config withTombstoneDays(int days) {
        return new Config(port, dataDir, databaseUrl, bootstrapKey, importMaxBytes, rateLimit, shutdownTimeout,
                logFormat, maxConcurrentRequests, maxQueuedRequests, host, writeTimeout, days, webhookAllowPrivate,
                phoneRegions, retentionSweep, databasePoolSize);
    }

    /** How long a write may wait for the store before it is refused as unavailable. */
    public Config withWriteTimeout(Duration timeout) {
        return new Config(port, dataDir, databaseUrl, bootstrapKey, importMaxBytes, rateLimit, shutdownTimeout,
                logFormat, maxConcurrentRequests, maxQueuedRequests, host, timeout, tombstoneDays, webhookAllowPrivate,
                phoneRegions, retentionSweep, databasePoolSize);
    }

    /** Lets webhooks reach loopback and private addresses: for tests and closed networks only. */
    public Config withWebhookAllowPrivate(boolean allow) {
        return new Config(port, dataDir, databaseUrl, bootstrapKey, importMaxBytes, rateLimit, shutdownTimeout,
                logFormat, maxConcurrentRequests, maxQueuedRequests, host, writeTimeout, tombstoneDays, allow,
                phoneRegions, retentionSweep, databasePoolSize);
    }

    private static boolean flag(String name, Optional<String> value) {
        return switch (value.map(v -> v.trim().toLowerCase(java.util.Locale.ROOT)).orElse("false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadSetting(name, "must be true or false, got '" + value.get() + "'");
        };
    }

    private static long wholeNumber(String name, Optional<String> value, long fallback, String rule) {
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value.get().trim());
            if (number >= 0 && number <= Integer.MAX_VALUE) {
                return number;
            }
        } catch (NumberFormatException e) {
            // the message below says what is allowed
        }
        throw new BadSetting(name, "must be " + rule + ", got '" + value.get() + "'");
    }

    /**
     * PARLEY_HOST names the interface to listen on by its address. Only an IP address is taken, so
     * that no name lookup happens at start, and it must be this machine's: a start that could only
     * fail when it binds fails here, naming the setting.
     */
    private static void requireLocalAddress(String host) {
        String rule = "must be an IP address of this machine, such as 127.0.0.1 or ::1 (unset: every interface), got '"
                + host + "'";
        boolean ipv4 = host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")
                && java.util.Arrays.stream(host.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        // with a colon, Java reads it as an IPv6 literal and never looks the name up
        boolean literal = ipv4 || host.matches("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");
        if (!literal) {
            throw new BadSetting("PARLEY_HOST", rule);
        }
        try {
            java.net.InetAddress address = java.net.InetAddress.getByName(host);
            if (!address.isAnyLocalAddress() && java.net.NetworkInterface.getByInetAddress(address) == null) {
                throw new BadSetting("PARLEY_HOST", "must be an IP address of this machine; no interface has " + host);
            }
        } catch (java.io.IOException e) {
            throw new BadSetting("PARLEY_HOST", rule);
        }
    }

    /** How often the retention sweep runs: the tests sweep every second. */
    public Config withRetentionSweep(Duration interval) {
        return new Config(port, dataDir, databaseUrl, bootstrapKey, importMaxBytes, rateLimit, shutdownTimeout,
                logFormat, maxConcurrentRequests, maxQueuedRequests, host, writeTimeout, tombstoneDays, webhookAllowPrivate,
                phoneRegions, interval, databasePoolSize);
    }

    private static PhoneRegions phoneRegions(Optional<String> value) {
        if (value.isEmpty()) {
            return PhoneRegions.DEFAULT;
        }
        try {
            return PhoneRegions.parse(value.get());
        } catch (IllegalArgumentException e) {
            throw new BadSetting("PARLEY_PHONE_REGIONS", e.getMessage());
        }
    }

    private static LogFormat logFormat(Optional<String> value) {
        return switch (value.map(v -> v.trim().toLowerCase(java.util.Locale.ROOT)).orElse("plain")) {
            case "plain", "text" -> LogFormat.PLAIN;
            case "json" -> LogFormat.JSON;
            default -> throw new BadSetting("PARLEY_LOG_FORMAT", "must be plain or json, got '" + value.get() + "'");
        };
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
