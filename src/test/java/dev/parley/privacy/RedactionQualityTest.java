package dev.parley.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Redaction's quality on a generated corpus (SPEC §10): at least 1,000 positives of each kind in
 * varied formats and languages, and 1,000 negatives that look numeric but are no personal data.
 * Recall must be at least 99% for cards and e-mail addresses and 95% for phone numbers; at most
 * 1% of the negatives may change. The figures are printed; the seed too, to replay a run.
 */
class RedactionQualityTest {

    private static final int PER_KIND = 1_200;
    private static final Redactor REDACTOR = new Redactor(Redaction.ALL, PhoneRegions.DEFAULT);
    private static final List<String> SENTENCES = List.of(
            "Please reach me at %s, thanks.", "Meine Angabe: %s — bitte prüfen.", "Mi dato es %s, gracias.",
            "Voici: %s. Merci d'avance !", "%s", "(%s)", "Contact → %s", "私の連絡先は %s です。",
            "Il mio riferimento è %s.", "ok so it's %s lol", "\"%s\"", "Details:\n%s\nEnd.");

    private final long seed = Long.getLong("redaction.seed", System.nanoTime());
    private final Random random = new Random(seed);

    @Test
    void redactionFindsCardsEmailsAndPhonesAndLeavesLookalikesAlone() {
        System.out.println("redaction corpus seed " + seed);
        double cards = recall("card", Redactor.CARD, this::card);
        double emails = recall("email", Redactor.EMAIL, this::email);
        double phones = recall("phone", Redactor.PHONE, this::phone);
        double falsePositives = falsePositiveRate();
        assertThat(cards).as("card recall").isGreaterThanOrEqualTo(0.99);
        assertThat(emails).as("e-mail recall").isGreaterThanOrEqualTo(0.99);
        assertThat(phones).as("phone recall").isGreaterThanOrEqualTo(0.95);
        assertThat(falsePositives).as("false positives").isLessThanOrEqualTo(0.01);
    }

