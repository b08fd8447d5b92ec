package dev.parley.history;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A person's judgement of a conversation (SPEC §11): a status, labels and a note, with the key
 * that gave it and when. Holds only what the contract allows: at most {@value #MAX_LABELS} labels
 * of 1 to {@value #MAX_LABEL_LENGTH} characters (duplicates kept once, first first), a note of at
 * most 4 KiB of UTF-8.
 */
public record Review(Optional<ReviewStatus> status, List<String> labels, Optional<String> note, String reviewedBy,
                     long reviewedAt) {

    public static final int MAX_LABELS = 10;
    public static final int MAX_LABEL_LENGTH = 50;
    public static final int MAX_NOTE_BYTES = 4 * 1024;

    public Review {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reviewedBy, "reviewedBy");
        labels = checkedLabels(labels);
        note = checkedNote(note);
        Limits.epochMs("reviewedAt", reviewedAt);
    }

    /** What a reviewer says, before it is signed with the key and the time. */
    public record Verdict(Optional<ReviewStatus> status, List<String> labels, Optional<String> note) {

        public Verdict {
            Objects.requireNonNull(status, "status");
            labels = checkedLabels(labels);
            note = checkedNote(note);
        }

        Review by(String keyId, long at) {
            return new Review(status, labels, note, keyId, at);
        }
    }

    private static List<String> checkedLabels(List<String> given) {
        Objects.requireNonNull(given, "labels");
        if (given.size() > MAX_LABELS) {
            throw new InvalidField("labels", "must have at most " + MAX_LABELS + " entries, got " + given.size());
        }
        for (String label : given) {
            if (label == null || label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
                throw new InvalidField("labels", "entries must be strings of 1 to " + MAX_LABEL_LENGTH + " characters");
            }
            Limits.withoutNul("labels", label);
        }
        return List.copyOf(new ArrayList<>(new LinkedHashSet<>(given)));
    }

    private static Optional<String> checkedNote(Optional<String> given) {
        Objects.requireNonNull(given, "note");
        given.ifPresent(text -> {
            if (text.length() > MAX_NOTE_BYTES / 4 && text.getBytes(StandardCharsets.UTF_8).length > MAX_NOTE_BYTES) {
                throw new InvalidField("note", "must be at most " + MAX_NOTE_BYTES + " bytes of UTF-8 (4 KiB)");
            }
            Limits.withoutNul("note", text);
        });
        return given;
    }
}
