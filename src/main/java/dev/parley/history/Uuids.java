package dev.parley.history;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Ids on the wire: canonical 8-4-4-4-12 hex UUIDs, in any case, compared as lowercase. */
public final class Uuids {

    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Uuids() {
    }

    /** The UUID, or empty when the text is not a canonical UUID (Java's own parser accepts far more). */
    public static Optional<UUID> parse(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text.toLowerCase(Locale.ROOT)));
    }

    public static UUID require(String field, String text) {
        return parse(text).orElseThrow(() -> new InvalidField(field,
                "must be a UUID such as 'a35607bc-8008-44fd-9991-1d7c2c5c3f22'"));
    }
}
