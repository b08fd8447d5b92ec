package dev.parley.changes;

import dev.parley.history.FeedPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque cursor of the changes feed: a versioned place in one workspace's feed and the time
 * it was handed out, with a check that finds a cursor that was cut or altered. A cursor carries no
 * secret: one made up by hand reaches nothing but its own workspace's feed, like any other.
 */
public record ChangesCursor(long workspace, FeedPosition position, long issuedAt) {

    private static final byte VERSION = 1;
    private static final int BODY = 1 + 8 + 8 + 16 + 8;
    private static final int CHECK = 8;
    private static final byte[] DOMAIN = "parley changes cursor".getBytes(StandardCharsets.US_ASCII);
    /** Clocks of two instances may differ a little; more than this ahead is not a cursor we made. */
    private static final long FUTURE_SLACK_MS = Duration.ofHours(1).toMillis();

    public String encode() {
        ByteBuffer bytes = ByteBuffer.allocate(BODY + CHECK);
        bytes.put(VERSION).putLong(workspace).putLong(position.stamp())
                .putLong(position.after().getMostSignificantBits()).putLong(position.after().getLeastSignificantBits())
                .putLong(issuedAt);
        bytes.put(check(bytes.array()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * Reads a cursor that this workspace was given.
     *
     * @throws Invalid when it is malformed, altered, or another workspace's
     * @throws Expired when it is older than deletions are kept
     */
    public static ChangesCursor decode(String text, long workspace, long now, Duration lifetime) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid();
        }
        if (bytes.length != BODY + CHECK || bytes[0] != VERSION
                || !MessageDigest.isEqual(check(bytes), Arrays.copyOfRange(bytes, BODY, BODY + CHECK))) {
            throw new Invalid();
        }
        ByteBuffer read = ByteBuffer.wrap(bytes, 1, BODY - 1);
        long owner = read.getLong();
        FeedPosition position = new FeedPosition(read.getLong(), new UUID(read.getLong(), read.getLong()));
        long issuedAt = read.getLong();
        if (owner != workspace || issuedAt > now + FUTURE_SLACK_MS || position.stamp() < 0) {
            throw new Invalid();
        }
        if (now - issuedAt > lifetime.toMillis()) {
            throw new Expired(lifetime);
        }
        return new ChangesCursor(owner, position, issuedAt);
    }

    private static byte[] check(byte[] bytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            sha.update(bytes, 0, BODY);
            return Arrays.copyOf(sha.digest(), CHECK);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Not a cursor of this workspace's feed; says nothing of why, so it reveals nothing. */
    public static final class Invalid extends RuntimeException {
        Invalid() {
            super("cursor must be a nextCursor from this workspace's changes feed, or an export's"
                    + " Parley-Changes-Cursor, unchanged");
        }
    }

    /** Older than deletions are kept: the feed may have forgotten some since. */
    public static final class Expired extends RuntimeException {
        Expired(Duration lifetime) {
            super("cursor is older than " + lifetime.toDays() + " days (PARLEY_TOMBSTONE_DAYS), and deletions are kept"
                    + " no longer: load a new export and follow the changes from its Parley-Changes-Cursor");
        }
    }
}
