package dev.parley.privacy;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces e-mail addresses, phone numbers and payment card numbers in free text by
 * {@code [EMAIL]}, {@code [PHONE]} and {@code [CARD]} (SPEC §10), each kind when asked for.
 *
 * <p>E-mail addresses by a pattern (Latin letters with accents, digits and {@code ._%+-} before
 * the {@code @}, a dotted domain with a Latin top-level name); card numbers by digits alone: 13 to
 * 19 of them, groups split by single spaces or dashes, a prefix that a card network issues
 * ({@code 22}–{@code 27}, {@code 3}, {@code 4}, {@code 5}, {@code 6}) and the Luhn check — the
 * prefix is what keeps the epoch-millisecond timestamps of today ({@code 17…}) apart, one in ten
 * of which pass Luhn. Phone numbers by Google's libphonenumber ({@link PhoneNumberUtil#findNumbers}
 * with {@link Leniency#VALID}: a number its metadata holds valid, not inside a word), in each
 * region named; a national number of a region whose numbers are written with a trunk prefix
 * ({@code 0} in GB, DE, FR) must be written with it — without it, digits such as an epoch-second
 * timestamp ({@code 1740407169}, a valid German mobile number on paper) would be taken.
 *
 * <p>Order matters: e-mail first (its digits are no phone), then cards (a card's digits hold
 * valid phone numbers), then phones. The markers hold no digits, so a later pass finds nothing in them.
 */
public final class Redactor implements UnaryOperator<String> {

    public static final String EMAIL = "[EMAIL]";
    public static final String PHONE = "[PHONE]";
    public static final String CARD = "[CARD]";

    private static final String LOCAL_CHAR = "[\\p{IsLatin}\\p{Nd}_%+\\-]";
    private static final Pattern EMAIL_ADDRESS = Pattern.compile(
            "(?<![\\p{IsLatin}\\p{Nd}._%+\\-])" + LOCAL_CHAR + "(?:[\\p{IsLatin}\\p{Nd}._%+\\-]*" + LOCAL_CHAR + ")?"
                    + "@(?:[\\p{IsLatin}\\p{Nd}](?:[\\p{IsLatin}\\p{Nd}\\-]*[\\p{IsLatin}\\p{Nd}])?\\.)+"
                    + "(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9\\-]{2,59})(?![\\p{IsLatin}\\p{Nd}_])");
    /** Groups of digits split by single spaces or dashes, not inside a word, an amount or an order number. */
    private static final Pattern DIGIT_RUN = Pattern.compile(
            "(?<![\\p{IsLatin}\\p{Nd}_#.,/:\\-])\\d+(?:[ \\-]\\d+)*(?![\\p{IsLatin}\\p{Nd}_]|[.,/:]\\d)");
    private static final Pattern DIGIT_GROUP = Pattern.compile("\\d+");
    /** No region's phone number has fewer digits: shorter text is not searched. */
    private static final int MIN_PHONE_DIGITS = 6;

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final Redaction kinds;
    private final PhoneRegions regions;

    public Redactor(Redaction kinds, PhoneRegions regions) {
        this.kinds = kinds;
        this.regions = regions;
    }

    public Redaction kinds() {
        return kinds;
    }

    @Override
    public String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        if (kinds.email() && result.indexOf('@') >= 0) {
            result = EMAIL_ADDRESS.matcher(result).replaceAll(Matcher.quoteReplacement(EMAIL));
        }
        if (kinds.card()) {
            result = redactCards(result);
        }
        if (kinds.phone() && digits(result) >= MIN_PHONE_DIGITS) {
            for (String region : regions.codes()) {
                result = redactPhones(result, region);
            }
        }
        return result;
    }

    private static int digits(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9' || Character.isDigit(c)) {
                count++;
            }
        }
        return count;
    }

    private record Span(int start, int end) {
    }

    private static String redactCards(String text) {
        List<Span> spans = new ArrayList<>();
        Matcher run = DIGIT_RUN.matcher(text);
        while (run.find()) {
            if (run.end() - run.start() < 13) {
                continue;
            }
            List<Span> groups = new ArrayList<>();
            Matcher group = DIGIT_GROUP.matcher(text).region(run.start(), run.end());
            while (group.find()) {
                groups.add(new Span(group.start(), group.end()));
            }
            cardsIn(text, groups, spans);
        }
        return replace(text, spans, CARD);
    }

    /** The longest card numbers made of whole consecutive groups, left to right. */
    private static void cardsIn(String text, List<Span> groups, List<Span> found) {
        int i = 0;
        while (i < groups.size()) {
            int matchedTo = -1;
            StringBuilder digits = new StringBuilder();
            for (int j = i; j < groups.size() && digits.length() < 19; j++) {
                digits.append(text, groups.get(j).start(), groups.get(j).end());
                if (digits.length() >= 13 && digits.length() <= 19 && isCardNumber(digits)) {
                    matchedTo = j;
                }
            }
            if (matchedTo >= 0) {
                found.add(new Span(groups.get(i).start(), groups.get(matchedTo).end()));
                i = matchedTo + 1;
            } else {
                i++;
            }
        }
    }

    static boolean isCardNumber(CharSequence digits) {
        int first = digits.charAt(0) - '0';
        int second = digits.charAt(1) - '0';
        boolean issued = first == 2 ? second >= 2 && second <= 7 : first >= 3 && first <= 6;
        return issued && passesLuhn(digits);
    }

    static boolean passesLuhn(CharSequence digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static String redactPhones(String text, String region) {
        List<Span> spans = new ArrayList<>();
        boolean trunkPrefixed = "0".equals(PHONES.getNddPrefixForRegion(region, true));
        for (PhoneNumberMatch match : PHONES.findNumbers(text, region, Leniency.VALID, Long.MAX_VALUE)) {
            String raw = match.rawString();
            if (trunkPrefixed && !writtenInternationallyOrWithTrunkPrefix(raw)
                    || partOfLargerToken(text, match.start(), match.end())
                    || NOT_A_PHONE.matcher(raw.replaceAll("^\\(|\\)$", "")).matches()) {
                continue;
            }
            spans.add(new Span(match.start(), match.end()));
        }
        return replace(text, spans, PHONE);
    }

    /**
     * Dotted digits that read as something else first: an IPv4 address, a date ({@code 06.03.2003}
     * is also a valid French number, which the French write with dots too), an amount with cents.
     */
    private static final Pattern NOT_A_PHONE = Pattern.compile(
            "\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|\\d{1,2}[./]\\d{1,2}[./]\\d{2,4}|\\d{4}[./-]\\d{1,2}[./-]\\d{1,2}"
                    + "|\\d{4,}[.,]\\d{1,2}");

    /**
     * Digits that continue a token on either side: a ticket {@code ZD-3107568}, an order {@code #…},
     * an amount {@code 3.101.232,64}, a longer dotted number.
     */
    private static boolean partOfLargerToken(String text, int start, int end) {
        if (start > 0) {
            char before = text.charAt(start - 1);
            if (before == '#' || (before == '-' || before == '.' || before == '/' || before == '_')
                    && start > 1 && Character.isLetterOrDigit(text.charAt(start - 2))) {
                return true;
            }
        }
        if (end + 1 < text.length()) {
            char after = text.charAt(end);
            return ".,:/-".indexOf(after) >= 0 && Character.isDigit(text.charAt(end + 1));
        }
        return false;
    }

    private static boolean writtenInternationallyOrWithTrunkPrefix(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '+' || c == '0' || c == '\uFF0B') {
                return true;
            }
            if (Character.isDigit(c)) {
                return false;
            }
        }
        return false;
    }

    private static String replace(String text, List<Span> spans, String marker) {
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Span span : spans) {
            out.append(text, at, span.start()).append(marker);
            at = span.end();
        }
        return out.append(text, at, text.length()).toString();
    }
}
