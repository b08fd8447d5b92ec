package dev.parley.history;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A question as the insight compares it (SPEC §11): questions that differ only in case, accents,
 * punctuation, spacing, digits or redaction tokens normalise to the same text.
 */
public final class QuestionText {

    private static final Pattern REDACTION_TOKENS = Pattern.compile("\\[(?:EMAIL|PHONE|CARD)]");
    private static final Pattern ACCENTS = Pattern.compile("\\p{M}+");
    /** Anything but a letter: punctuation, digits, symbols, spaces of every kind. */
    private static final Pattern NOT_LETTERS = Pattern.compile("[^\\p{L}]+");

    private QuestionText() {
    }

    /** Lowercase, without accents, redaction tokens, punctuation or digits, words one space apart. */
    public static String normalised(String question) {
        String text = REDACTION_TOKENS.matcher(question).replaceAll(" ");
        text = Normalizer.normalize(text, Normalizer.Form.NFKD);
        text = ACCENTS.matcher(text).replaceAll("");
        text = text.toLowerCase(Locale.ROOT);
        return NOT_LETTERS.matcher(text).replaceAll(" ").trim();
    }
}
