package dev.parley.privacy;

import java.util.ArrayList;
import java.util.List;

/** Which kinds of personal data a workspace redacts from what it stores (SPEC §10). */
public record Redaction(boolean email, boolean phone, boolean card) {

    /** What a new workspace does: card numbers only. */
    public static final Redaction DEFAULT = new Redaction(false, false, true);
    public static final Redaction NONE = new Redaction(false, false, false);
    public static final Redaction ALL = new Redaction(true, true, true);

    public boolean any() {
        return email || phone || card;
    }

    /** The kinds on, comma-separated ({@code email,phone,card}), or {@code none}. */
    public String describe() {
        List<String> kinds = new ArrayList<>();
        if (email) {
            kinds.add("email");
        }
        if (phone) {
            kinds.add("phone");
        }
        if (card) {
            kinds.add("card");
        }
        return kinds.isEmpty() ? "none" : String.join(",", kinds);
    }

    /** Parses {@code email,phone,card} (any of them) or {@code none}; names what it cannot read. */
    public static Redaction parse(String text) {
        String trimmed = text.trim();
        if (trimmed.equals("none")) {
            return NONE;
        }
        boolean email = false;
        boolean phone = false;
        boolean card = false;
        for (String part : trimmed.split(",", -1)) {
            switch (part.trim()) {
                case "email" -> email = true;
                case "phone" -> phone = true;
                case "card" -> card = true;
                default -> throw new IllegalArgumentException("unknown kind '" + part.trim()
                        + "': allowed are email, phone, card, or none alone");
            }
        }
        return new Redaction(email, phone, card);
    }
}
