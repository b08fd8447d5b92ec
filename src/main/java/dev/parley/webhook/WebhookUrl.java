package dev.parley.webhook;

import dev.parley.history.InvalidField;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a webhook's deliveries go: an absolute {@code http} or {@code https} URL with a host and
 * no user info, at most {@link #MAX_LENGTH} characters. Whether its host may be reached is the
 * {@link AddressPolicy}'s question, asked again at every delivery.
 */
public record WebhookUrl(URI uri) {

    public static final int MAX_LENGTH = 2048;

    public WebhookUrl {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidField("url", "must be an http or https URL, got '" + abbreviate(uri.toString()) + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidField("url", "must name a host, got '" + abbreviate(uri.toString()) + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidField("url", "must not hold a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw new InvalidField("url", "must not hold a fragment (#...)");
        }
    }

    public static WebhookUrl parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new InvalidField("url", "must be at most " + MAX_LENGTH + " characters, got " + text.length());
        }
        try {
            return new WebhookUrl(new URI(text));
        } catch (URISyntaxException e) {
            throw new InvalidField("url", "is not a valid URL: " + e.getReason() + ", in '" + abbreviate(text) + "'");
        }
    }

    public boolean https() {
        return uri.getScheme().equalsIgnoreCase("https");
    }

    /** The host as a name or an address, without the brackets of an IPv6 literal. */
    public String host() {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    public int port() {
        return uri.getPort() >= 0 ? uri.getPort() : https() ? 443 : 80;
    }

    /** What goes on the request line: the path and query, {@code /} when there is none. */
    public String target() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** The Host header: the name as given, with the port when it is not the scheme's own. */
    public String hostHeader() {
        boolean defaultPort = uri.getPort() < 0 || uri.getPort() == (https() ? 443 : 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
