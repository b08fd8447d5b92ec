package dev.parley.history;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The sizes the contract allows (SPEC §1), checked where values are made. */
public final class Limits {

    public static final int MAX_TEXT_BYTES = 32 * 1024;
    public static final int MAX_CATEGORIES = 20;
    public static final int MAX_CATEGORY_LENGTH = 100;
    public static final int MAX_BASED_ON = 50;
    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_CHANNEL_LENGTH = 100;
    public static final int MAX_URL_LENGTH = 2048;
    /**
     * JSON (a body, an import line) nested deeper than this is refused, with a message that says
     * so; no conversation needs more, and parsing deeper only costs stack.
     */
    public static final int MAX_JSON_DEPTH = 100;
    /** The longest number JSON may hold, in characters (Jackson's own default, named). */
    public static final int MAX_JSON_NUMBER_LENGTH = 1000;
    /** What a document beyond the two limits above is told. */
    public static final String JSON_TOO_DEEP = "is nested deeper than " + MAX_JSON_DEPTH
            + " levels of arrays and objects, or holds a number longer than " + MAX_JSON_NUMBER_LENGTH
            + " characters: neither is allowed";

    /** Year 9999: a larger epoch-ms value is a unit mistake, not a date. */
    public static final long MAX_EPOCH_MS = 253_402_300_799_999L;

    private Limits() {
    }

    /** The parsing limits above, for a Jackson mapper. */
    public static com.fasterxml.jackson.core.StreamReadConstraints jsonConstraints() {
        return com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH)
                .maxNumberLength(MAX_JSON_NUMBER_LENGTH).build();
    }

    /** A conversation as it comes in (an import line), checked against the contract's limits; its requests apart. */
    public static Conversation incoming(Conversation conversation) {
        shortText("externalId", conversation.externalId(), MAX_ID_LENGTH);
        shortText("channel", conversation.channel(), MAX_CHANNEL_LENGTH);
        shortText("url", conversation.url(), MAX_URL_LENGTH);
        shortText("userId", conversation.userId(), MAX_ID_LENGTH);
        for (String category : conversation.categories()) {
            categoryEntry("categories", category);
        }
        epochMs("createdAt", conversation.createdAt());
        epochMs("updatedAt", conversation.updatedAt());
        return conversation;
    }

    /** A bot request as it comes in (an import line), checked against the contract's limits. */
    public static BotRequest incoming(BotRequest request) {
        text("question", request.question());
        text("answer", request.answer());
        categories("categories", request.categories());
        optionalText("reasoning", request.reasoning());
        epochMs("createdAt", request.createdAt());
        return request;
    }

    static String text(String field, String value) {
        if (value == null) {
            throw new InvalidField(field, "is required and must be a string");
        }
        if (value.length() > MAX_TEXT_BYTES / 4 && value.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            throw new InvalidField(field, "must be at most " + MAX_TEXT_BYTES + " bytes of UTF-8 (32 KiB)");
        }
        return withoutNul(field, value);
    }

    static Optional<String> optionalText(String field, Optional<String> value) {
        value.ifPresent(v -> text(field, v));
        return value;
    }

    static Optional<String> shortText(String field, Optional<String> value, int maxLength) {
        value.ifPresent(v -> {
            if (v.isEmpty() || v.length() > maxLength) {
                throw new InvalidField(field, "must be a string of 1 to " + maxLength + " characters");
            }
            withoutNul(field, v);
        });
        return value;
    }

    static List<String> categories(String field, List<String> categories) {
        if (categories.size() > MAX_CATEGORIES) {
            throw new InvalidField(field, "must have at most " + MAX_CATEGORIES + " entries, got " + categories.size());
        }
        for (String category : categories) {
            categoryEntry(field, category);
        }
        return List.copyOf(categories);
    }

    private static void categoryEntry(String field, String category) {
        if (category == null || category.isEmpty() || category.length() > MAX_CATEGORY_LENGTH) {
            throw new InvalidField(field, "entries must be strings of 1 to " + MAX_CATEGORY_LENGTH + " characters");
        }
        withoutNul(field, category);
    }

    /** PostgreSQL text cannot hold U+0000, so neither store accepts it. */
    static String withoutNul(String field, String value) {
        if (value.indexOf('\u0000') >= 0) {
            throw new InvalidField(field, "must not contain the NUL character (U+0000)");
        }
        return value;
    }

    static long epochMs(String field, long value) {
        if (value < 0 || value > MAX_EPOCH_MS) {
            throw new InvalidField(field, "must be epoch milliseconds from 0 to " + MAX_EPOCH_MS + ", got " + value);
        }
        return value;
    }
}
