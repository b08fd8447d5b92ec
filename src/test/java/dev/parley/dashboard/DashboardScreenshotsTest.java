package dev.parley.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.parley.dashboard.DashboardBrowser.Tab;
import dev.parley.dashboard.SupportConversations.Recorded;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Pictures of each view of the dashboard, as a reader of README sees them. They go to
 * {@code target/screenshots}; {@code docs/screenshots/take} runs this (and the trends picture of
 * {@link DashboardTrendsBrowserTest}) with {@code -Dparley.screenshots=docs/screenshots} to
 * refresh the ones in the docs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardScreenshotsTest {

    static final Path DIRECTORY = Paths.get(System.getProperty("parley.screenshots", "target/screenshots"));

    TestServer server;
    DashboardBrowser browser;
    String key;
    List<Recorded> seeded;

    @BeforeAll
    void start() {
        server = TestServer.start(TestStores.SQLITE);
        key = server.newKey("acme", Scope.READ, Scope.WRITE);
        seeded = SupportConversations.record(server, key, 30);
        for (int index : new int[] {1, 5, 11}) {
            server.put("/v2/bots/conversations/" + seeded.get(index).id() + "/review", key,
                    "{\"status\":\"reviewed\",\"labels\":[\"wrong-answer\",\"missing-article\",\"tone\"],\"note\":null}");
        }
        browser = new DashboardBrowser();
    }

    @AfterAll
    void stop() {
        browser.close();
        server.close();
    }

    @Test
    void signIn() throws IOException {
        try (Tab tab = browser.open(server.baseUrl())) {
            tab.go("/");
            assertThat(tab.page().getByLabel("API key")).isVisible();
            save(tab.page(), "sign-in.png", 1280, 800);
        }
    }

    @Test
    void conversations() throws IOException {
        try (Tab tab = signedIn(1280, 800, "/")) {
            save(tab.page(), "conversations.png", 1280, 800);
        }
    }

    @Test
    void filteredConversations() throws IOException {
        try (Tab tab = signedIn(1280, 800, "/?category=billing&escalation=true")) {
            save(tab.page(), "conversations-filtered.png", 1280, 800);
        }
    }

    @Test
    void thread() throws IOException {
        Recorded withFollowUp = seeded.get(20);
        try (Tab tab = signedIn(1280, 800, "/?conversation=" + withFollowUp.id())) {
            // Unfolded without a click, which would scroll the page down to it.
            tab.page().locator(".exchange").first().locator("details.reasoning").evaluate("details => details.open = true");
            saveWholePage(tab.page(), "thread.png", 1280);
        }
    }

    @Test
    void phone() throws IOException {
        try (Tab tab = signedIn(390, 844, "/")) {
            save(tab.page(), "phone-conversations.png", 390, 844);
        }
        try (Tab tab = signedIn(390, 844, "/?conversation=" + seeded.get(24).id())) {
            save(tab.page(), "phone-thread.png", 390, 844);
        }
    }

    @Test
    void reviewQueue() throws IOException {
        try (Tab tab = signedIn(1280, 800, "/?attention=true&reviewStatus=unreviewed")) {
            tab.page().keyboard().press("j");
            tab.page().keyboard().press("j");
            save(tab.page(), "review-queue.png", 1280, 800);
        }
    }

    @Test
    void reviewInTheThread() throws IOException {
        try (Tab tab = signedIn(1280, 900, "/?attention=true&reviewStatus=unreviewed&conversation=" + seeded.get(28).id())) {
            tab.page().locator("#review").waitFor();
            tab.page().keyboard().press("n");
            tab.page().keyboard().press("2");
            assertThat(tab.page().locator("#review-message")).containsText("Saved");
            tab.page().keyboard().press("?");
            save(tab.page(), "review.png", 1280, 900);
        }
    }

    @Test
    void whereTheBotFails() throws IOException {
        try (Tab tab = browser.open(server.baseUrl(), 1280, 800)) {
            tab.go("/?view=failing&from=2026-03-01&to=2026-03-31");
            tab.page().getByLabel("API key").fill(key);
            tab.page().getByLabel("API key").press("Enter");
            tab.page().locator(".failing-groups tbody tr, #failing .notice").first().waitFor();
            saveWholePage(tab.page(), "failing-questions.png", 1280);
        }
    }

    Tab signedIn(int width, int height, String path) {
        Tab tab = browser.open(server.baseUrl(), width, height);
        tab.standInForTheWorkspaceRouteIfMissing(server, key, "read", "write");
        tab.go(path);
        tab.page().getByLabel("API key").fill(key);
        tab.page().getByLabel("API key").press("Enter");
        tab.page().locator(".conversations tbody tr, .exchange").first().waitFor();
        return tab;
    }

    /** The page from top to bottom, however long. */
    static void saveWholePage(Page page, String name, int width) throws IOException {
        Path file = DIRECTORY.resolve(name);
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        assertThat(ImageIO.read(file.toFile()).getWidth()).isEqualTo(width);
    }

    /** What fits on a screen of that size. */
    static void save(Page page, String name, int width, int height) throws IOException {
        Path file = DIRECTORY.resolve(name);
        page.screenshot(new Page.ScreenshotOptions().setPath(file));
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
    }
}
