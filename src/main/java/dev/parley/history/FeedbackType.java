package dev.parley.history;

import java.util.Locale;
import java.util.Optional;

/** What the end user thought of an answer. */
public enum FeedbackType {
    THUMBS_UP, THUMBS_DOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FeedbackType> fromWire(String text) {
        for (FeedbackType type : values()) {
            if (type.wireName().equals(text)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** A stored column's value: null is no feedback. */
    static Optional<FeedbackType> stored(String wire) {
        return wire == null ? Optional.empty() : fromWire(wire);
    }

    static String toStored(Optional<FeedbackType> feedback) {
        return feedback.map(FeedbackType::wireName).orElse(null);
    }
}
