package dev.parley.api;

import dev.parley.history.HistoryQuery;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request's query string, decoded strictly from the raw text the client sent. Jetty's own
 * decoding is lenient: it drops a parameter with a malformed escape and turns invalid UTF-8 into
 * U+FFFD, so {@code ?source=zendesk&question=%zz} would answer every zendesk conversation. A filter
 * that cannot be read must be refused, never silently widened (SPEC §2), so every route that reads
 * parameters reads them through here.
 */
final class QueryParameters {

    static final String RULE = "cannot be decoded: a %-escape must be two hex digits, and the bytes must be UTF-8"
            + " (send '%' itself as %25), got '";

    private final Map<String, List<String>> values;

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    static QueryParameters of(Context ctx) {
        return parse(ctx.queryString());
    }

    /** {@code a=1&b=x%20y&a=2}, as sent; {@code +} is a space, as HTML forms and Python's requests send it. */
    static QueryParameters parse(String rawQuery) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String rawName = equals < 0 ? pair : pair.substring(0, equals);
                String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
                String name = decode(rawName).orElseThrow(() -> ApiError.invalidParameter(shown(rawName),
                        "the parameter name " + RULE + shown(rawName) + "'"));
                String value = decode(rawValue).orElseThrow(() -> ApiError.invalidParameter(name,
                        name + " " + RULE + shown(rawValue) + "'"));
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        values.replaceAll((name, list) -> List.copyOf(list));
        return new QueryParameters(Map.copyOf(values));
    }

    /** Every parameter with its values, in order: what {@link HistoryParameters} hands the history's parser. */
    Map<String, List<String>> asMap() {
        return values;
    }

    /** Every value given for the parameter, in order; none when it is absent. */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    private static Optional<String> decode(String raw) {
        if (raw.indexOf('\uFFFD') >= 0) {
            return Optional.empty(); // Jetty's stand-in for raw bytes that were not UTF-8
        }
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return Optional.of(raw);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high << 4 | low);
                i += 3;
            } else if (c == '+') {
                bytes.write(' ');
                i++;
            } else {
                int end = i;
                while (end < raw.length() && raw.charAt(end) != '%' && raw.charAt(end) != '+') {
                    end++;
                }
                bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String shown(String value) {
        return HistoryQuery.shown(value);
    }
}
