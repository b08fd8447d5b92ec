package dev.parley.dashboard;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files and its chart library, read from the class path on first use and then
 * kept in memory (some 200 KiB). Jetty's static handler would mount the jar as a zip file system
 * when the server starts — once for the dashboard and once for the WebJars, each reading the
 * whole directory of an 11,000-entry jar — which was a quarter of the service's start.
 */
final class DashboardFiles {

    /** Names made of plain segments with an extension below: no "..", no hidden file, no directory. */
    private static final Pattern PLAIN_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+\\.[a-z0-9]+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "js", "text/javascript;charset=utf-8",
            "mjs", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "svg", "image/svg+xml",
            "json", "application/json",
            "map", "application/json",
            "png", "image/png",
            "ico", "image/x-icon");

    private record File(byte[] bytes, String type, String etag) {
    }

    private final String root;
    private final Map<String, String> headers;
    private final Map<String, File> loaded = new ConcurrentHashMap<>();

    /** Files under {@code root} on the class path, answered with {@code headers}. */
    DashboardFiles(String root, Map<String, String> headers) {
        this.root = root;
        this.headers = headers;
    }

    /** Answers the file at {@code path} (a path under the root), or leaves a 404 to the server's refusal. */
    void answer(Context ctx, String path) {
        Optional<File> file = find(path);
        if (file.isEmpty()) {
            ctx.status(404);
            return;
        }
        headers.forEach(ctx::header);
        ctx.header("ETag", file.get().etag());
        if (matches(ctx.header("If-None-Match"), file.get().etag())) {
            ctx.status(304);
            return;
        }
        ctx.contentType(file.get().type());
        if (ctx.method() == HandlerType.HEAD) {
            ctx.header("Content-Length", Integer.toString(file.get().bytes().length));
        } else {
            ctx.result(file.get().bytes());
        }
    }

    private Optional<File> find(String path) {
        if (!PLAIN_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
        if (type == null) {
            return Optional.empty();
        }
        File known = loaded.get(path);
        if (known != null) {
            return Optional.of(known);
        }
        return read(root + path).map(bytes -> {
            File file = new File(bytes, type, etag(bytes));
            loaded.put(path, file); // only files that exist: a stream of made-up names grows nothing
            return file;
        });
    }

    private static Optional<byte[]> read(String resource) {
        try (InputStream in = DashboardFiles.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
        }
    }

    /** Weak, because the bytes on the wire differ when they are gzipped; equal content, equal tag. */
    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** If-None-Match: "*" or a list of tags, compared weakly (RFC 9110 §13.1.2). */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String opaque = etag.substring("W/".length());
        for (String tag : ifNoneMatch.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.equals("*") || (trimmed.startsWith("W/") ? trimmed.substring(2) : trimmed).equals(opaque)) {
                return true;
            }
        }
        return false;
    }
}
