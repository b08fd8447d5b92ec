package dev.parley.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
import dev.parley.dashboard.DashboardBrowser.Tab;
import dev.parley.dashboard.SupportConversations.Recorded;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a support lead ran into with the dashboard, each fixed and kept fixed (issue 18): the
 * count of matches, the exchange a search found, the way back to the same page, Trends while
 * they load and under the pointer, the filters on a phone, links in an answer, a stale download
 * notice, one time zone for days, and category suggestions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardFixesBrowserTest {

    static final String LINK_ANSWER = "See https://help.acme-outdoor.example/gift-cards for the balance check.";

    TestServer server;
    DashboardBrowser browser;
    String key;
    List<Recorded> seeded;
    String linkAnswerConversation;
    Tab tab;

    @BeforeAll
    void start() {
        server = TestServer.start(TestStores.SQLITE);
        key = server.newKey("acme", Scope.READ, Scope.WRITE);
        seeded = SupportConversations.record(server, key, 30);
        var body = SupportConversations.exchange("widget", "How do I check my gift card balance?", LINK_ANSWER,
                List.of("gift-cards"), null, null, false, SupportConversations.START.minusSeconds(86_400L * 40));
        linkAnswerConversation = SupportConversations.post(server, key, body).json().get("conversationId").asText();
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
            tab.assertStayedOnTheServerAndRanNothingUnexpected(
                    "Failed to load resource: the server responded with a status of 4\\d\\d.*");
        } finally {
            tab.close();
        }
    }

    // ---------- the list ----------

    @Test
    void theListSaysHowManyConversationsMatchNotHowManyAreOnThePage() {
        signIn("/");
        assertThat(page().locator("#match-count")).hasText("31 conversations match");
        assertThat(page().locator("#page-summary")).hasText("Showing 25 of 31, newest first");

        signIn("/?feedbackType=thumbs_up");
        long thumbsUp = seeded.stream().filter(recorded -> recorded.feedback().filter("thumbs_up"::equals).isPresent())
                .count();
        assertThat(page().locator("#match-count")).hasText(thumbsUp + " conversations match");
    }

    @Test
    void aTextSearchShowsAndMarksTheExchangeThatMatchedNotTheFirstQuestion() {
        signIn("/?question=DEPOT");

        List<Recorded> withDepot = newestFirst().stream()
                .filter(recorded -> recorded.firstQuestion().startsWith("Where is my order") && recorded.exchanges() == 2)
                .toList();
        assertThat(withDepot).isNotEmpty();
        assertThat(page().locator(".conversations thead")).containsText("Matching exchange");
        assertThat(questionLinks()).hasText(withDepot.stream().map(r -> "Can I pick it up at the depot instead?")
                .toArray(String[]::new));
        assertThat(questionLinks().first().locator("mark")).hasText("depot");
        assertThat(page().locator(".exchange-of").first()).hasText("Exchange 2 of 2");

        questionLinks().first().click();
        Locator exchanges = page().locator(".exchange");
        assertThat(exchanges).hasCount(2);
        assertThat(exchanges.nth(0)).not().hasClass(Pattern.compile("matched"));
        assertThat(exchanges.nth(1)).hasClass(Pattern.compile("matched"));
        assertThat(exchanges.nth(1).locator(".question mark")).hasText("depot");
        assertThat(exchanges.nth(1)).isInViewport();
    }

    @Test
    void anAnswerSearchShowsWhereTheAnswerMatched() {
        signIn("/?answer=prepaid%20label");

        assertThat(questionLinks().first()).hasText("How do I return a tent that arrived damaged?");
        assertThat(page().locator(".answer-excerpt").first().locator("mark")).hasText("prepaid label");
    }

    @Test
    void backToConversationsReturnsToTheSamePageOfResults() {
        signIn("/");
        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Older →")).click();
        assertThat(page()).hasURL(Pattern.compile("cursor="));
        List<String> secondPage = questionLinks().allTextContents();
        assertThat(secondPage).hasSize(6);

        questionLinks().nth(2).click();
        assertThat(page().locator(".exchange").first()).isVisible();
        page().getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("← Back to conversations")).click();

        assertThat(page()).hasURL(Pattern.compile("\\?cursor=" + newestFirst().get(24).id() + "$"));
        assertThat(questionLinks()).hasText(secondPage.toArray(String[]::new));
    }

    // ---------- trends ----------

    @Test
    void trendsShowALoadingStateInsteadOfTheOldNumbersWhileNewOnesLoad() {
        signIn("/?view=trends&source=widget");
        // the seed's widget conversations and the one whose answer holds a link
        assertThat(total("conversations")).hasText(String.valueOf(
                1 + seeded.stream().filter(recorded -> recorded.source().equals("widget")).count()));
        List<Route> held = new CopyOnWriteArrayList<>();
        page().route(server.baseUrl() + "/v2/bots/stats**", held::add);

        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Clear")).click();

        assertThat(page().locator("#trends-loading")).hasText("Loading the trends…");
        assertThat(page().locator("#totals")).hasCount(0);
        assertThat(page().locator("#trends canvas")).hasCount(0);
        assertThat(page().locator("#trends")).hasAttribute("aria-busy", "true");
        page().waitForCondition(() -> !held.isEmpty());
        page().unroute(server.baseUrl() + "/v2/bots/stats**");
        held.forEach(Route::resume);

        assertThat(total("conversations")).hasText("31");
        assertThat(page().locator("#trends-loading")).hasCount(0);
    }

    @Test
    void pointingAtADayShowsItsValuesAndAClickOpensThatDaysConversations() {
        // 5 March 2026 (UTC) has two conversations of the seed.
        String day = "2026-03-05";
        List<Recorded> onTheDay = newestFirst().stream().filter(recorded -> utcDay(recorded.createdAt()).equals(day)).toList();
        assertThat(onTheDay).hasSizeGreaterThan(1);
        signIn("/?view=trends&from=" + day + "&to=" + day);
        Locator chart = page().locator("#chart-conversations .u-over");
        chart.waitFor();
        BoundingBox box = chart.boundingBox();

        chart.hover(new Locator.HoverOptions().setPosition(box.width / 2, box.height / 2));
        Locator legend = page().locator("#chart-conversations .u-legend .u-series");
        assertThat(legend.nth(0).locator(".u-value")).hasText("5 Mar 2026");
        assertThat(legend.nth(1).locator(".u-value")).hasText(String.valueOf(onTheDay.size()));

        chart.click(new Locator.ClickOptions().setPosition(box.width / 2, box.height / 2));

        assertThat(page()).hasURL(Pattern.compile("\\?from=" + day + "&to=" + day + "$"));
        assertThat(questionLinks()).hasText(onTheDay.stream().map(Recorded::firstQuestion).toArray(String[]::new));
    }

    @Test
    void aSingleDayHasOneTickOnTheTimeAxisNotMonths() {
        signIn("/?view=trends&from=2026-03-05&to=2026-03-05");
        page().locator("#chart-conversations canvas").waitFor();

        assertThat(page().locator("#chart-conversations")).hasAttribute("data-x-ticks", "5 Mar");
    }

    @Test
    void aDayOfTheNumbersTableOpensThatDaysConversations() {
        signIn("/?view=trends");
        page().getByText("The numbers, day by day").click();
        page().locator(".day-table").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("2026-03-09")).click();

        List<String> expected = newestFirst().stream().filter(recorded -> utcDay(recorded.createdAt()).equals("2026-03-09"))
                .map(Recorded::firstQuestion).toList();
        assertThat(page()).hasURL(Pattern.compile("\\?from=2026-03-09&to=2026-03-09$"));
        assertThat(questionLinks()).hasText(expected.toArray(String[]::new));
    }

    @Test
    void trendsSayTheirDaysAreUtcLikeFromAndTo() {
        signIn("/?view=trends");

        assertThat(page().locator("#trends-zone")).containsText("days in UTC");
        assertThat(page().locator("#dates-hint")).containsText("From, To and the days of Trends are UTC days");
    }

    // ---------- filters ----------

    @Test
    void onAPhoneApplyingFiltersClosesThePanelAndShowsTheResults() {
        tab.close();
        tab = browser.open(server.baseUrl(), 390, 844);
        signIn("/");
        page().locator("#filters-panel summary").click();
        assertThat(page().locator("#filters-panel")).hasAttribute("open", "");

        page().getByLabel("Feedback").selectOption("thumbs_down");
        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply filters")).click();

        assertThat(page()).hasURL(Pattern.compile("\\?feedbackType=thumbs_down$"));
        assertThat(page().locator("#filters-panel")).not().hasAttribute("open", "");
        assertThat(page().locator("#list-title")).isInViewport();
        assertThat(rows().first()).isInViewport();
    }

    @Test
    void theDownloadNoticeGoesAwayWhenTheFiltersChange() {
        signIn("/?source=zendesk");
        page().waitForDownload(() -> page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("NDJSON")).click());
        assertThat(page().locator("#download-message")).containsText("Downloaded");

        page().getByLabel("Feedback").selectOption("thumbs_up");
        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply filters")).click();

        assertThat(page()).hasURL(Pattern.compile("feedbackType=thumbs_up"));
        assertThat(page().locator("#download-message")).isHidden();
    }

    @Test
    void categorySuggestionsComeFromTheCategoriesInUseAndMatchInAnyCase() {
        signIn("/");
        Locator category = page().getByLabel("Category");
        category.fill("SHIP");

        Locator options = page().locator("#f-category + .suggestions [role=option]");
        assertThat(options).hasText(new String[] {"shipping"});
        category.press("ArrowDown");
        category.press("Enter");
        assertThat(category).hasValue("shipping");
        assertThat(page().locator("#f-category + .suggestions")).isHidden();

        category.press("Enter");
        assertThat(page()).hasURL(Pattern.compile("\\?category=shipping$"));
        assertThat(page().locator("#match-count")).hasText(
                seeded.stream().filter(recorded -> recorded.categories().contains("shipping")).count() + " conversations match");
    }

    @Test
    void aSecondCategoryIsSuggestedAfterAComma() {
        signIn("/");
        Locator category = page().getByLabel("Category");
        category.fill("billing, Warr");

        page().locator("#f-category + .suggestions [role=option]", new Page.LocatorOptions().setHasText("warranty")).click();

        assertThat(category).hasValue("billing, warranty");
    }

    // ---------- the thread ----------

    @Test
    void anAnswerHoldingAUrlSaysLinksInTheAnswerNotNoKnowledgeCited() {
        signIn("/?conversation=" + linkAnswerConversation);

        Locator links = page().locator(".answer-links");
        assertThat(links.locator(".knowledge-title")).hasText("Links in the answer (1)");
        assertThat(links.getByRole(AriaRole.LINK)).hasAttribute("href", "https://help.acme-outdoor.example/gift-cards");
        assertThat(page().locator(".knowledge-none")).hasCount(0);
        assertThat(page().getByText("No knowledge cited")).hasCount(0);
    }

    // ---------- helpers ----------

    Page page() {
        return tab.page();
    }

    void signIn(String path) {
        tab.go(path);
        if (page().getByLabel("API key").isVisible()) {
            page().getByLabel("API key").fill(key);
            page().getByLabel("API key").press("Enter");
        }
        page().locator("#list > *:visible, #thread > *:visible, #trends > *:visible, #status:visible").first().waitFor();
    }

    Locator rows() {
        return page().locator(".conversations tbody tr");
    }

    Locator questionLinks() {
        return page().locator(".conversations .question-link");
    }

    Locator total(String name) {
        return page().locator(".total[data-total=" + name + "] .count");
    }

    List<Recorded> newestFirst() {
        return seeded.stream().sorted(Comparator.comparing(Recorded::createdAt).reversed()).toList();
    }

    static String utcDay(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
