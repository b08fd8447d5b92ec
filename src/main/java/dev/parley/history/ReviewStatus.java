package dev.parley.history;

import java.util.Locale;
import java.util.Optional;

/** The verdict of a review (SPEC §11). */
public enum ReviewStatus {
    REVIEWED, NEEDS_WORK;

    public static final String ALLOWED = "reviewed, needs_work";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReviewStatus> fromWire(String text) {
        for (ReviewStatus status : values()) {
            if (status.wireName().equals(text)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
