package dev.parley.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.dashboard.DashboardBrowser.Tab;
import dev.parley.dashboard.SupportConversations.Recorded;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard's trends and downloads, against the real {@code GET /v2/bots/stats} and
 * {@code GET /v2/bots/conversations/export} of SPEC §4. Every conversation of the seed has its
 * feedback, escalation and categories the same on each of its requests, so what the charts and
 * files must hold follows from the seed whichever way the endpoints count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardTrendsBrowserTest {

    static final String CSV_HEADER = "conversationId,conversationCreatedAt,source,channel,userId,externalId,requestId,"
            + "createdAt,question,answer,categories,escalation,feedbackType,reasoning,sources,"
            + "reviewStatus,reviewLabels,reviewNote,reviewedBy,reviewedAt";
    static final ObjectMapper JSON = new ObjectMapper();

    TestServer server;
    DashboardBrowser browser;
    String key;
    List<Recorded> seeded;
    Tab tab;

    @BeforeAll
    void start() {
        server = TestServer.start(TestStores.SQLITE);
        key = server.newKey("acme", Scope.READ, Scope.WRITE);
        seeded = SupportConversations.record(server, key, 30);
        browser = new DashboardBrowser();
    }

    @AfterAll
    void stop() {
        browser.close();
        server.close();
    }

    @BeforeEach
    void openTab() {
        tab = browser.open(server.baseUrl());
    }

    @AfterEach
    void thePageStayedOnTheServerAndRanNothingUnexpected() {
        try {
            tab.assertStayedOnTheServerAndRanNothingUnexpected("(?!)"); // no console error at all
        } finally {
            tab.close();
        }
    }

    // ---------- trends ----------

    @Test
    void trendsAskForTheStatisticsOfTheCurrentFiltersWithTheKey() {
        signIn("/?view=trends&source=zendesk&from=2026-03-01&to=2026-03-31&feedbackType=no_feedback");
        page().locator("#totals").waitFor();

        Request stats = DashboardBrowserTest.last(tab.apiRequests("/v2/bots/stats"));
        assertThat(stats.headerValue("authorization")).isEqualTo("Bearer " + key);
        Map<String, String> query = queryOf(stats);
        assertThat(query).containsEntry("source", "zendesk")
                .containsEntry("startEpoch", String.valueOf(DashboardBrowserTest.utcMidnight("2026-03-01")))
                .containsEntry("endEpoch", String.valueOf(DashboardBrowserTest.utcMidnight("2026-04-01")))
                .containsEntry("feedbackType", "no_feedback")
                .doesNotContainKeys("limit", "cursor", "direction");
        assertThat(page().locator("#trends .notice")).hasCount(0);
    }

    @Test
    void theTotalsAreThoseOfTheFilteredHistory() {
        signIn("/?view=trends&source=widget");
        List<Recorded> widget = matching(recorded -> recorded.source().equals("widget"));

        assertThat(total("conversations")).hasText(String.valueOf(widget.size()));
        assertThat(total("botRequests")).hasText(String.valueOf(widget.stream().mapToInt(Recorded::exchanges).sum()));
        assertThat(total("escalated")).hasText(String.valueOf(count(widget, Recorded::escalation)));
        assertThat(total("withLinks")).hasText(String.valueOf(count(widget, this::citesKnowledge)));
        assertThat(total("thumbsUp")).hasText(String.valueOf(count(widget, feedback("thumbs_up"))));
        assertThat(total("thumbsDown")).hasText(String.valueOf(count(widget, feedback("thumbs_down"))));
        assertThat(total("noFeedback")).hasText(String.valueOf(count(widget, recorded -> recorded.feedback().isEmpty())));
    }

    @Test
    void theDayChartsAreDrawnWithAxesAndLegends() {
        signIn("/?view=trends");

        for (String chart : List.of("#chart-conversations", "#chart-escalation", "#chart-feedback")) {
            Locator canvas = page().locator(chart + " canvas");
            assertThat(canvas).isVisible();
            assertThat(canvas.boundingBox().width).isGreaterThan(300);
        }
        assertThat(page().locator("#chart-conversations .u-legend")).containsText("Conversations");
        assertThat(page().locator("#chart-escalation .u-legend")).containsText("Escalated (% of conversations)");
        assertThat(page().locator("#chart-feedback .u-legend")).containsText("Thumbs up");
        assertThat(page().locator("#chart-feedback .u-legend")).containsText("Thumbs down");
        // The bars are there: the conversations chart has pixels of its bar colour.
        assertThat(pixelsOfColour("#chart-conversations canvas", 0x25, 0x63, 0xeb)).isGreaterThan(500);
        assertThat(pixelsOfColour("#chart-feedback canvas", 0x15, 0x80, 0x3d)).isGreaterThan(50);
        assertThat(pixelsOfColour("#chart-feedback canvas", 0xdc, 0x26, 0x26)).isGreaterThan(50);
    }

    @Test
    void topCategoriesAreTheMostFrequentFirstWithTheirCounts() {
        signIn("/?view=trends");
        Map<String, Long> byCategory = seeded.stream().flatMap(recorded -> recorded.categories().stream())
                .collect(Collectors.groupingBy(category -> category, TreeMap::new, Collectors.counting()));
        List<Map.Entry<String, Long>> expected = byCategory.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10).toList();

        Locator rows = page().locator("#chart-categories li");
        assertThat(rows.locator(".bar-label")).hasText(expected.stream().map(Map.Entry::getKey).toArray(String[]::new));
        assertThat(rows.first().locator(".bar-value")).containsText(String.valueOf(expected.get(0).getValue()));
    }

    @Test
    void theNumbersTableHasEveryDayOfTheRange() {
        signIn("/?view=trends");
        Map<String, long[]> expected = new TreeMap<>(Comparator.reverseOrder());
        for (Recorded recorded : seeded) {
            String day = recorded.createdAt().atOffset(ZoneOffset.UTC).toLocalDate().toString();
            long[] counts = expected.computeIfAbsent(day, d -> new long[4]);
            counts[0]++;
            counts[1] += recorded.escalation() ? 1 : 0;
            counts[2] += feedback("thumbs_up").test(recorded) ? 1 : 0;
            counts[3] += feedback("thumbs_down").test(recorded) ? 1 : 0;
        }
        page().getByText("The numbers, day by day").click();

        Locator rows = page().locator(".day-table tbody tr");
        assertThat(rows).hasCount(expected.size());
        int row = 0;
        for (Map.Entry<String, long[]> day : expected.entrySet()) {
            long[] counts = day.getValue();
            List<String> cells = rows.nth(row++).locator("th, td").allTextContents();
            assertThat(cells).containsExactly(day.getKey(), String.valueOf(counts[0]), String.valueOf(counts[1]),
                    percent(counts[1], counts[0]), String.valueOf(counts[2]), String.valueOf(counts[3]));
        }
    }

    @Test
    void changingAFilterRedrawsTheTrends() {
        signIn("/?view=trends");
        assertThat(total("conversations")).hasText("30");

        page().getByLabel("Escalation", new Page.GetByLabelOptions().setExact(true)).selectOption("true");
        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply filters")).click();

        assertThat(total("conversations")).hasText(String.valueOf(count(seeded, Recorded::escalation)));
        assertThat(page()).hasURL(Pattern.compile("\\?view=trends&escalation=true$"));
        assertThat(page().locator("#chart-conversations canvas")).isVisible();
    }

    // ---------- downloads ----------

    @Test
    void theCsvDownloadHoldsEveryRequestOfTheFilteredConversations() throws IOException {
        signIn("/?source=zendesk");
        Download download = page().waitForDownload(() ->
                page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("CSV")).click());

        assertThat(download.suggestedFilename()).matches("parley-conversations-\\d{4}-\\d{2}-\\d{2}\\.csv");
        String csv = Files.readString(download.path(), StandardCharsets.UTF_8).replaceFirst("^\uFEFF", "");
        List<String> lines = Arrays.stream(csv.split("\r?\n")).filter(line -> !line.isEmpty()).toList();
        List<Recorded> zendesk = matching(recorded -> recorded.source().equals("zendesk"));
        assertThat(lines.get(0)).isEqualTo(CSV_HEADER);
        assertThat(lines).hasSize(1 + zendesk.stream().mapToInt(Recorded::exchanges).sum());
        for (Recorded recorded : zendesk) {
            assertThat(csv).contains(recorded.id()).contains(recorded.firstQuestion());
        }
        Request export = DashboardBrowserTest.last(tab.apiRequests("/v2/bots/conversations/export"));
        assertThat(export.headerValue("authorization")).isEqualTo("Bearer " + key);
        assertThat(queryOf(export)).containsEntry("format", "csv").containsEntry("source", "zendesk")
                .doesNotContainKeys("limit", "cursor");
        assertThat(page().locator("#download-message")).containsText("Downloaded " + download.suggestedFilename());
    }

    @Test
    void theNdjsonDownloadHasOneFilteredConversationALine() throws IOException {
        signIn("/?feedbackType=thumbs_up");
        Download download = page().waitForDownload(() ->
                page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("NDJSON")).click());

        assertThat(download.suggestedFilename()).matches("parley-conversations-\\d{4}-\\d{2}-\\d{2}\\.ndjson");
        List<String> lines = Files.readAllLines(download.path(), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank()).toList();
        Set<String> expected = matching(feedback("thumbs_up")).stream().map(Recorded::id).collect(Collectors.toSet());
        assertThat(lines).hasSize(expected.size());
        for (String line : lines) {
            JsonNode conversation = JSON.readTree(line);
            assertThat(expected).contains(conversation.get("id").asText());
            assertThat(conversation.get("feedbackType").asText()).isEqualTo("thumbs_up");
        }
        Request export = DashboardBrowserTest.last(tab.apiRequests("/v2/bots/conversations/export"));
        assertThat(queryOf(export)).containsEntry("feedbackType", "thumbs_up").doesNotContainKey("format");
    }

    // ---------- the picture for README ----------

    @Test
    void aPictureOfTheTrends() throws IOException {
        signIn("/?view=trends");
        page().locator("#chart-feedback canvas").waitFor();
        DashboardScreenshotsTest.saveWholePage(page(), "trends.png", 1280);
    }

    // ---------- helpers ----------

    Page page() {
        return tab.page();
    }

    void signIn(String path) {
        tab.go(path);
        page().getByLabel("API key").fill(key);
        page().getByLabel("API key").press("Enter");
        page().locator("#list > *, #trends > *").first().waitFor();
    }

    Locator total(String name) {
        return page().locator(".total[data-total=" + name + "] .count");
    }

    List<Recorded> matching(Predicate<Recorded> filter) {
        return seeded.stream().filter(filter).toList();
    }

    static long count(List<Recorded> recorded, Predicate<Recorded> filter) {
        return recorded.stream().filter(filter).count();
    }

    static Predicate<Recorded> feedback(String type) {
        return recorded -> recorded.feedback().equals(Optional.of(type));
    }

    /** Every topic but the hand-over cites an article. */
    boolean citesKnowledge(Recorded recorded) {
        return !recorded.categories().contains("handover");
    }

    static String percent(long part, long whole) {
        if (whole == 0) {
            return "—";
        }
        double value = Math.round(part * 1000.0 / whole) / 10.0;
        return (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)) + "%";
    }

    static Map<String, String> queryOf(Request request) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = URI.create(request.url()).getQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                query.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
            }
        }
        return query;
    }

    /** How many pixels of a canvas are close to a colour. */
    int pixelsOfColour(String selector, int red, int green, int blue) {
        Object found = page().locator(selector).evaluate("(canvas, [r, g, b]) => {"
                + " const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;"
                + " let n = 0;"
                + " for (let i = 0; i < data.length; i += 4) {"
                + "   if (data[i + 3] > 0 && Math.abs(data[i] - r) < 40 && Math.abs(data[i + 1] - g) < 40"
                + "       && Math.abs(data[i + 2] - b) < 40) { n++; } }"
                + " return n; }", List.of(red, green, blue));
        return ((Number) found).intValue();
    }
}
