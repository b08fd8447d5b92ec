package dev.parley.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;

/**
 * The web dashboard (SPEC §6): static pages and scripts from the jar, served at {@code /}, that
 * read the history through the same HTTP API as every other client. Nothing here touches the
 * store; the browser holds the key and sends it as a Bearer header.
 */
public final class Dashboard {

    /**
     * Only the server's own origin, no inline script or style, no plugins, no framing. The pages
     * need nothing else: chart libraries come from WebJars in the jar, and downloads are blobs
     * made from a fetch, which no directive restricts.
     */
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'");

    private static final String WEBJARS = "META-INF/resources/webjars";
    private static final String WEBJARS_PATH = "/webjars";
    /** The routes of the dashboard's files: pages for a browser, not API (the OpenAPI document leaves them out). */
    public static final List<String> PATHS = List.of("/", "/index.html", "/favicon.svg", "/js/*", "/css/*",
            WEBJARS_PATH + "/*");

    private Dashboard() {
    }

    /** Serves the dashboard's own files at {@code /} and the chart library from its WebJar. */
    public static void install(JavalinConfig config) {
        // The file names carry no version, so a browser must ask again after an upgrade.
        DashboardFiles pages = new DashboardFiles("dashboard", Map.of(
                "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                "Cache-Control", "no-cache",
                "Referrer-Policy", "no-referrer"));
        // A WebJar's path names its version: what is there never changes.
        DashboardFiles webjars = new DashboardFiles(WEBJARS, Map.of("Cache-Control", "max-age=31622400"));
        for (String path : PATHS) {
            Handler handler = switch (path) {
                case "/" -> ctx -> pages.answer(ctx, "/index.html");
                case WEBJARS_PATH + "/*" -> ctx -> webjars.answer(ctx, ctx.path().substring(WEBJARS_PATH.length()));
                default -> ctx -> pages.answer(ctx, ctx.path());
            };
            config.routes.get(path, handler);
            config.routes.head(path, handler);
        }
    }
}
