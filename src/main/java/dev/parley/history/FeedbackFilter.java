package dev.parley.history;

import java.util.Locale;
import java.util.Optional;

/** The feedback a conversation must have: a thumb either way, or none at all. */
public enum FeedbackFilter {
    THUMBS_UP, THUMBS_DOWN, NO_FEEDBACK;

    public static final String ALLOWED = "thumbs_up, thumbs_down, no_feedback";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FeedbackFilter> fromWire(String text) {
        for (FeedbackFilter filter : values()) {
            if (filter.wireName().equals(text)) {
                return Optional.of(filter);
            }
        }
        return Optional.empty();
    }

    /** The conversation-level feedback this filter matches; empty for {@link #NO_FEEDBACK}. */
    Optional<FeedbackType> feedbackType() {
        return switch (this) {
            case THUMBS_UP -> Optional.of(FeedbackType.THUMBS_UP);
            case THUMBS_DOWN -> Optional.of(FeedbackType.THUMBS_DOWN);
            case NO_FEEDBACK -> Optional.empty();
        };
    }
}