    private double recall(String kind, String marker, Supplier<String> positives) {
        int found = 0;
        List<String> missed = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < PER_KIND; i++) {
            String value = positives.get();
            String text = String.format(Locale.ROOT, pick(SENTENCES), value);
            String redacted = REDACTOR.apply(text);
            // found: the marker took the value's place (perhaps with its brackets), and nothing of it is left
            if (redacted.contains(marker) && !redacted.contains(value)
                    && withoutBrackets(redacted).equals(withoutBrackets(text.replace(value, marker)))) {
                found++;
            } else if (missed.size() < 8) {
                missed.add(text + "  ->  " + redacted);
            }
        }
        double recall = (double) found / PER_KIND;
        System.out.printf(Locale.ROOT, "%-6s recall %d/%d = %.2f%% (%.0f µs a text)%n", kind, found, PER_KIND,
                recall * 100, (System.nanoTime() - started) / 1000.0 / PER_KIND);
        missed.forEach(text -> System.out.println("  missed: " + text));
        return recall;
    }

    private static String withoutBrackets(String text) {
        return text.replace("(", "").replace(")", "");
    }

    private double falsePositiveRate() {
        List<Supplier<String>> kinds = List.of(this::uuid, this::epochMillis, this::epochSeconds, this::date,
                this::time, this::orderNumber, this::ip, this::version, this::amount, this::ticket);
        int changed = 0;
        int total = PER_KIND * 2;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String text = String.format(Locale.ROOT, pick(SENTENCES), kinds.get(i % kinds.size()).get());
            String redacted = REDACTOR.apply(text);
            if (!redacted.equals(text)) {
                changed++;
                if (wrong.size() < 8) {
                    wrong.add(text + "  ->  " + redacted);
                }
            }
        }
        double rate = (double) changed / total;
        System.out.printf(Locale.ROOT, "negatives changed %d/%d = %.2f%%%n", changed, total, rate * 100);
        wrong.forEach(text -> System.out.println("  false positive: " + text));
        return rate;
    }

    // ---- positives

    private String card() {
        String[] prefixes = {"4", "4", "51", "52", "53", "54", "55", "2221", "2720", "34", "37", "6011", "65", "3528",
                "3589", "36", "62"};
        String prefix = pick(List.of(prefixes));
        int length = switch (prefix) {
            case "34", "37" -> 15;
            case "36" -> 14;
            case "4" -> random.nextInt(10) == 0 ? 13 : 16;
            case "62" -> 16 + random.nextInt(4);
            default -> 16;
        };
        StringBuilder digits = new StringBuilder(prefix);
        while (digits.length() < length - 1) {
            digits.append(random.nextInt(10));
        }
        for (int check = 0; check < 10; check++) {
            if (Redactor.passesLuhn(digits.toString() + check)) {
                digits.append(check);
                break;
            }
        }
        String number = digits.toString();
        return switch (random.nextInt(4)) {
            case 0 -> number;
            case 1 -> grouped(number, length == 15 ? new int[]{4, 6, 5} : new int[]{4, 4, 4, 4, 3}, " ");
            case 2 -> grouped(number, length == 15 ? new int[]{4, 6, 5} : new int[]{4, 4, 4, 4, 3}, "-");
            default -> grouped(number, new int[]{4, 4, 4, 4, 3}, random.nextBoolean() ? " " : "-");
        };
    }

    private static String grouped(String digits, int[] sizes, String separator) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int size : sizes) {
            if (at >= digits.length()) {
                break;
            }
            if (at > 0) {
                out.append(separator);
            }
            out.append(digits, at, Math.min(digits.length(), at + size));
            at += size;
        }
        if (at < digits.length()) {
            out.append(separator).append(digits.substring(at));
        }
        return out.toString();
    }

    private String email() {
        List<String> first = List.of("anna", "jean-luc", "müller", "josé", "zoë", "li.wei", "o'neil", "björn", "søren",
                "françois", "max", "k", "támas", "ewa", "ngozi", "dmitri", "agnès", "sam_99");
        List<String> domains = List.of("beispiel.de", "example.com", "mail.co.uk", "correo.es", "société.fr",
                "uni-münchen.de", "sub.domain.example.org", "gmx.net", "outlook.fr", "company.io", "xn--mnchen-3ya.de",
                "yahoo.co.jp", "posteo.ch", "example.travel");
        String local = pick(first).replace("'", "");
        local = switch (random.nextInt(5)) {
            case 0 -> local + "." + pick(first).replace("'", "");
            case 1 -> local + random.nextInt(1000);
            case 2 -> local + "+" + pick(List.of("news", "support", "x"));
            case 3 -> local.toUpperCase(Locale.ROOT);
            default -> local;
        };
        return local + "@" + pick(domains);
    }

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /** A valid number (by libphonenumber's metadata) of one of the default regions, written as people write it. */
    private String phone() {
        while (true) {
            String candidate = switch (random.nextInt(12)) {
                case 0 -> String.format(Locale.ROOT, "(%s) %03d-%04d", pick(List.of("415", "212", "646", "312",
                        "617", "206", "305", "702")), 200 + random.nextInt(800), random.nextInt(10_000));
                case 1 -> String.format(Locale.ROOT, "%s-%03d-%04d", pick(List.of("415", "213", "718", "404", "503")),
                        200 + random.nextInt(800), random.nextInt(10_000));
                case 2 -> String.format(Locale.ROOT, "+1 %s %03d %04d", pick(List.of("415", "646", "512", "720")),
                        200 + random.nextInt(800), random.nextInt(10_000));
                case 3 -> String.format(Locale.ROOT, "+44 20 7%03d %04d", random.nextInt(1000), random.nextInt(10_000));
                case 4 -> String.format(Locale.ROOT, "020 7%03d %04d", random.nextInt(1000), random.nextInt(10_000));
                case 5 -> String.format(Locale.ROOT, "07700 9%05d", random.nextInt(100_000));
                case 6 -> String.format(Locale.ROOT, "+49 30 %08d", random.nextInt(100_000_000));
                case 7 -> String.format(Locale.ROOT, "0151 %08d", random.nextInt(100_000_000));
                case 8 -> String.format(Locale.ROOT, "0%d %02d %02d %02d %02d", 1 + random.nextInt(5),
                        random.nextInt(100), random.nextInt(100), random.nextInt(100), random.nextInt(100));
                case 9 -> String.format(Locale.ROOT, "+33 6 %02d %02d %02d %02d", random.nextInt(100),
                        random.nextInt(100), random.nextInt(100), random.nextInt(100));
                case 10 -> String.format(Locale.ROOT, "+34 91%d %03d %03d", random.nextInt(10), random.nextInt(1000),
                        random.nextInt(1000));
                default -> String.format(Locale.ROOT, "6%02d %03d %03d", random.nextInt(100), random.nextInt(1000),
                        random.nextInt(1000));
            };
            if (isValidInDefaultRegions(candidate)) {
                return candidate;
            }
        }
    }

    private static boolean isValidInDefaultRegions(String number) {
        for (String region : PhoneRegions.DEFAULT.codes()) {
            try {
                if (PHONES.isValidNumberForRegion(PHONES.parse(number, region), region)) {
                    return true;
                }
            } catch (NumberParseException e) {
                // not a number there
            }
        }
        return false;
    }

    // ---- negatives

    private String uuid() {
        return UUID.randomUUID().toString();
    }

    private String epochMillis() {
        return Long.toString(1_500_000_000_000L + (long) (random.nextDouble() * 400_000_000_000L));
    }

    private String epochSeconds() {
        return Long.toString(1_500_000_000L + random.nextInt(400_000_000));
    }

    private String date() {
        int year = 1990 + random.nextInt(50);
        int month = 1 + random.nextInt(12);
        int day = 1 + random.nextInt(28);
        return switch (random.nextInt(5)) {
            case 0 -> String.format(Locale.ROOT, "%d-%02d-%02d", year, month, day);
            case 1 -> String.format(Locale.ROOT, "%02d.%02d.%d", day, month, year);
            case 2 -> String.format(Locale.ROOT, "%d/%d/%d", month, day, year);
            case 3 -> String.format(Locale.ROOT, "%d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, random.nextInt(24),
                    random.nextInt(60), random.nextInt(60));
            default -> String.format(Locale.ROOT, "%d%02d%02d", year, month, day);
        };
    }

    private String time() {
        return random.nextBoolean()
                ? String.format(Locale.ROOT, "%02d:%02d", random.nextInt(24), random.nextInt(60))
                : String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", random.nextInt(24), random.nextInt(60),
                        random.nextInt(60), random.nextInt(1000));
    }

    private String orderNumber() {
        return switch (random.nextInt(3)) {
            case 0 -> String.format(Locale.ROOT, "#%d-%03d", 1000 + random.nextInt(9000), random.nextInt(1000));
            case 1 -> String.format(Locale.ROOT, "order %d", 100_000 + random.nextInt(900_000));
            default -> String.format(Locale.ROOT, "INV-%d-%05d", 2020 + random.nextInt(10), random.nextInt(100_000));
        };
    }

    private String ip() {
        return random.nextInt(4) == 0
                ? String.format(Locale.ROOT, "2001:db8:%x::%x", random.nextInt(65536), random.nextInt(65536))
                : String.format(Locale.ROOT, "%d.%d.%d.%d", 1 + random.nextInt(254), random.nextInt(256),
                        random.nextInt(256), random.nextInt(256));
    }

    private String version() {
        return String.format(Locale.ROOT, pick(List.of("v%d.%d.%d", "%d.%d.%d", "%d.%d.%d-beta.1", "build %d.%d.%d")),
                random.nextInt(20), random.nextInt(100), random.nextInt(1000));
    }

    private String amount() {
        return switch (random.nextInt(4)) {
            case 0 -> String.format(Locale.ROOT, "$%,d.%02d", random.nextInt(10_000_000), random.nextInt(100));
            case 1 -> String.format(Locale.GERMANY, "%,d,%02d €", random.nextInt(10_000_000), random.nextInt(100));
            case 2 -> String.format(Locale.ROOT, "USD %d.%02d", random.nextInt(100_000_000), random.nextInt(100));
            default -> String.format(Locale.ROOT, "£%d", random.nextInt(100_000));
        };
    }

    private String ticket() {
        return String.format(Locale.ROOT, pick(List.of("ticket %d", "ZD-%d", "case #%d", "PR %d")),
                random.nextInt(10_000_000));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
