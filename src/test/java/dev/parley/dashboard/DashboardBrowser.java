package dev.parley.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Debian's Chromium driven by Playwright, headless. Playwright never downloads a browser here:
 * it is told not to, and it is given the machine's Chromium ({@code bin/test} installs it).
 */
final class DashboardBrowser implements AutoCloseable {

    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    private final Playwright playwright;
    private final Browser browser;

    DashboardBrowser() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: install Debian's chromium package"
                    + " (apt-get install -y chromium; bin/test does it)");
        }
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                // Without these Chromium reaches for Google's hosts, which this network refuses.
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    /** A new tab in a fresh profile (no storage shared with other tests), 1280×800, in Berlin's time zone. */
    Tab open(String baseUrl) {
        return open(baseUrl, 1280, 800);
    }

    Tab open(String baseUrl, int width, int height) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(width, height)
                .setLocale("en-GB")
                .setTimezoneId("Europe/Berlin")
                .setAcceptDownloads(true));
        context.setDefaultTimeout(10_000);
        return new Tab(baseUrl, context);
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }

    /** One page and everything it did: its requests, dialogs, console errors and uncaught exceptions. */
    static final class Tab implements AutoCloseable {

        final String baseUrl;
        final BrowserContext context;
        final Page page;
        final List<Request> requests = new CopyOnWriteArrayList<>();
        final List<String> dialogs = new CopyOnWriteArrayList<>();
        final List<String> consoleErrors = new CopyOnWriteArrayList<>();
        final List<String> pageErrors = new CopyOnWriteArrayList<>();

        private Tab(String baseUrl, BrowserContext context) {
            this.baseUrl = baseUrl;
            this.context = context;
            context.onRequest(requests::add);
            page = context.newPage();
            page.onDialog(dialog -> {
                dialogs.add(dialog.type() + ": " + dialog.message());
                dialog.dismiss();
            });
            page.onConsoleMessage(message -> {
                if (message.type().equals("error")) {
                    consoleErrors.add(message.text());
                }
            });
            page.onPageError(pageErrors::add);
        }

        Page page() {
            return page;
        }

        /** Opens a dashboard address, e.g. {@code "/"} or {@code "/?view=trends"}. */
        Tab go(String path) {
            page.navigate(baseUrl + path);
            return this;
        }

        /**
         * Answers GET /v2/workspace as SPEC §10 does, with these scopes, for a server built before
         * that route existed (it comes from another branch); a server that has it answers itself.
         */
        void standInForTheWorkspaceRouteIfMissing(dev.parley.testing.TestServer server, String key, String... scopes) {
            if (server.get("/v2/workspace", key).status() != 404) {
                return;
            }
            String list = String.join(",", java.util.Arrays.stream(scopes).map(scope -> "\"" + scope + "\"").toList());
            page.route(baseUrl + "/v2/workspace", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                    .setStatus(200).setContentType("application/json")
                    .setBody("{\"name\":\"acme\",\"redaction\":{\"email\":false,\"phone\":false,\"card\":true},"
                            + "\"retentionDays\":null,\"scopes\":[" + list + "],\"keyId\":\"stand-in\"}")));
        }

        List<String> requestUrls() {
            return requests.stream().map(Request::url).toList();
        }

        /** The requests the page made to an API path, e.g. {@code "/v2/bots/stats"}. */
        List<Request> apiRequests(String path) {
            return requests.stream().filter(request -> request.url().startsWith(baseUrl + path)).toList();
        }

        /**
         * What every browser test asserts after it ran: the page asked nothing of any other
         * origin, opened no dialog, threw nothing, and logged no console error but those matching
         * {@code allowedConsoleErrors} (Chromium logs a refused API call by itself).
         */
        void assertStayedOnTheServerAndRanNothingUnexpected(String allowedConsoleErrors) {
            assertThat(requestUrls()).allSatisfy(url -> assertThat(url).startsWith(baseUrl + "/"));
            assertThat(dialogs).isEmpty();
            assertThat(pageErrors).isEmpty();
            assertThat(consoleErrors).allSatisfy(message -> assertThat(message).matches(allowedConsoleErrors));
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
