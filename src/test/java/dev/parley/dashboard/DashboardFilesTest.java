package dev.parley.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.RawHttp;
import dev.parley.testing.RawHttp.Answer;
import dev.parley.testing.TestServer;
import dev.parley.testing.TestServer.Response;
import dev.parley.testing.TestStores;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's files as a browser and a cache see them: types, policies, revalidation, refusals. */
class DashboardFilesTest {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestStores.SQLITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theRootIsTheDashboardPageUnderItsContentSecurityPolicy() {
        Response page = server.get("/", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
        assertThat(page.body()).contains("<script type=\"module\"").contains("/js/app.js");
        assertThat(page.header("Content-Security-Policy")).isEqualTo(Dashboard.CONTENT_SECURITY_POLICY);
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(server.get("/index.html", null).body()).isEqualTo(page.body());
    }

    @Test
    void scriptsStylesAndTheIconHaveTheirTypes() {
        assertThat(server.get("/js/app.js", null).header("Content-Type")).isEqualTo("text/javascript;charset=utf-8");
        assertThat(server.get("/css/dashboard.css", null).header("Content-Type")).isEqualTo("text/css;charset=utf-8");
        assertThat(server.get("/favicon.svg", null).header("Content-Type")).isEqualTo("image/svg+xml");
    }

    @Test
    void theChartLibraryComesFromItsWebJarAndIsCachedForAYear() {
        Response library = server.get("/webjars/uplot/1.6.30/dist/uPlot.esm.js", null);

        assertThat(library.status()).isEqualTo(200);
        assertThat(library.header("Content-Type")).isEqualTo("text/javascript;charset=utf-8");
        assertThat(library.body()).contains("uPlot");
        assertThat(library.header("Cache-Control")).isEqualTo("max-age=31622400");
    }

    @Test
    void aBrowserThatHoldsTheFileIsToldNotModified() {
        String etag = server.get("/js/app.js", null).header("ETag");

        Response again = TestServer.send(server.request("/js/app.js", null).header("If-None-Match", etag));
        Response listed = TestServer.send(server.request("/js/app.js", null)
                .header("If-None-Match", "W/\"other\", " + etag.substring(2)));
        Response changed = TestServer.send(server.request("/js/app.js", null).header("If-None-Match", "W/\"other\""));

        assertThat(etag).startsWith("W/\"");
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(listed.status()).isEqualTo(304);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(server.get("/css/dashboard.css", null).header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutTheBody() {
        Response get = server.get("/js/app.js", null);
        Response head = TestServer.send(server.request("/js/app.js", null)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("ETag")).isEqualTo(get.header("ETag"));
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(get.body().getBytes().length));
    }

    @Test
    void aClientThatAcceptsGzipGetsTheFileGzipped() {
        Answer answer = RawHttp.send(server.baseUrl(), RawHttp.request("GET", "/js/app.js", "Accept-Encoding: gzip"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Encoding")).isEqualTo("gzip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nope.js", "/js/", "/js/.hidden.js", "/js/..%2Findex.html", "/js/%2e%2e/index.html",
            "/dashboard/index.html", "/js/app", "/webjars/uplot/1.6.30/LICENSE", "/webjars/uplot/1.6.30/../../../"
            + "dev/parley/Parley.class", "/css/dashboard.css.map"})
    void aPathThatNamesNoFileIsAJsonNotFound(String path) {
        Answer answer = RawHttp.send(server.baseUrl(), RawHttp.request("GET", path));

        assertThat(answer.status()).as(path).isEqualTo(404);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.body()).contains("\"not_found\"");
    }
}
