package dev.parley.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import dev.parley.dashboard.DashboardBrowser.Tab;
import dev.parley.dashboard.SupportConversations.Recorded;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Review and insight in the dashboard (issue 18, SPEC §11): the review in a thread, the "Needs
 * attention" queue worked with the keyboard alone, and "Where the bot fails" with its click-through,
 * against the real review, list and failing-questions routes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardReviewBrowserTest {

    static final long MARCH_START = DashboardBrowserTest.utcMidnight("2026-03-01");
    static final long APRIL_START = DashboardBrowserTest.utcMidnight("2026-04-01");

    TestServer server;
    DashboardBrowser browser;
    String writeKey;
    String reviewKey;
    String readKey;
    List<Recorded> seeded;
    Tab tab;

    @BeforeAll
    void start() {
        server = TestServer.start(TestStores.SQLITE);
        writeKey = server.newKey("acme", Scope.READ, Scope.WRITE);
        reviewKey = server.newKey("acme", Scope.READ, Scope.REVIEW);
        readKey = server.newKey("acme", Scope.READ);
        seeded = SupportConversations.record(server, writeKey, 30);
        // Reviews already given, on conversations that need no attention: their labels are the ones in use.
        review(seeded.get(1).id(), "{\"status\":\"reviewed\",\"labels\":[\"wrong-answer\",\"missing-article\"],\"note\":null}");
        review(seeded.get(5).id(), "{\"status\":\"reviewed\",\"labels\":[\"tone\",\"missing-article\"],\"note\":null}");
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
        standInForTheWorkspaceRouteWhenTheServerLacksIt();
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

    // ---------- the review queue, by keyboard alone ----------

    @Test
    void theNeedsAttentionQueueIsWorkedWithTheKeyboardAlone() {
        List<String> queue = ids(server.get("/v2/bots/requests/public?source=all&attention=true&reviewStatus=unreviewed"
                + "&limit=200", reviewKey));
        assertThat(queue).hasSizeGreaterThan(3);

        tab.go("/");
        page().keyboard().type(reviewKey);
        page().keyboard().press("Enter");
        page().locator(".conversations tbody tr").first().waitFor();
        tabTo("needs-attention");
        page().keyboard().press("Enter");
        assertThat(page()).hasURL(Pattern.compile("\\?attention=true&reviewStatus=unreviewed$"));
        assertThat(page().locator("#needs-attention")).hasAttribute("aria-pressed", "true");
        assertThat(page().locator("#match-count")).hasText(queue.size() + " conversations match");
        assertThat(page().locator(".conversations tbody tr").first()).hasAttribute("data-id", queue.get(0));

        page().keyboard().press("j");
        page().keyboard().press("j");
        page().keyboard().press("k");
        assertThat(page().locator(".conversations tr.selected")).hasAttribute("data-id", queue.get(0));
        page().keyboard().press("Enter");
        assertThat(page()).hasURL(Pattern.compile("\\?conversation=" + queue.get(0) + "&"));
        assertThat(page().locator("#review")).isVisible();

        page().keyboard().press("r");
        assertThat(statusButton("Reviewed")).hasAttribute("aria-pressed", "true");
        assertThat(page().locator("#review-message")).containsText("Saved");

        page().keyboard().press("j");
        assertThat(page()).hasURL(Pattern.compile("\\?conversation=" + queue.get(1) + "&"));
        assertThat(statusButton("Not reviewed")).hasAttribute("aria-pressed", "true");
        page().keyboard().press("n");
        assertThat(statusButton("Needs work")).hasAttribute("aria-pressed", "true");
        page().keyboard().press("1");
        assertThat(page().locator(".label-chips li")).hasText(new String[] {"missing-article×"});
        page().keyboard().press("3");
        assertThat(page().locator(".label-chips li")).hasText(new String[] {"missing-article×", "wrong-answer×"});
        page().keyboard().press("3");
        assertThat(page().locator(".label-chips li")).hasText(new String[] {"missing-article×"});

        page().keyboard().press("j");
        assertThat(page()).hasURL(Pattern.compile("\\?conversation=" + queue.get(2) + "&"));
        page().keyboard().press("k");
        assertThat(page()).hasURL(Pattern.compile("\\?conversation=" + queue.get(1) + "&"));
        assertThat(statusButton("Needs work")).hasAttribute("aria-pressed", "true");

        page().keyboard().press("?");
        assertThat(page().locator("#keys-help")).isVisible();
        assertThat(page().locator("#keys-help")).containsText("Mark reviewed");
        page().keyboard().press("Escape");
        assertThat(page().locator("#keys-help")).isHidden();

        page().keyboard().press("u");
        assertThat(page().locator(".conversations tbody tr").first()).isVisible();
        assertThat(page().locator("tr[data-id='" + queue.get(0) + "']")).hasCount(0);
        assertThat(page().locator("tr[data-id='" + queue.get(1) + "']")).hasCount(0);
        assertThat(page().locator("#match-count")).hasText((queue.size() - 2) + " conversations match");

        JsonNode first = server.get("/v2/bots/conversations/" + queue.get(0), reviewKey).json().get("review");
        assertThat(first.get("status").asText()).isEqualTo("reviewed");
        JsonNode second = server.get("/v2/bots/conversations/" + queue.get(1), reviewKey).json().get("review");
        assertThat(second.get("status").asText()).isEqualTo("needs_work");
        assertThat(second.get("labels").toString()).isEqualTo("[\"missing-article\"]");
    }

    @Test
    void jAndKWalkTheListOnToTheNextPageAndBack() {
        signIn(readKey, "/");
        Locator rows = page().locator(".conversations tbody tr");
        assertThat(rows).hasCount(25);
        String lastOfFirstPage = rows.nth(24).getAttribute("data-id");
        for (int presses = 0; presses < 25; presses++) {
            page().keyboard().press("j");
        }
        assertThat(page().locator(".conversations tr.selected")).hasAttribute("data-id", lastOfFirstPage);

        page().keyboard().press("j");
        assertThat(page()).hasURL(Pattern.compile("\\?cursor=" + lastOfFirstPage + "$"));
        assertThat(rows).hasCount(5);
        assertThat(page().locator(".conversations tr.selected")).hasAttribute("data-id", rows.first().getAttribute("data-id"));
        assertThat(rows.first().locator(".question-link")).isFocused();

        page().keyboard().press("k");
        assertThat(rows).hasCount(25);
        assertThat(page().locator(".conversations tr.selected")).hasAttribute("data-id", lastOfFirstPage);
        page().keyboard().press("Enter");
        assertThat(page()).hasURL(Pattern.compile("\\?conversation=" + lastOfFirstPage));
    }

    @Test
    void keysDoNothingWhileAPersonTypesInAField() {
        Recorded recorded = seeded.get(11); // needs no attention: the queue test leaves it alone
        signIn(reviewKey, "/?conversation=" + recorded.id());
        page().getByLabel("Note").click();

        page().keyboard().type("rnj1");

        assertThat(page().getByLabel("Note")).hasValue("rnj1");
        assertThat(page()).hasURL(Pattern.compile("\\?conversation=" + recorded.id() + "$"));
        assertThat(statusButton("Not reviewed")).hasAttribute("aria-pressed", "true");
    }

    // ---------- the review in the thread ----------

    @Test
    void aReviewerSetsStatusLabelsAndANoteAndTheyAreThereAfterAReload() {
        Recorded recorded = seeded.get(26); // needs no attention: the queue test leaves it alone
        signIn(reviewKey, "/?conversation=" + recorded.id());

        statusButton("Needs work").click();
        assertThat(statusButton("Needs work")).hasAttribute("aria-pressed", "true");
        Locator label = page().locator("#review-label");
        label.fill("refund-policy");
        label.press("Enter");
        assertThat(page().locator(".label-chips li")).hasText(new String[] {"refund-policy×"});
        page().getByLabel("Note").fill("Should have linked the refund article.");
        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save note")).click();
        assertThat(page().locator("#review-message")).containsText("Saved");

        JsonNode review = server.get("/v2/bots/conversations/" + recorded.id(), writeKey).json().get("review");
        assertThat(review.get("status").asText()).isEqualTo("needs_work");
        assertThat(review.get("labels").toString()).isEqualTo("[\"refund-policy\"]");
        assertThat(review.get("note").asText()).isEqualTo("Should have linked the refund article.");

        page().reload();
        assertThat(statusButton("Needs work")).hasAttribute("aria-pressed", "true");
        assertThat(page().locator(".label-chips li")).hasText(new String[] {"refund-policy×"});
        assertThat(page().getByLabel("Note")).hasValue("Should have linked the refund article.");

        page().getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove label refund-policy")).click();
        assertThat(page().locator(".label-chips li")).hasCount(0);
    }

    @Test
    void labelSuggestionsAreTheLabelsInUseInAnyCase() {
        String conversation = seeded.get(15).id(); // needs no attention: the queue test leaves it alone
        signIn(reviewKey, "/?conversation=" + conversation);

        assertThat(page().locator(".offered-label")).hasText(new String[] {"1missing-article", "2tone", "3wrong-answer"});
        page().locator("#review-label").fill("WRONG");
        Locator options = page().locator("#review-label + .suggestions [role=option]");
        assertThat(options).hasText(new String[] {"wrong-answer"});
        options.first().click();

        assertThat(page().locator(".label-chips li")).hasText(new String[] {"wrong-answer×"});
        // the labels in use stay as the other tests expect them
        review(conversation, "{\"status\":null,\"labels\":[],\"note\":null}");
    }

    @Test
    void aKeyThatCannotReviewSeesNoReviewControls() {
        signIn(readKey, "/?conversation=" + seeded.get(3).id());

        assertThat(page().locator(".exchange").first()).isVisible();
        assertThat(page().locator("#review")).isHidden();
        page().keyboard().press("r");
        assertThat(page().locator("#review-message")).hasCount(0);
    }

    @Test
    void withoutTheWorkspaceRouteTheScopesAreUnknownAndTheReviewControlsHidden() {
        page().unroute(server.baseUrl() + "/v2/workspace");
        page().route(server.baseUrl() + "/v2/workspace", route -> route.fulfill(new Route.FulfillOptions().setStatus(404)
                .setContentType("application/json")
                .setBody("{\"error\":{\"code\":\"not_found\",\"message\":\"no route\",\"param\":null}}")));
        signIn(writeKey, "/?conversation=" + seeded.get(3).id());

        assertThat(page().locator(".exchange").first()).isVisible();
        assertThat(page().locator("#review")).isHidden();
    }

    @Test
    void theListShowsEachConversationsReview() {
        signIn(readKey, "/?reviewStatus=reviewed");

        Locator row = page().locator("tr[data-id='" + seeded.get(5).id() + "']");
        assertThat(row.locator("td[data-label=Review] .badge")).hasText("Reviewed");
        assertThat(row.locator("td[data-label=Review] li")).hasText(new String[] {"tone", "missing-article"});
    }

    // ---------- where the bot fails ----------

    @Test
    void whereTheBotFailsRanksTheFailingQuestionsAndAClickOpensTheirConversations() {
        JsonNode insight = server.get("/v2/bots/insights/failing-questions?startEpoch=" + MARCH_START + "&endEpoch="
                + APRIL_START, readKey).json();
        List<String> questions = new ArrayList<>();
        insight.get("groups").forEach(group -> questions.add(group.get("question").asText()));
        assertThat(questions).isNotEmpty();

        signIn(readKey, "/");
        page().getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Where the bot fails")).click();
        // the default window, the last 30 days, holds nothing of the seed's March
        assertThat(page().locator("#failing")).containsText("No failing answers");
        page().getByLabel("From").fill("2026-03-01");
        page().getByLabel("To").fill("2026-03-31");
        page().getByLabel("To").press("Enter");

        Locator rows = page().locator(".failing-groups tbody tr");
        assertThat(rows.locator(".group-link")).hasText(questions.toArray(String[]::new));
        JsonNode top = insight.get("groups").get(0);
        assertThat(rows.first().locator("td[data-label=Failed]")).hasText(top.get("failing").asText());
        assertThat(rows.first().locator("td[data-label=Conversations]")).hasText(top.get("conversations").asText());
        List<String> topCategories = new ArrayList<>();
        top.get("topCategories").forEach(category -> topCategories.add(category.get("category").asText()));
        assertThat(rows.first().locator("td[data-label='Top categories'] li")).hasText(topCategories.toArray(String[]::new));
        assertThat(page().locator("#failing-summary")).containsText(insight.get("failingRequests").asText() + " bot answers of "
                + insight.get("requests").asText() + " failed");

        rows.first().locator(".group-link").click();

        assertThat(page()).hasURL(server.baseUrl() + "/?from=2026-03-01&to=2026-03-31&attention=true&question="
                + URLEncoder.encode(top.get("question").asText(), StandardCharsets.UTF_8));
        page().locator(".conversations tbody tr").first().waitFor();
        for (JsonNode sample : top.get("sampleConversationIds")) {
            assertThat(page().locator("tr[data-id='" + sample.asText() + "']")).hasCount(1);
        }
        int conversations = top.get("conversations").asInt();
        assertThat(page().locator("#match-count")).hasText(conversations == 1 ? "1 conversation matches"
                : conversations + " conversations match");
    }

    // ---------- helpers ----------

    Page page() {
        return tab.page();
    }

    void signIn(String key, String path) {
        tab.go(path);
        page().getByLabel("API key").fill(key);
        page().getByLabel("API key").press("Enter");
        page().locator("#list > *:visible, #thread > *:visible, #trends > *:visible, #failing > *:visible, #status:visible")
                .first().waitFor();
    }

    /** A status button by its name ("Reviewed" is a part of "Not reviewed", so by its status). */
    Locator statusButton(String name) {
        String status = switch (name) {
            case "Reviewed" -> "reviewed";
            case "Needs work" -> "needs_work";
            default -> "none";
        };
        Locator button = page().locator(".status-button[data-status=" + status + "]");
        assertThat(button).containsText(name);
        return button;
    }

    /** Presses Tab until the element with this id has the focus. */
    void tabTo(String id) {
        for (int presses = 0; presses < 80; presses++) {
            page().keyboard().press("Tab");
            if (id.equals(page().evaluate("() => document.activeElement.id"))) {
                return;
            }
        }
        throw new AssertionError("Tab never reached #" + id);
    }

    void review(String conversationId, String body) {
        Response response = server.put("/v2/bots/conversations/" + conversationId + "/review", writeKey, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    static List<String> ids(Response page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.json().get("conversations").forEach(conversation -> ids.add(conversation.get("id").asText()));
        return ids;
    }

    /**
     * GET /v2/workspace is another branch's work (SPEC §10); until it is merged, this tab's server
     * answers it as the contract says, with the scopes of the key the request carries.
     */
    void standInForTheWorkspaceRouteWhenTheServerLacksIt() {
        if (server.get("/v2/workspace", readKey).status() != 404) {
            return;
        }
        page().route(server.baseUrl() + "/v2/workspace", route -> {
            String authorization = route.request().headerValue("authorization");
            String scopes = authorization.endsWith(writeKey) ? "\"read\",\"write\""
                    : authorization.endsWith(reviewKey) ? "\"read\",\"review\"" : "\"read\"";
            route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("application/json")
                    .setBody("{\"name\":\"acme\",\"redaction\":{\"email\":false,\"phone\":false,\"card\":true},"
                            + "\"retentionDays\":null,\"scopes\":[" + scopes + "],\"keyId\":\"stand-in\"}"));
        });
    }
}
