package dev.parley.history;

import java.util.Locale;
import java.util.Optional;

/**
 * The review a conversation must have: one with that status, or {@code unreviewed} — never
 * reviewed, or reviewed without a status.
 */
public enum ReviewStatusFilter {
    REVIEWED, NEEDS_WORK, UNREVIEWED;

    public static final String ALLOWED = "reviewed, needs_work, unreviewed";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReviewStatusFilter> fromWire(String text) {
        for (ReviewStatusFilter filter : values()) {
            if (filter.wireName().equals(text)) {
                return Optional.of(filter);
            }
        }
        return Optional.empty();
    }

    /** The status this filter matches; empty for {@link #UNREVIEWED}. */
    Optional<ReviewStatus> status() {
        return switch (this) {
            case REVIEWED -> Optional.of(ReviewStatus.REVIEWED);
            case NEEDS_WORK -> Optional.of(ReviewStatus.NEEDS_WORK);
            case UNREVIEWED -> Optional.empty();
        };
    }
}
