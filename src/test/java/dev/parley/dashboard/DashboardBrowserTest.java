package dev.parley.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.dashboard.DashboardBrowser.Tab;
import dev.parley.dashboard.SupportConversations.Recorded;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.CreatedKey;
import dev.parley.workspace.Scope;
import dev.parley.workspace.WorkspaceName;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard (SPEC §6) in a real browser against a real server on SQLite, with the history a
 * support team would have. After every test: the page asked nothing of any other origin, opened
 * no dialog, and threw nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

    static final String HTML_QUESTION = "<img src=x onerror=alert(1)>";
    static final String SCRIPT_ANSWER = "<script>alert(1)</script>";
    static final String PAGE_ONE_SIZE = "25";

    TestServer server;
    DashboardBrowser browser;
    String readKey;
    String writeKey;
    List<Recorded> seeded;
    String htmlConversation;
    String badLinksConversation;
    Tab tab;

    @BeforeAll
    void startServerAndBrowser() {
        server = TestServer.start(TestStores.SQLITE);
        writeKey = server.newKey("support", Scope.WRITE);
        readKey = server.newKey("support", Scope.READ);
        seeded = SupportConversations.record(server, writeKey, 30);
        htmlConversation = recordHostileConversation();
        badLinksConversation = recordConversationWithScriptUrls();
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
            // a refused API call is logged by Chromium itself; anything else (a CSP refusal, a script error) is a bug
            tab.assertStayedOnTheServerAndRanNothingUnexpected(
                    "Failed to load resource: the server responded with a status of 4\\d\\d.*");
        } finally {
            tab.close();
        }
    }

    // ---------- served from the jar, locked down ----------

    @Test
    void theRootServesTheDashboardWithAStrictContentSecurityPolicy() {
        Response page = server.get("/", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).isEqualTo("default-src 'self'; script-src 'self';"
                + " style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none';"
                + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/js/app.js\"></script>");
    }

    @Test
    void thePageNeedsNoInlineScriptStyleOrHandler() {
        String html = server.get("/", null).body();

        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(html).find()).as("inline script").isFalse();
        assertThat(html).doesNotContain("<style").doesNotContain(" style=");
        assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as("event handler attribute").isFalse();
    }

    @Test
    void scriptsStylesAndTheChartLibraryComeFromTheJarWithTheirContentTypes() {
        assertThat(server.get("/js/app.js", null).header("Content-Type")).startsWith("text/javascript");
        assertThat(server.get("/css/dashboard.css", null).header("Content-Type")).startsWith("text/css");
        Response chartLibrary = server.get("/webjars/uplot/1.6.30/dist/uPlot.esm.js", null);
        assertThat(chartLibrary.status()).isEqualTo(200);
        assertThat(chartLibrary.header("Content-Type")).startsWith("text/javascript");
        assertThat(chartLibrary.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void theApiStillAnswersJsonForUnknownPathsAndNoStoreForItsRoutes() {
        Response unknown = server.get("/no/such/page", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/code").asText()).isEqualTo("not_found");

        Response api = server.get("/v2/bots/requests/public?source=all&limit=1", readKey);
        assertThat(api.header("Cache-Control")).isEqualTo("no-store");
        assertThat(api.header("Content-Security-Policy")).isNull();
    }

    // ---------- signing in and out ----------

    @Test
    void aWrongKeyGetsAClearMessageAndIsNotKept() {
        tab.go("/");
        page().getByLabel("API key").fill("parley_this_is_not_a_key_at_all_0000000000000000");
        page().getByLabel("API key").press("Enter");

        assertThat(page().locator("#sign-in-message")).containsText("That key was not accepted");
        assertThat(page().locator("#workspace")).isHidden();
        assertThat(sessionKey()).isNull();
    }

    @Test
    void aKeyWithoutTheReadScopeIsTurnedAwayWithTheReason() {
        tab.go("/");
        page().getByLabel("API key").fill(writeKey);
        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        assertThat(page().locator("#sign-in-message")).containsText("lacks the \"read\" scope");
        assertThat(sessionKey()).isNull();
    }

    @Test
    void anEmptyKeyIsAskedFor() {
        tab.go("/");
        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        assertThat(page().locator("#sign-in-message")).hasText("Paste your API key first.");
    }

    @Test
    void signingInShowsTheNewestConversationsFirstAndSendsTheKeyAsABearerToken() {
        signIn();

        assertThat(rows()).hasCount(25);
        assertThat(questionLinks().first()).hasText("Which article did you use?");
        assertThat(questionLinks().nth(1)).hasText(HTML_QUESTION);
        List<String> expected = newestFirst().stream().limit(23).map(Recorded::firstQuestion).toList();
        assertThat(questionLinks().allTextContents().subList(2, 25)).containsExactlyElementsOf(expected);
        List<Request> listCalls = tab.apiRequests("/v2/bots/requests/public");
        assertThat(listCalls).isNotEmpty().allSatisfy(request ->
                assertThat(request.headerValue("authorization")).isEqualTo("Bearer " + readKey));
        assertThat(localStorageSize()).isZero();
    }

    @Test
    void aRowShowsTimeSourceFirstQuestionExchangesEscalationFeedbackAndCategories() {
        signIn();
        // index 24: "I was charged twice…" by Intercom chat, with a follow-up, escalated, no feedback
        Recorded recorded = seeded.get(24);
        assertThat(recorded.exchanges()).isEqualTo(2);
        Locator row = page().locator("tr[data-id='" + recorded.id() + "']");

        assertThat(row.locator("td[data-label=Started] time"))
                .hasAttribute("datetime", "2026-03-11T08:00:00.000Z");
        assertThat(row.locator("td[data-label=Started]")).hasText("11 Mar 2026, 09:00");
        assertThat(row.locator("td[data-label=Source]")).containsText("Intercom");
        assertThat(row.locator("td[data-label=Source] .muted")).hasText("chat");
        assertThat(row.locator("td[data-label='First question']")).hasText("I was charged twice for the same order.");
        assertThat(row.locator("td[data-label=Exchanges]")).hasText("2");
        assertThat(row.locator("td[data-label=Escalation]")).hasText("Escalated");
        assertThat(row.locator("td[data-label=Feedback]")).hasText("None");
        assertThat(row.locator("td[data-label=Categories] li")).hasText(new String[] {"billing"});
    }

    @Test
    void theKeyLastsTheTabAndSigningOutForgetsIt() {
        signIn();
        page().reload();
        assertThat(rows()).hasCount(25);
        assertThat(sessionKey()).isEqualTo(readKey);

        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();

        assertThat(page().getByLabel("API key")).isVisible();
        assertThat(page().locator("#workspace")).isHidden();
        assertThat(page().locator("#list tr")).hasCount(0);
        assertThat(sessionKey()).isNull();
        page().reload();
        assertThat(page().getByLabel("API key")).isVisible();
    }

    @Test
    void aRevokedKeyIsSignedOutWithTheReason() {
        CreatedKey created = server.parley().keys().create(new WorkspaceName("support"), Set.of(Scope.READ));
        signInWith(created.secret());
        server.parley().keys().revoke(created.key().id());

        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Older →")).click();

        assertThat(page().locator("#sign-in-message")).containsText("Your key is no longer accepted");
        assertThat(sessionKey()).isNull();
    }

    // ---------- filters ----------

    @Test
    void filtersNarrowTheListAndLiveInTheUrl() {
        signIn();
        page().getByLabel("Feedback").selectOption("thumbs_up");
        page().getByLabel("Category").fill("shipping");
        page().getByLabel("Category").press("Enter");

        List<String> expected = newestFirst().stream()
                .filter(recorded -> recorded.feedback().filter("thumbs_up"::equals).isPresent())
                .filter(recorded -> recorded.categories().contains("shipping"))
                .map(Recorded::firstQuestion).toList();
        assertThat(expected).isNotEmpty();
        assertThat(questionLinks()).hasText(expected.toArray(String[]::new));
        assertThat(page()).hasURL(Pattern.compile("\\?category=shipping&feedbackType=thumbs_up$"));
        Request last = last(tab.apiRequests("/v2/bots/requests/public"));
        assertThat(query(last)).contains("category=shipping", "feedbackType=thumbs_up", "source=all");

        page().reload();
        assertThat(page().getByLabel("Feedback")).hasValue("thumbs_up");
        assertThat(page().getByLabel("Category")).hasValue("shipping");
        assertThat(questionLinks()).hasText(expected.toArray(String[]::new));
    }

    @Test
    void everyFilterOfTheHistoryApiIsALabelledControlThatReachesTheApi() {
        signIn();
        sourceMenu().selectOption("zendesk");
        page().getByLabel("From").fill("2026-03-01");
        page().getByLabel("To").fill("2026-03-31");
        page().getByLabel("Category").fill("billing");
        page().getByLabel("Feedback").selectOption("no_feedback");
        page().getByLabel("Escalation").selectOption("true");
        page().getByLabel("Has links").selectOption("true");
        page().getByLabel("User").fill("customer-104");
        page().getByLabel("Ticket").fill("ZD-4122");
        page().getByLabel("Question contains").fill("spring20");
        page().getByLabel("Answer contains").fill("honour");
        page().getByLabel("Cited source").fill("kb-301");
        page().getByLabel("Cited source").press("Enter");

        assertThat(questionLinks()).hasText(new String[] {"My discount code SPRING20 doesn't work at checkout."});
        String query = query(last(tab.apiRequests("/v2/bots/requests/public")));
        assertThat(query).contains("source=zendesk", "startEpoch=" + utcMidnight("2026-03-01"),
                "endEpoch=" + utcMidnight("2026-04-01"), "category=billing", "feedbackType=no_feedback",
                "escalation=true", "hasLinks=true", "userId=customer-104", "ticketId=ZD-4122", "question=spring20",
                "answer=honour", "sourceId=kb-301");
        assertThat(page().locator("#filters-active")).hasText("· 12 active");
    }

    @Test
    void fromAndToAreWholeUtcDaysAsTrendsCountThemAndThePageSaysSo() {
        signIn();
        page().getByLabel("From").fill("2026-03-05");
        page().getByLabel("To").fill("2026-03-06");
        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply filters")).click();

        long start = utcMidnight("2026-03-05");
        long end = utcMidnight("2026-03-07");
        List<String> expected = newestFirst().stream()
                .filter(recorded -> recorded.createdAt().toEpochMilli() >= start && recorded.createdAt().toEpochMilli() < end)
                .map(Recorded::firstQuestion).toList();
        assertThat(questionLinks()).hasText(expected.toArray(String[]::new));
        assertThat(query(last(tab.apiRequests("/v2/bots/requests/public"))))
                .contains("startEpoch=" + start, "endEpoch=" + end);
        assertThat(page().locator("#dates-hint")).containsText("From, To and the days of Trends are UTC days");
        assertThat(page().locator("#time-zone")).hasText("Europe/Berlin");
        assertThat(page().locator("label[for=f-from]")).containsText("UTC day");
    }

    @Test
    void fromAfterToIsExplainedInsteadOfSent() {
        signIn();
        int callsBefore = tab.apiRequests("/v2/bots/requests/public").size();
        page().getByLabel("From").fill("2026-03-09");
        page().getByLabel("To").fill("2026-03-02");
        page().getByLabel("To").press("Enter");

        assertThat(page().locator("#status")).hasText("From must be on or before To.");
        assertThat(tab.apiRequests("/v2/bots/requests/public")).hasSize(callsBefore);
    }

    @Test
    void aRefusedFilterShowsTheServersMessage() {
        signIn();
        page().getByLabel("Question contains").evaluate("field => field.removeAttribute('maxlength')");
        page().getByLabel("Question contains").fill("x".repeat(501));
        page().getByLabel("Question contains").press("Enter");

        assertThat(page().locator("#status")).containsText("question");
        assertThat(page().locator("#status")).hasClass(Pattern.compile("error"));
    }

    @Test
    void clearEmptiesEveryFilter() {
        signIn("/?feedbackType=thumbs_up&source=widget");
        assertThat(sourceMenu()).hasValue("widget");

        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Clear")).click();

        assertThat(page()).hasURL(server.baseUrl() + "/?");
        assertThat(sourceMenu()).hasValue("");
        assertThat(page().getByLabel("Feedback")).hasValue("");
        assertThat(rows()).hasCount(25);
    }

    // ---------- pages ----------

    @Test
    void olderAndNewerWalkThePagesWithTheCursors() {
        signIn();
        List<String> firstPage = questionLinks().allTextContents();
        Locator older = page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Older →"));
        Locator newer = page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("← Newer"));
        assertThat(newer).isDisabled();

        older.click();
        List<String> oldest = newestFirst().stream().skip(23).map(Recorded::firstQuestion).toList();
        assertThat(questionLinks()).hasText(oldest.toArray(String[]::new));
        assertThat(older).isDisabled();
        assertThat(page()).hasURL(Pattern.compile("\\?cursor=" + newestFirst().get(22).id() + "$"));

        newer.click();
        assertThat(questionLinks()).hasText(firstPage.toArray(String[]::new));
        assertThat(newer).isDisabled();
        assertThat(page()).hasURL(Pattern.compile("\\?cursor=" + newestFirst().get(23).id() + "&direction=previous$"));

        page().goBack();
        assertThat(questionLinks()).hasText(oldest.toArray(String[]::new));
    }

    @Test
    void thePageSizeCanBeChosen() {
        signIn();
        page().getByLabel("Per page").selectOption("50");

        assertThat(rows()).hasCount(32);
        assertThat(page()).hasURL(Pattern.compile("\\?limit=50$"));
        assertThat(page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Older →"))).isDisabled();
    }

    // ---------- one conversation ----------

    @Test
    void aConversationOpensAsAThreadWithItsKnowledgeAndReasoning() {
        signIn("/?source=zendesk");
        Recorded recorded = seeded.get(20); // "Where is my order…", Zendesk, with a follow-up
        page().locator("tr[data-id='" + recorded.id() + "'] .question-link").click();

        assertThat(page()).hasURL(Pattern.compile("\\?conversation=" + recorded.id() + "&source=zendesk$"));
        Locator exchanges = page().locator(".exchange");
        assertThat(exchanges).hasCount(2);
        assertThat(exchanges.nth(0).locator(".question .message-text")).hasText(SupportConversations.TOPICS.get(0).question());
        assertThat(exchanges.nth(0).locator(".answer .message-text")).hasText(SupportConversations.TOPICS.get(0).answer());
        assertThat(exchanges.nth(1).locator(".question .message-text")).hasText("Can I pick it up at the depot instead?");
        assertThat(exchanges.nth(0).locator("time")).hasText("9 Mar 2026, 21:34");
        assertThat(exchanges.nth(1).locator("time")).hasText("9 Mar 2026, 21:37");

        Locator article = exchanges.nth(0).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Tracking your order"));
        assertThat(article).hasAttribute("href", "https://help.acme-outdoor.example/orders/tracking");
        assertThat(article).hasAttribute("rel", "noopener noreferrer");
        assertThat(exchanges.nth(0).locator(".snippet")).hasText(
                "Every order gets a tracking link by e-mail as soon as it leaves the warehouse.");

        Locator reasoning = exchanges.nth(0).locator("details.reasoning");
        assertThat(reasoning.locator("p")).isHidden();
        reasoning.locator("summary").click();
        assertThat(reasoning.locator("p")).isVisible();
        assertThat(reasoning.locator("p")).containsText("The customer asks about a late order.");

        assertThat(page().getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open in Zendesk ↗")))
                .hasAttribute("href", "https://acme.zendesk.example/agent/tickets/4120");
        assertThat(page().locator(".facts")).containsText("ZD-4120");
        assertThat(page().locator(".facts")).containsText("customer-102");
    }

    @Test
    void theThreadShowsFeedbackEscalationAndCategoriesOfEachAnswer() {
        signIn();
        Recorded recorded = seeded.get(28); // "Can I speak to a person": escalated, thumbs down, handover
        page().locator("tr[data-id='" + recorded.id() + "'] .question-link").click();

        Locator head = page().locator(".exchange").first().locator(".exchange-head");
        assertThat(head.locator(".badge")).hasText(new String[] {"Escalated", "Thumbs down"});
        assertThat(head.locator(".chips li")).hasText(new String[] {"handover"});
    }

    @Test
    void backToTheListKeepsTheFilters() {
        signIn("/?feedbackType=thumbs_up");
        questionLinks().first().click();
        assertThat(page().locator(".exchange").first()).isVisible();

        page().getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("← Back to conversations")).click();

        assertThat(page()).hasURL(Pattern.compile("\\?feedbackType=thumbs_up$"));
        assertThat(page().getByLabel("Feedback")).hasValue("thumbs_up");
        assertThat(rows().first()).isVisible();
    }

    @Test
    void onlyHttpUrlsBecomeLinks() {
        signIn("/?conversation=" + badLinksConversation);

        assertThat(page().locator(".citation-title")).hasText("Internal runbook");
        assertThat(page().locator(".citation-title")).not().hasAttribute("href", Pattern.compile(".*"));
        assertThat(page().locator(".source-link")).hasCount(0);
        assertThat(page().locator("a[href^='javascript'], a[href^='data']")).hasCount(0);
    }

    @Test
    void anUnknownConversationSaysSo() {
        signIn("/?conversation=00000000-0000-4000-8000-000000000000");

        assertThat(page().locator("#thread .notice")).containsText("There is no such conversation");
    }

    // ---------- safe by construction ----------

    @Test
    void storedHtmlIsShownAsTextAndNothingRuns() {
        signIn();
        Locator hostileRow = page().locator("tr[data-id='" + htmlConversation + "']");
        assertThat(hostileRow.locator(".question-link")).hasText(HTML_QUESTION);
        assertThat(page().locator("#list img")).hasCount(0);

        hostileRow.locator(".question-link").click();

        assertThat(page().locator(".question .message-text")).hasText(HTML_QUESTION);
        assertThat(page().locator(".answer .message-text")).hasText(SCRIPT_ANSWER);
        page().locator(".reasoning summary").click();
        assertThat(page().locator(".reasoning p")).hasText("<b onmouseover=alert(2)>bold</b>");
        page().locator(".reasoning p").hover();
        assertThat(page().locator(".thread-title")).hasText(HTML_QUESTION);
        assertThat(page().locator(".facts .chips li")).hasText(new String[] {"<i>x</i>"});
        assertThat(page().locator("#thread img, #thread script, #thread b, #thread i")).hasCount(0);
        assertThat(tab.requestUrls()).noneMatch(url -> url.equals(server.baseUrl() + "/x"));
    }

    @Test
    void theScriptsNeverParseHtml() {
        for (String script : List.of("app.js", "api.js", "dom.js", "download.js", "failing.js", "format.js", "list.js",
                "query.js", "review.js", "suggest.js", "thread.js", "trends.js", "workspace.js")) {
            String source = server.get("/js/" + script, null).body();
            assertThat(source).as(script).isNotEmpty()
                    .doesNotContain(".innerHTML").doesNotContain(".outerHTML").doesNotContain("insertAdjacentHTML")
                    .doesNotContain("document.write").doesNotContain("eval(").doesNotContain("new Function");
        }
    }

    // ---------- a person's use ----------

    @Test
    void theKeyboardAloneSignsInAndOpensAThread() {
        tab.go("/");
        assertThat(page().getByLabel("API key")).isFocused();
        page().keyboard().type(readKey);
        page().keyboard().press("Enter");
        assertThat(rows()).hasCount(25);

        String focusedClass = "";
        for (int presses = 0; presses < 80 && !focusedClass.contains("question-link"); presses++) {
            page().keyboard().press("Tab");
            focusedClass = (String) page().evaluate("() => document.activeElement.className");
        }
        assertThat(focusedClass).contains("question-link");
        page().keyboard().press("Enter");

        assertThat(page().locator(".exchange").first()).isVisible();
        assertThat(page().locator("#thread-title")).isFocused();
    }

    @Test
    void aPhoneWidthScreenShowsConversationsAsCardsWithoutSidewaysScrolling() {
        tab.close();
        tab = browser.open(server.baseUrl(), 390, 844);
        signIn();

        assertThat(page().locator("#filters-panel")).not().hasAttribute("open", "");
        assertThat(page().locator(".conversations thead")).isHidden();
        assertThat(rows().first()).isVisible();
        assertThat(noSidewaysScrolling()).isTrue();

        questionLinks().first().click();
        assertThat(page().locator(".exchange").first()).isVisible();
        assertThat(noSidewaysScrolling()).isTrue();
    }

    @Test
    void everyViewWorksWithNothingButTheServer() {
        signIn();
        questionLinks().nth(3).click();
        assertThat(page().locator(".exchange").first()).isVisible();
        page().getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Trends")).click();
        assertThat(page().locator("#trends-view")).isVisible();
        page().locator("#trends > *").first().waitFor();

        List<String> assets = tab.requestUrls().stream().map(url -> URI.create(url).getPath())
                .filter(path -> !path.startsWith("/v2/")).distinct().sorted().toList();
        assertThat(assets).contains("/", "/css/dashboard.css", "/js/app.js", "/js/trends.js",
                "/webjars/uplot/1.6.30/dist/uPlot.esm.js", "/webjars/uplot/1.6.30/dist/uPlot.min.css");
        assertThat(tab.requestUrls()).allSatisfy(url -> assertThat(url).startsWith(server.baseUrl() + "/"));
    }

    // ---------- the statistics and export endpoints, when a server lacks them ----------

    @Test
    void withoutTheStatisticsEndpointTrendsSayWhyInsteadOfBreaking() {
        answer404For("/v2/bots/stats");
        signIn("/?view=trends");

        assertThat(page().locator("#trends .notice")).hasText("Trends are not available: this server has no"
                + " statistics endpoint (GET /v2/bots/stats answered 404).");
        assertThat(page().locator("#status")).isHidden();
    }

    @Test
    void withoutTheExportEndpointTheDownloadSaysWhy() {
        answer404For("/v2/bots/conversations/export");
        signIn();
        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("CSV")).click();

        assertThat(page().locator("#download-message")).hasText("The CSV download is not available: this server has"
                + " no export endpoint (GET /v2/bots/conversations/export answered 404).");
    }

    // ---------- helpers ----------

    Page page() {
        return tab.page();
    }

    void signIn() {
        signIn("/");
    }

    void signIn(String path) {
        tab.go(path);
        page().getByLabel("API key").fill(readKey);
        page().getByLabel("API key").press("Enter");
        page().locator("#workspace").waitFor();
        waitForView();
    }

    void signInWith(String key) {
        tab.go("/");
        page().getByLabel("API key").fill(key);
        page().getByLabel("API key").press("Enter");
        waitForView();
    }

    /** The list, a thread or the trends has something in it. */
    void waitForView() {
        page().locator("#list > *:visible, #thread > *:visible, #trends > *:visible, #status:visible").first().waitFor();
    }

    /** "Source" alone: "Cited source" is another field. */
    Locator sourceMenu() {
        return page().getByLabel("Source", new Page.GetByLabelOptions().setExact(true));
    }

    Locator rows() {
        return page().locator(".conversations tbody tr");
    }

    Locator questionLinks() {
        return page().locator(".conversations .question-link");
    }

    List<Recorded> newestFirst() {
        return seeded.stream().sorted(Comparator.comparing(Recorded::createdAt).reversed()).toList();
    }

    Object sessionKey() {
        return page().evaluate("() => sessionStorage.getItem('parley.key')");
    }

    int localStorageSize() {
        return ((Number) page().evaluate("() => localStorage.length")).intValue();
    }

    boolean noSidewaysScrolling() {
        return (Boolean) page().evaluate("() => document.documentElement.scrollWidth <= window.innerWidth");
    }

    /** From/To are UTC days (the days the statistics count by), whatever the viewer's time zone. */
    static long utcMidnight(String day) {
        return LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    static <T> T last(List<T> list) {
        assertThat(list).isNotEmpty();
        return list.get(list.size() - 1);
    }

    static String query(Request request) {
        return URI.create(request.url()).getRawQuery();
    }

    /** Makes this tab's server look like one without that endpoint: the answer a Parley gives for an unknown route. */
    void answer404For(String path) {
        page().route(server.baseUrl() + path + "**", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                .setStatus(404).setContentType("application/json")
                .setBody("{\"error\":{\"code\":\"not_found\",\"message\":\"no route GET " + path + "\",\"param\":null}}")));
    }

    String recordHostileConversation() {
        var body = SupportConversations.exchange("widget", HTML_QUESTION, SCRIPT_ANSWER, List.of("<i>x</i>"), null,
                "<b onmouseover=alert(2)>bold</b>", false, SupportConversations.START.plusSeconds(300L * 3600));
        return SupportConversations.post(server, writeKey, body).json().get("conversationId").asText();
    }

    String recordConversationWithScriptUrls() {
        var body = SupportConversations.exchange("api", "Which article did you use?", "The internal runbook.",
                List.of("internal"), new SupportConversations.Citation("rb-1", "Internal runbook", "javascript:alert(3)",
                        "Step 1."), null, false, SupportConversations.START.plusSeconds(301L * 3600));
        body.put("url", "javascript:alert(4)");
        return SupportConversations.post(server, writeKey, body).json().get("conversationId").asText();
    }
}
