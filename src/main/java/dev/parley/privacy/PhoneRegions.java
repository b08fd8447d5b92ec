package dev.parley.privacy;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The regions whose national phone numbers (written without {@code +}) are redacted, from
 * {@code PARLEY_PHONE_REGIONS}: ISO 3166 codes that libphonenumber knows. International numbers
 * are found whatever the regions.
 */
public record PhoneRegions(List<String> codes) {

    public static final PhoneRegions DEFAULT = new PhoneRegions(List.of("US", "GB", "DE", "FR", "ES"));

    public PhoneRegions {
        codes = List.copyOf(codes);
        if (codes.isEmpty()) {
            throw new IllegalArgumentException("must name at least one region, such as US,GB,DE");
        }
        Set<String> known = PhoneNumberUtil.getInstance().getSupportedRegions();
        for (String code : codes) {
            if (!known.contains(code)) {
                throw new IllegalArgumentException("must be comma-separated ISO 3166 region codes such as"
                        + " US,GB,DE; '" + code + "' is not one");
            }
        }
    }

    /** Parses a comma-separated list such as {@code US,GB,DE}, in any case. */
    public static PhoneRegions parse(String text) {
        Set<String> codes = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            if (!part.isBlank()) {
                codes.add(part.trim().toUpperCase(Locale.ROOT));
            }
        }
        return new PhoneRegions(new ArrayList<>(codes));
    }
}
