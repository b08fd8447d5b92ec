package dev.parley.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The benchmark harness (run by {@code bench/run}, never by the test suite): makes demo data on
 * SQLite and PostgreSQL, drives {@code parley serve} with wrk, measures the same work without
 * Parley in the same run (plain JDBC + Jackson, raw JDBC writes, a bare Jetty handler, COPY), and
 * writes {@code docs/benchmarks.md} with the ratios ({@code docs/benchmarks-partial.md} when
 * {@code --only} or {@code --stores} picks some of them).
 */
public final class Bench {

    static final String KEY = "parley_bench_key_0123456789abcdef";
    /** The PostgreSQL database {@code --data} keeps from run to run. */
    private static final String KEPT_DATABASE = "parley_bench_keep";
    /** Conversations the import figure moves: enough that the CLI's start is a small part of its time. */
    private static final long IMPORT_SLICE = 100_000;
    private static final Path RECORDINGS = Path.of("target/bench-jfr");

    private final Path jar;
    private final Path work;
    private final Options options;
    private final Duration run;
    private final String postgresServer;
    private final Report report;
    private final List<Path> recordings = new ArrayList<>();

    private Bench(Path jar, Path work, Options options, String postgresServer, Report report) {
        this.jar = jar;
        this.work = work;
        this.options = options;
        this.run = options.quick() ? Duration.ofSeconds(5) : Duration.ofSeconds(15);
        this.postgresServer = postgresServer;
        this.report = report;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path jar = options.jar().orElse(Path.of("target/parley.jar").toAbsolutePath());
        Path work = Files.createTempDirectory("parley-bench-");
        String postgres = System.getenv().getOrDefault("PARLEY_BENCH_DATABASE_URL",
                "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Report report = new Report(options.conversations(), String.join(" ", Stream.concat(Stream.of("bench/run"),
                Stream.of(args)).toList()));
        Bench bench = new Bench(jar, work, options, postgres, report);
        if (options.runs("healthz")) {
            bench.healthzAgainstBareJetty();
        }
        if (bench.runsAnyOn("sqlite")) {
            bench.store("SQLite", Map.of("PARLEY_DATA_DIR", bench.sqliteDir().toString()), null);
        }
        if (bench.runsAnyOn("postgresql")) {
            bench.postgresql();
        }
        String name = options.partial() ? "benchmarks-partial" : "benchmarks";
        report.write(Path.of("docs"), name);
        if (options.jfr()) {
            Path profiles = Path.of("docs", name + "-profiles.md");
            JfrSummary.write(bench.recordings.stream().filter(Files::exists).toList(), profiles);
            System.err.println("bench: wrote " + profiles.toAbsolutePath());
        }
    }

    /** Whether a store takes part: every figure but healthz uses one, and import is PostgreSQL's alone. */
    private boolean runsAnyOn(String store) {
        return options.stores().contains(store) && Stream.of("pages", "concurrency", "writes", "feed", "redaction", "export",
                        "memory", "heap", "import", "webhooks", "stats")
                .filter(figure -> store.equals("postgresql") || !figure.equals("import")).anyMatch(options::runs);
    }

    private Path sqliteDir() {
        return options.data().orElse(work).resolve("sqlite");
    }

    /** PostgreSQL's figures on a database made for this run and dropped after it, or on the one --data keeps. */
    private void postgresql() throws Exception {
        if (options.data().isPresent()) {
            String url = ensureDatabase(options.database().orElse(KEPT_DATABASE));
            store("PostgreSQL", postgresSettings(url), url);
            return;
        }
        String database = "parley_bench_" + ProcessHandle.current().pid();
        String url = createDatabase(database);
        try {
            store("PostgreSQL", postgresSettings(url), url);
        } finally {
            dropDatabase(database);
        }
    }

    private Map<String, String> postgresSettings(String url) {
        return Map.of("PARLEY_DATA_DIR", work.resolve("pg").toString(), "PARLEY_DATABASE_URL", url);
    }

    /** Every chosen figure for one store. */
    private void store(String name, Map<String, String> settings, String jdbcUrl) throws Exception {
        String url = jdbcUrl != null ? jdbcUrl : "jdbc:sqlite:" + sqliteDir().resolve("parley.db").toAbsolutePath();
        Baselines baselines = new Baselines(url);
        demoData(name, settings, baselines, jdbcUrl != null ? holdsHistory(jdbcUrl)
                : Files.exists(sqliteDir().resolve("parley.db")));
        if (options.runs("pages") || options.runs("concurrency") || options.runs("writes") || options.runs("feed")
                || options.runs("redaction")) {
            pagesAndWrites(name, settings, baselines);
        }
        if (options.runs("export") || options.runs("heap")) {
            try {
                exportFigures(name, settings, baselines);
            } catch (ExportFailed failed) {
                report.add(name, "export", "fails", "a whole 200", failed.getMessage(),
                        "the export's figures are left out; the run goes on to the others");
            }
        }
        if (options.runs("memory")) {
            memory(name, settings);
        }
        if (jdbcUrl != null && options.runs("import")) {
            importAgainstCopy(name, settings, baselines);
        }
        if (options.runs("webhooks")) {
            webhooks(name, settings);
        }
        if (options.runs("stats")) {
            stats(name, settings, baselines);
        }
    }

    /**
     * Stats (issue 20): {@code GET /v2/bots/stats} p50 for the filters a dashboard asks most,
     * against the first page's p50, both timed one request at a time on the same server; and for
     * a filter the rollup cannot answer, against reading the ids of its matches alone. The window
     * is the demo data's last 30 days, ending at an hour that cuts both edge days (its end, 9 h before).
     */
    private void stats(String name, Map<String, String> settings, Baselines baselines) throws Exception {
        long end = dev.parley.transfer.DemoData.END - 9 * 3_600_000L;
        String window = "startEpoch=" + (end - Duration.ofDays(30).toMillis()) + "&endEpoch=" + end;
        try (Served served = serve(name, "stats", settings, "-Xmx1g")) {
            String page = served.baseUrl + "/v2/bots/requests/public?source=all&limit=50";
            String stats = served.baseUrl + "/v2/bots/stats";
            Wrk.get(page, KEY, 4, Duration.ofSeconds(5));
            Timed first = Timed.of(page, run);
            for (String[] filter : new String[][] {{"", "unfiltered"}, {"?source=zendesk", "one source"},
                    {"?" + window, "a 30-day window"}, {"?category=billing", "one category"},
                    {"?escalation=true", "escalated only"}}) {
                Timed timed = Timed.of(stats + filter[0], run);
                report.add(name, "stats p50 ÷ first page p50 — " + filter[1], ratio(timed.p50Millis(), first.p50Millis()),
                        "≤ 5", ms(timed.p50Millis()) + " vs " + ms(first.p50Millis()), timed.describe());
            }
            Timed other = Timed.of(stats + "?feedbackType=thumbs_down", run);
            double ids = baselines.matchingIdsMillis("c.feedback_type = 'thumbs_down'");
            report.add(name, "stats p50 ÷ the ids of its matches read alone — another filter (feedbackType=thumbs_down)",
                    ratio(other.p50Millis(), ids), "≤ 1.5", ms(other.p50Millis()) + " vs " + ms(ids), other.describe());
        }
    }

    /**
     * Requests one at a time for a while (at least three, or one when they take long): their p50.
     * The first warms the caches and is not counted, unless it took seconds (then the work is
     * not the JIT's).
     */
    record Timed(double p50Millis, int samples, String failures) {

        static Timed of(String url, Duration duration) throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            List<Double> millis = new ArrayList<>();
            StringBuilder failures = new StringBuilder();
            boolean warm = false;
            long started = System.nanoTime();
            while (millis.size() < 200) {
                long elapsed = System.nanoTime() - started;
                if (elapsed >= duration.toNanos() && (millis.size() >= 3 || elapsed >= 3 * duration.toNanos())) {
                    break;
                }
                long before = System.nanoTime();
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + KEY).timeout(Duration.ofMinutes(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                double took = (System.nanoTime() - before) / 1e6;
                if (warm || took > 2_000) {
                    millis.add(took);
                }
                warm = true;
                if (response.statusCode() != 200 && failures.indexOf(" " + response.statusCode()) < 0) {
                    failures.append(" ").append(response.statusCode());
                }
            }
            millis.sort(null);
            return new Timed(millis.get(millis.size() / 2), millis.size(), failures.toString().trim());
        }

        String describe() {
            return samples + " requests" + (failures.isEmpty() ? "" : "; answered " + failures + " (not 200)");
        }
    }

    /**
     * The outbox's cost: POST throughput with one webhook registered (every event, to a receiver
     * in this process) against none, on one fresh server; then, with the outbox drained, the time
     * from sending a write to its delivery's arrival, one write at a time.
     */
    private void webhooks(String name, Map<String, String> settings) throws Exception {
        Map<String, String> allowing = new HashMap<>(settings);
        allowing.put("PARLEY_WEBHOOK_ALLOW_PRIVATE", "true");
        try (Served served = serve(name, "webhooks", allowing, "-Xmx1g");
             dev.parley.testing.WebhookReceiver receiver = dev.parley.testing.WebhookReceiver.accepting()) {
            String posts = served.baseUrl + "/v2/bots/requests";
            Wrk.post(posts, KEY, 16, Duration.ofSeconds(3));
            Wrk.Result none = Wrk.post(posts, KEY, 16, run);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> registered = client.send(HttpRequest.newBuilder(URI.create(served.baseUrl
                            + "/v2/bots/webhooks")).header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + receiver.url() + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (registered.statusCode() != 201) {
                throw new IllegalStateException("registering a webhook answered " + registered);
            }
            Wrk.Result one = Wrk.post(posts, KEY, 16, run);
            long queued = Math.round(one.requestsPerSecond() * run.toSeconds());
            long drainStarted = System.nanoTime();
            double owed = awaitOutboxDrained(client, served.baseUrl, Duration.ofMinutes(5));
            double drainSeconds = (System.nanoTime() - drainStarted) / 1e9;
            report.add(name, "POST exchange throughput, 16 clients, one webhook ÷ none (the outbox's cost)",
                    ratio(one.requestsPerSecond(), none.requestsPerSecond()), "≥ 0.8",
                    String.format(Locale.ROOT, "%.0f/s vs %.0f/s", one.requestsPerSecond(), none.requestsPerSecond()),
                    "p99 " + ms(one.p99Millis()) + " vs " + ms(none.p99Millis()) + "; errors " + one.errors() + "/"
                            + none.errors() + ". The ~" + queued + " deliveries of the run were all delivered "
                            + String.format(Locale.ROOT, "%.1f s after it", drainSeconds)
                            + (owed > 0 ? " (" + owed + " still owed after 5 min)" : ""));
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < (options.quick() ? 200 : 1000); i++) {
                int before = receiver.received().size();
                long sent = System.nanoTime();
                HttpResponse<String> written = client.send(HttpRequest.newBuilder(URI.create(posts))
                        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"api\",\"question\":\"latency "
                                + i + "\",\"answer\":\"a\",\"userId\":\"bench-user\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (written.statusCode() != 201) {
                    throw new IllegalStateException("a write answered " + written);
                }
                List<dev.parley.testing.WebhookReceiver.Received> received =
                        receiver.await(before + 1, Duration.ofSeconds(30));
                latencies.add((received.get(before).arrivedAtNanos() - sent) / 1e6);
            }
            latencies.sort(Double::compare);
            double p50 = latencies.get(latencies.size() / 2);
            double p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
            report.add(name, "webhook delivery latency, write sent → delivery received (p50)", ms(p50), "",
                    latencies.size() + " writes, one at a time, to a receiver on 127.0.0.1",
                    "p99 " + ms(p99) + "; max " + ms(latencies.get(latencies.size() - 1)));
            // a store kept with --data must not go on queueing events for a receiver that is gone
            String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(registered.body()).get("id").asText();
            client.send(HttpRequest.newBuilder(URI.create(served.baseUrl + "/v2/bots/webhooks/" + id))
                    .header("Authorization", "Bearer " + KEY).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    /** Waits until /metrics shows no delivery owed; answers how many still are at the deadline. */
    private static double awaitOutboxDrained(HttpClient client, String baseUrl, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        double owed = Double.NaN;
        while (System.nanoTime() < deadline) {
            String metrics = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            owed = metrics.lines().filter(line -> line.startsWith("parley_webhook_outbox_depth "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                    .orElse(Double.NaN);
            if (owed == 0) {
                return 0;
            }
            Thread.sleep(200);
        }
        return owed;
    }

    /**
     * Demo data, unless the store already holds history: only a store --data kept from an earlier
     * run can (without --data the SQLite directory and the PostgreSQL database are new).
     */
    private void demoData(String name, Map<String, String> settings, Baselines baselines, boolean present)
            throws Exception {
        if (present) {
            long removed = baselines.removeBenchWrites();
            report.add(name, "demo-data (bulk path)", "reused", "",
                    String.format(Locale.ROOT, "%,d conversations already there", baselines.count()),
                    String.format(Locale.ROOT, "%,d left by earlier runs' writes removed first", removed));
            return;
        }
        System.err.println("bench: " + name + ": generating " + options.conversations() + " conversations");
        long started = System.nanoTime();
        runCli(settings, "demo-data", "--conversations", Long.toString(options.conversations()), "--seed", "1");
        double seconds = (System.nanoTime() - started) / 1e9;
        report.add(name, "demo-data (bulk path)", String.format(Locale.ROOT, "%.0f conversations/s",
                options.conversations() / seconds), "", "", "");
    }

    /** Pages, then writes, on one server at -Xmx1g. */
    private void pagesAndWrites(String name, Map<String, String> settings, Baselines baselines) throws Exception {
        timeToHealthy(name, settings);
        try (Served served = serve(name, options.runs("pages") ? "pages" : "writes", settings, "-Xmx1g")) {
            if (options.runs("pages")) {
                pages(name, served, baselines);
            }
            if (options.runs("concurrency")) {
                concurrency(name, served);
            }
            if (options.runs("writes") || options.runs("feed")) {
                if (options.runs("pages")) {
                    nextRecording(served, name, "writes");
                }
                writes(name, served, baselines);
            }
            if (options.runs("redaction")) {
                redaction(name, served);
            }
        }
    }

    /**
     * What redaction costs a write: POST throughput and server CPU per exchange with every kind on,
     * against every kind off, on exchanges whose question, answer and reasoning each hold an
     * e-mail address, two phone numbers and a card number.
     */
    private void redaction(String name, Served served) throws Exception {
        double[] off = redactedPosts(served, "{\"redaction\": {\"email\": false, \"phone\": false, \"card\": false}}");
        double[] on = redactedPosts(served, "{\"redaction\": {\"email\": true, \"phone\": true, \"card\": true}}");
        report.add(name, "POST exchange throughput, all three redactions on ÷ off (16 clients)", ratio(on[0], off[0]),
                "—", String.format(Locale.ROOT, "%.0f/s vs %.0f/s", on[0], off[0]),
                String.format(Locale.ROOT, "server CPU per exchange %.0f µs vs %.0f µs (+%.0f µs); p99 %s vs %s;"
                        + " errors %.0f vs %.0f", on[1] * 1e6, off[1] * 1e6, (on[1] - off[1]) * 1e6, ms(on[2]),
                        ms(off[2]), on[3], off[3]));
    }

    /** Throughput, server CPU seconds per exchange, p99 and errors of personal-data POSTs under these settings. */
    private double[] redactedPosts(Served served, String settings) throws Exception {
        HttpResponse<String> changed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(served.baseUrl + "/v2/workspace")).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(settings)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (changed.statusCode() != 200) {
            throw new IllegalStateException("PATCH /v2/workspace answered " + changed.statusCode() + " " + changed.body());
        }
        CpuTime.Reading before = CpuTime.read(served.process.pid());
        Wrk.Result posts = Wrk.postPersonal(served.baseUrl + "/v2/bots/requests", KEY, 16, run);
        CpuTime.Used cpu = before.perUnit(CpuTime.read(served.process.pid()),
                Math.round(posts.requestsPerSecond() * run.toSeconds()));
        return new double[] {posts.requestsPerSecond(), cpu.processSeconds(), posts.p99Millis(), posts.errors()};
    }

    /** First-page throughput and p99 with 1, 2, 4, 8 and 16 connections: where the server saturates. */
    private void concurrency(String name, Served served) throws Exception {
        String first = served.baseUrl + "/v2/bots/requests/public?source=all&limit=50";
        Wrk.get(first, KEY, 4, Duration.ofSeconds(5));
        List<double[]> points = new ArrayList<>();
        for (int connections : new int[] {1, 2, 4, 8, 16}) {
            Wrk.Result result = Wrk.get(first, KEY, connections, run);
            points.add(new double[] {connections, result.requestsPerSecond(), result.p99Millis()});
        }
        report.throughput(name, points);
    }

    /** Start-up timed on a server of its own, without the flight recorder, which adds its own start-up. */
    private void timeToHealthy(String name, Map<String, String> settings) throws Exception {
        long startedServe = System.nanoTime();
        try (Served served = Served.start(jar, settings, List.of("-Xmx1g"))) {
            report.add(name, "time from `java -jar` to healthy",
                    String.format(Locale.ROOT, "%.2f s", (served.healthyAfterNanos - startedServe) / 1e9), "", "", "");
        }
    }

    private void pages(String name, Served served, Baselines baselines) throws Exception {
        String base = served.baseUrl + "/v2/bots/requests/public?source=all&limit=50";
        // warm the JIT and the caches with reads only: a write now would put the harness's own
        // small exchanges on the first page, which the deep pages are compared with
        Wrk.get(base, KEY, 4, Duration.ofSeconds(5));
        Wrk.get(base + "&cursor=" + baselines.idAtDepth(0.5), KEY, 4, Duration.ofSeconds(5));
        long total = baselines.count();
        List<double[]> depths = new ArrayList<>();
        Wrk.Result first = Wrk.get(base, KEY, 1, run);
        for (double depth : new double[] {0.1, 0.5, 0.9}) {
            String cursor = baselines.idAtDepth(depth);
            Wrk.Result page = Wrk.get(base + "&cursor=" + cursor, KEY, 1, run);
            double offset = baselines.offsetPageMillis((long) (total * depth));
            depths.add(new double[] {depth, page.p50Millis(), offset});
            if (depth == 0.9) {
                report.add(name, "deep page (90% depth) p50 ÷ first page p50", ratio(page.p50Millis(), first.p50Millis()),
                        "≤ 1.2", ms(page.p50Millis()) + " vs " + ms(first.p50Millis()),
                        "OFFSET at the same depth (SQL alone): " + ms(offset));
            }
        }
        report.depths(name, first.p50Millis(), depths);
        Baselines.PageFloor floor = baselines.pageFloor(KEY);
        report.add(name, "page of 50 p50 ÷ same SQL + Jackson in one process (key lookup, then the page in one"
                        + " snapshot)", ratio(first.p50Millis(), floor.withKeyLookupMillis()), "≤ 1.3",
                ms(first.p50Millis()) + " vs " + ms(floor.withKeyLookupMillis()),
                "÷ the page's three statements alone: " + ratio(first.p50Millis(), floor.pageStatementsMillis())
                        + " (" + ms(floor.pageStatementsMillis()) + "); HTTP p99 " + ms(first.p99Millis()));
        for (String[] rare : new String[][] {{"category=legal-hold", "rare category"},
                {"userId=user-77", "one user"}, {"ticketId=ZD-100042", "one ticket"}}) {
            Wrk.Result filtered = Wrk.get(base + "&" + rare[0], KEY, 1, run);
            report.add(name, rare[1] + " p50 ÷ unfiltered page p50", ratio(filtered.p50Millis(), first.p50Millis()),
                    "≤ 2", ms(filtered.p50Millis()) + " vs " + ms(first.p50Millis()), baselines.rowsExamined(rare[0]));
        }
        Wrk.Result substring = Wrk.get(base + "&question=litigation%20hold", KEY, 1, run);
        double scan = baselines.unindexedScanMillis("litigation hold");
        report.add(name, "substring filter (selective term) vs unindexed LIKE scan",
                String.format(Locale.ROOT, "%.1f× faster", scan / substring.p50Millis()), "≥ 20×",
                ms(substring.p50Millis()) + " vs " + ms(scan), "'litigation hold': in about 0.05% of conversations");
        Wrk.Result common = Wrk.get(base + "&question=charged%20twice", KEY, 1, run);
        double commonScan = baselines.unindexedScanMillis("charged twice");
        report.add(name, "substring filter (common term) vs unindexed scan",
                String.format(Locale.ROOT, "%.1f× faster", commonScan / common.p50Millis()), "—",
                ms(common.p50Millis()) + " vs " + ms(commonScan), "'charged twice': in about 6% of requests");
        // issue 20: a word in a quarter of the conversations, whose first page the index alone made slow
        Wrk.Result commonWord = Wrk.get(base + "&question=refund", KEY, 1, run);
        double commonWordScan = baselines.unindexedScanMillis("refund");
        report.add(name, "common-word question search first page p50 ÷ unfiltered first page p50",
                ratio(commonWord.p50Millis(), first.p50Millis()), "≤ 5",
                ms(commonWord.p50Millis()) + " vs " + ms(first.p50Millis()),
                "'refund': in about a quarter of conversations; unindexed scan " + ms(commonWordScan) + " ("
                        + String.format(Locale.ROOT, "%.1f× faster", commonWordScan / commonWord.p50Millis()) + ")");
        Wrk.Result commonAnswer = Wrk.get(base + "&answer=refunds", KEY, 1, run);
        report.add(name, "common-word answer search first page p50 ÷ unfiltered first page p50",
                ratio(commonAnswer.p50Millis(), first.p50Millis()), "≤ 5",
                ms(commonAnswer.p50Millis()) + " vs " + ms(first.p50Millis()),
                "'refunds': in about a third of conversations");
        Wrk.Result rareTerm = Wrk.get(base + "&question=xyzzy", KEY, 1, run);
        double rareScan = baselines.unindexedScanMillis("xyzzy");
        report.add(name, "substring filter (term matching nothing) vs unindexed scan",
                String.format(Locale.ROOT, "%.1f× faster", rareScan / rareTerm.p50Millis()), "≥ 20×",
                ms(rareTerm.p50Millis()) + " vs " + ms(rareScan), "");
    }

    private void writes(String name, Served served, Baselines baselines) throws Exception {
        // both warmed first, so that neither is measured while its JIT is still compiling
        Wrk.post(served.baseUrl + "/v2/bots/requests", KEY, 16, run);
        baselines.rawTransactionsPerSecond(16, run);
        CpuTime.Reading before = CpuTime.read(served.process.pid());
        Wrk.Result posts = Wrk.post(served.baseUrl + "/v2/bots/requests", KEY, 16, run);
        CpuTime.Used parleyCpu = before.perUnit(CpuTime.read(served.process.pid()),
                Math.round(posts.requestsPerSecond() * run.toSeconds()));
        long harness = ProcessHandle.current().pid();
        CpuTime.Reading rawBefore = CpuTime.read(harness);
        double raw = baselines.rawTransactionsPerSecond(16, run);
        CpuTime.Used rawCpu = rawBefore.perUnit(CpuTime.read(harness), Math.round(raw * run.toSeconds()));
        report.add(name, "POST exchange throughput, 16 clients ÷ raw JDBC doing the same transactions",
                ratio(posts.requestsPerSecond(), raw), "≥ 0.7 (aim > 1)",
                String.format(Locale.ROOT, "%.0f/s vs %.0f/s", posts.requestsPerSecond(), raw),
                "p99 " + ms(posts.p99Millis()) + "; errors " + posts.errors() + ". Parley: "
                        + parleyCpu.describe("serve") + ". Raw JDBC: " + rawCpu.describe("the harness's JDBC"));
        if (options.runs("feed")) {
            feed(name, served, posts);
        }
    }

    /**
     * The changes feed (issue 16): POST throughput while a mirror follows the feed with long polls,
     * against the same without it, and how fast the feed reads a workspace from its start.
     */
    private void feed(String name, Served served, Wrk.Result without) throws Exception {
        Wrk.Result with;
        long followed;
        try (FeedFollower follower = FeedFollower.fromNow(served.baseUrl, KEY)) {
            with = Wrk.post(served.baseUrl + "/v2/bots/requests", KEY, 16, run);
            Thread.sleep(1_000);
            followed = follower.changes();
        }
        report.add(name, "POST exchange throughput, 16 clients, while a follower long-polls the changes feed ÷ without",
                ratio(with.requestsPerSecond(), without.requestsPerSecond()), "≥ 0.9",
                String.format(Locale.ROOT, "%.0f/s vs %.0f/s", with.requestsPerSecond(), without.requestsPerSecond()),
                String.format(Locale.ROOT, "the follower read %,d changes (%,.0f exchanges recorded); p99 %s; errors %d",
                        followed, with.requestsPerSecond() * run.toSeconds(), ms(with.p99Millis()), with.errors()));
        long started = System.nanoTime();
        long read;
        try (FeedFollower reader = FeedFollower.fromStart(served.baseUrl, KEY)) {
            Thread.sleep(run.toMillis());
            read = reader.changes();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        report.add(name, "changes feed read throughput, pages of 500 from the start of the workspace",
                String.format(Locale.ROOT, "%.0f changes/s", read / seconds), "",
                String.format(Locale.ROOT, "%,d changes in %.1f s", read, seconds),
                "one client; each change is a whole conversation");
    }

    private void exportFigures(String name, Map<String, String> settings, Baselines baselines) throws Exception {
        ExportRun whole = exportFromFreshServer(name, settings, "", "export");
        if (options.runs("export")) {
            export(name, whole, baselines);
        }
        if (options.runs("heap")) {
            heap(name, settings, baselines, whole);
        }
    }

    /** An export that did not end in a whole 200: reported as a figure of its own. */
    private static final class ExportFailed extends Exception {
        ExportFailed(String message) {
            super(message);
        }
    }

    /**
     * Two exports over HTTP from a fresh server held to -Xmx256m: the first with its heap sampled
     * all the while, the second timed. The throughput is the second's, so that it is the server's
     * and not its JIT's first minutes (the raw loop it is divided by is warmed the same way), read
     * by curl, so that the reader's own CPU on these shared cores is a native client's, and without
     * the sampler's scrapes of /metrics.
     */
    private ExportRun exportFromFreshServer(String name, Map<String, String> settings, String query, String phase)
            throws Exception {
        try (Served served = serve(name, phase, settings, "-Xmx256m")) {
            HeapSampler heap = new HeapSampler(served.baseUrl);
            heap.start();
            exportWithCurl(served, query);
            heap.stop();
            long started = System.nanoTime();
            long bytes = exportWithCurl(served, query);
            double seconds = (System.nanoTime() - started) / 1e9;
            return new ExportRun(bytes, seconds, heap.peakMegabytes(), heap.peakLiveMegabytes());
        }
    }

    /** An export read to its end by curl and dropped; answers its size. */
    private static long exportWithCurl(Served served, String query) throws Exception {
        Process curl = new ProcessBuilder("curl", "--silent", "--show-error", "--output", "/dev/null",
                "--write-out", "%{http_code} %{size_download}", "--header", "Authorization: Bearer " + KEY,
                served.baseUrl + "/v2/bots/conversations/export" + query).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (curl.waitFor() != 0 || !out.startsWith("200 ")) {
            throw new ExportFailed("export" + query + " answered " + out);
        }
        return Long.parseLong(out.substring(4));
    }

    record ExportRun(long bytes, double seconds, double peakMegabytes, double peakLiveMegabytes) {
    }

    /** The whole workspace's export against a raw JDBC stream of the same rows. */
    private void export(String name, ExportRun whole, Baselines baselines) throws Exception {
        double megabytesPerSecond = whole.bytes() / 1e6 / whole.seconds();
        baselines.rawExportMegabytesPerSecond(); // warms the raw loop as the server was warmed
        double raw = baselines.rawExportMegabytesPerSecond();
        report.add(name, "export MB/s ÷ raw JDBC stream + JsonGenerator to a null sink",
                ratio(megabytesPerSecond, raw), "≥ 0.7",
                String.format(Locale.ROOT, "%.1f MB/s vs %.1f MB/s", megabytesPerSecond, raw),
                String.format(Locale.ROOT, "%.0f MB in %.1f s from a server at -Xmx256m, its second export, read by curl; peak heap used %.0f MB (the first)",
                        whole.bytes() / 1e6, whole.seconds(), whole.peakMegabytes()));
    }

    /**
     * Whether an export's memory grows with what it exports: the whole workspace against its
     * oldest tenth (demo data alone, whatever this run wrote), each from a fresh server.
     */
    private void heap(String name, Map<String, String> settings, Baselines baselines, ExportRun whole)
            throws Exception {
        long end = baselines.createdAtAfterOldest(baselines.count() / 10).orElseThrow();
        ExportRun tenth = exportFromFreshServer(name, settings, "?endEpoch=" + end, "export-tenth");
        report.add(name, "export peak heap at 10× data ÷ at 1×", ratio(whole.peakMegabytes(), tenth.peakMegabytes()),
                "≤ 1.2", String.format(Locale.ROOT, "%.0f MB vs %.0f MB", whole.peakMegabytes(), tenth.peakMegabytes()),
                String.format(Locale.ROOT, "the whole workspace (%,d bytes of NDJSON) vs its oldest tenth (%,d bytes);"
                        + " heap used read every 100 ms, servers at -Xmx256m; G1's old generation (what survived"
                        + " collections) at its peak: %.0f MB vs %.0f MB", whole.bytes(), tenth.bytes(), whole.peakLiveMegabytes(),
                        tenth.peakLiveMegabytes()));
    }

    /** serve at -Xmx256m under a 16-client mixed load: no OutOfMemoryError, p99 steady. */
    private void memory(String name, Map<String, String> settings) throws Exception {
        try (Served served = serve(name, "memory", settings, "-Xmx256m")) {
            List<String> windows = new ArrayList<>();
            int rounds = run.toSeconds() < 10 ? 3 : 10;
            for (int i = 0; i < rounds; i++) {
                Wrk.Result mixed = Wrk.mixed(served.baseUrl, KEY, 16, Duration.ofSeconds(run.toSeconds() < 10 ? 10 : 30));
                windows.add(ms(mixed.p99Millis()));
            }
            report.add(name, "serve at -Xmx256m, 16-client mixed load (pages, exchanges, exports)",
                    served.alive() && !served.log().contains("OutOfMemoryError") ? "no OutOfMemoryError" : "FAILED",
                    "no OOM, p99 stable", "p99 per window: " + String.join(", ", windows),
                    rounds * (run.toSeconds() < 10 ? 10 : 30) + " s of load");
        }
    }

    /**
     * PostgreSQL: {@code parley import} against COPY of the same rows. The oldest conversations (up
     * to {@link #IMPORT_SLICE}) are exported with the CLI, then imported into one new database and,
     * converted to rows beforehand, copied into another with the same schema and indexes.
     */
    private void importAgainstCopy(String name, Map<String, String> settings, Baselines baselines) throws Exception {
        Path slice = work.resolve("import-slice.ndjson");
        List<String> export = new ArrayList<>(List.of("export", "--output", slice.toString()));
        baselines.createdAtAfterOldest(IMPORT_SLICE).ifPresent(end ->
                export.addAll(List.of("--end-epoch", Long.toString(end))));
        runCli(settings, export.toArray(String[]::new));
        String imported = "parley_bench_import_" + ProcessHandle.current().pid();
        String copied = "parley_bench_copy_" + ProcessHandle.current().pid();
        try {
            String importUrl = createDatabase(imported);
            String copyUrl = createDatabase(copied);
            // the schema and the workspace, made before either clock starts
            for (String url : List.of(importUrl, copyUrl)) {
                runCli(postgresSettings(url), "keys", "create", "--workspace", "default", "--scopes", "read");
            }
            long started = System.nanoTime();
            runCli(postgresSettings(importUrl), "import", slice.toString());
            double importSeconds = (System.nanoTime() - started) / 1e9;
            double copySeconds;
            try (RawCopy copy = RawCopy.convert(slice, RawCopy.defaultWorkspace(copyUrl), work)) {
                copySeconds = copy.load(copyUrl);
            }
            Map<String, Long> rows = RawCopy.rowCounts(importUrl);
            if (!rows.equals(RawCopy.rowCounts(copyUrl))) {
                throw new IllegalStateException("import and COPY stored different rows: " + rows + " vs "
                        + RawCopy.rowCounts(copyUrl));
            }
            long conversations = rows.get("conversations");
            long requests = rows.get("bot_requests");
            report.add(name, "import rows/s ÷ raw COPY of the same rows",
                    ratio(conversations / importSeconds, conversations / copySeconds), "≥ 0.5",
                    String.format(Locale.ROOT, "%.0f/s vs %.0f/s conversations, %.0f/s vs %.0f/s bot requests",
                            conversations / importSeconds, conversations / copySeconds, requests / importSeconds,
                            requests / copySeconds),
                    String.format(Locale.ROOT, "%,d conversations, %,d bot requests (%.0f MB of NDJSON) into an empty"
                            + " schema with every index; import: the whole `parley import` process, JVM start included;"
                            + " COPY: the four tables in one transaction", conversations, requests,
                            Files.size(slice) / 1e6));
        } finally {
            dropDatabase(imported);
            dropDatabase(copied);
            Files.deleteIfExists(slice);
        }
    }

    private void healthzAgainstBareJetty() throws Exception {
        Map<String, String> settings = Map.of("PARLEY_DATA_DIR", work.resolve("healthz").toString());
        try (Served served = serve("both", "healthz", settings, "-Xmx1g"); BareJetty bare = BareJetty.start()) {
            // both warmed first, so that neither is measured while its JIT is still compiling
            Wrk.get(served.baseUrl + "/healthz", null, 16, Duration.ofSeconds(5));
            Wrk.get(bare.baseUrl() + "/healthz", null, 16, Duration.ofSeconds(5));
            Wrk.Result parley = Wrk.get(served.baseUrl + "/healthz", null, 16, run);
            Wrk.Result jetty = Wrk.get(bare.baseUrl() + "/healthz", null, 16, run);
            report.add("both", "/healthz throughput ÷ bare Jetty handler", ratio(parley.requestsPerSecond(),
                    jetty.requestsPerSecond()), "≥ 0.7", String.format(Locale.ROOT, "%.0f/s vs %.0f/s",
                    parley.requestsPerSecond(), jetty.requestsPerSecond()), "16 connections");
        }
    }

    /** A server for one phase; with --jfr it records the phase to target/bench-jfr/STORE-PHASE.jfr. */
    private Served serve(String store, String phase, Map<String, String> settings, String heap) throws Exception {
        List<String> jvm = new ArrayList<>(List.of(heap));
        if (options.jfr()) {
            jvm.add("-XX:StartFlightRecording=name=bench,filename=" + recording(store, phase)
                    + ",settings=" + profileSettings() + ",dumponexit=true");
            // inclusive time needs whole stacks, and Jetty's run deeper than JFR's default of 64 frames
            jvm.add("-XX:FlightRecorderOptions:stackdepth=256");
        }
        return Served.start(jar, settings, jvm);
    }

    /** Pages and writes share a server: with --jfr, the recording of pages is closed and one of writes begun. */
    private void nextRecording(Served served, String store, String phase) throws Exception {
        if (options.jfr()) {
            Path file = recording(store, phase);
            jcmd(served, "JFR.stop", "name=bench");
            jcmd(served, "JFR.start", "name=bench", "settings=" + profileSettings(), "filename=" + file,
                    "dumponexit=true");
        }
    }

    /**
     * JFR's {@code profile} settings with every blocking socket read recorded (it keeps only those
     * over 10 ms): the reads from PostgreSQL show how long a request waits for the database, which
     * execution samples cannot, since a waiting thread is not sampled.
     */
    private static Path profileSettings() throws IOException {
        Path settings = RECORDINGS.resolve("profile-with-database-waits.jfc").toAbsolutePath();
        if (!Files.exists(settings)) {
            Path jdkProfile = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
            String profile = Files.readString(jdkProfile);
            String lowered = profile.replaceFirst("(?<opening><event name=\"jdk\\.SocketRead\">[^<]*"
                    + "(<setting[^>]*>[^<]*</setting>\\s*)*?<setting name=\"threshold\"[^>]*>)[^<]*", "${opening}0 ms");
            if (lowered.equals(profile)) {
                throw new IllegalStateException("no jdk.SocketRead threshold found in " + jdkProfile);
            }
            Files.createDirectories(RECORDINGS);
            Files.writeString(settings, lowered);
        }
        return settings;
    }

    private Path recording(String store, String phase) throws IOException {
        Files.createDirectories(RECORDINGS);
        Path file = RECORDINGS.resolve(store.toLowerCase(Locale.ROOT) + "-" + phase + ".jfr").toAbsolutePath();
        recordings.add(file);
        return file;
    }

    private static void jcmd(Served served, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(served.process.pid())));
        args.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed: " + out);
        }
    }

    /** A CLI command to its end; its standard output, where only secrets and data go, is dropped. */
    private void runCli(Map<String, String> settings, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(settings);
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
        }
    }

    /** A new, empty database (one left by an interrupted run is dropped first); answers its URL. */
    private String createDatabase(String database) throws SQLException {
        try (Connection admin = DriverManager.getConnection(postgresServer)) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS " + database);
            admin.createStatement().execute("CREATE DATABASE " + database);
        }
        return withDatabase(postgresServer, database);
    }

    /** The database, made if missing and otherwise left as it is; answers its URL. */
    private String ensureDatabase(String database) throws SQLException {
        try (Connection admin = DriverManager.getConnection(postgresServer);
             PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    admin.createStatement().execute("CREATE DATABASE " + database);
                }
            }
        }
        return withDatabase(postgresServer, database);
    }

    private void dropDatabase(String database) throws SQLException {
        try (Connection admin = DriverManager.getConnection(postgresServer)) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** Whether Parley's schema is there, which means demo-data ran (a kept database, reused). */
    private static boolean holdsHistory(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT to_regclass('public.conversations') IS NOT NULL")) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String withDatabase(String url, String database) {
        int pathStart = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        return url.substring(0, pathStart) + "/" + database + (query < 0 ? "" : url.substring(query));
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 1 ? "%.3f ms" : "%.2f ms", millis);
    }

    static String ratio(double a, double b) {
        return String.format(Locale.ROOT, "%.2f", a / b);
    }

    /** bench/run's command line. */
    record Options(boolean quick, long conversations, Optional<Path> data, Set<String> figures, Set<String> stores,
                   boolean jfr, boolean partial, Optional<Path> jar, Optional<String> database) {

        static final List<String> FIGURES = List.of("healthz", "pages", "concurrency", "writes", "feed", "redaction",
                "export", "memory", "import", "heap", "webhooks", "stats");
        static final List<String> STORES = List.of("sqlite", "postgresql");
        private static final String USAGE = "usage: bench/run [--quick] [--conversations N] [--data DIR]"
                + " [--only " + String.join(",", FIGURES) + "] [--stores " + String.join(",", STORES) + "] [--jfr]"
                + " [--jar PARLEY_JAR] [--database KEPT_POSTGRESQL_DATABASE]";

        static Options parse(String[] args) {
            Set<String> flags = new HashSet<>();
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick", "--jfr" -> flags.add(args[i]);
                    case "--conversations", "--data", "--only", "--stores", "--jar", "--database" -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException(args[i] + " needs a value; " + USAGE);
                        }
                        values.put(args[i], args[++i]);
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; " + USAGE);
                }
            }
            if (values.containsKey("--database") && !values.containsKey("--data")) {
                // without --data the run makes a database of its own and drops it: NAME would be ignored
                throw new IllegalArgumentException("--database keeps PostgreSQL's data only with --data DIR; " + USAGE);
            }
            boolean quick = flags.contains("--quick");
            return new Options(quick,
                    Optional.ofNullable(values.get("--conversations")).map(Long::parseLong)
                            .orElse(quick ? 50_000L : 1_000_000L),
                    Optional.ofNullable(values.get("--data")).map(dir -> Path.of(dir).toAbsolutePath()),
                    chosen(values.get("--only"), FIGURES, "--only"),
                    chosen(values.get("--stores"), STORES, "--stores"),
                    flags.contains("--jfr"),
                    values.containsKey("--only") || values.containsKey("--stores"),
                    Optional.ofNullable(values.get("--jar")).map(jar -> Path.of(jar).toAbsolutePath()),
                    Optional.ofNullable(values.get("--database")));
        }

        private static Set<String> chosen(String list, List<String> allowed, String option) {
            if (list == null) {
                return Set.copyOf(allowed);
            }
            Set<String> chosen = new LinkedHashSet<>();
            for (String item : list.split(",")) {
                if (!allowed.contains(item.trim())) {
                    throw new IllegalArgumentException(option + ": '" + item.trim() + "' is not one of "
                            + String.join(", ", allowed));
                }
                chosen.add(item.trim());
            }
            return chosen;
        }

        boolean runs(String figure) {
            return figures.contains(figure);
        }
    }

    /** A {@code parley serve} child process. */
    static final class Served implements AutoCloseable {
        final Process process;
        final String baseUrl;
        final long healthyAfterNanos;
        final Path log;

        private Served(Process process, String baseUrl, long healthyAfterNanos, Path log) {
            this.process = process;
            this.baseUrl = baseUrl;
            this.healthyAfterNanos = healthyAfterNanos;
            this.log = log;
        }

        static Served start(Path jar, Map<String, String> settings, List<String> jvmOptions) throws Exception {
            int port = freePort();
            Path log = Files.createTempFile("parley-bench-serve", ".log");
            List<String> command = new ArrayList<>(List.of(javaBinary()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString(), "serve"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(settings);
            builder.environment().put("PARLEY_PORT", Integer.toString(port));
            builder.environment().put("PARLEY_BOOTSTRAP_KEY", KEY);
            builder.environment().put("PARLEY_RATE_LIMIT", "0");
            builder.environment().put("PARLEY_MAX_QUEUED_REQUESTS", "100000");
            Process process = builder.start();
            String base = "http://127.0.0.1:" + port;
            HttpClient client = HttpClient.newHttpClient();
            // a deadline, not a number of tries: on a loaded machine start-up has taken most of a minute
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    if (client.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return new Served(process, base, System.nanoTime(), log);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(20);
            }
            process.destroyForcibly();
            throw new IllegalStateException("serve did not become healthy; see " + log);
        }

        boolean alive() {
            return process.isAlive();
        }

        String log() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor();
        }
    }

    /** The results, and docs/benchmarks.md made of them. */
    static final class Report {
        private final long conversations;
        private final String command;
        private final Map<String, List<String[]>> rows = new LinkedHashMap<>();
        private final Map<String, List<double[]>> depths = new LinkedHashMap<>();
        private final Map<String, Double> firstPages = new LinkedHashMap<>();
        private final Map<String, List<double[]>> throughputs = new LinkedHashMap<>();

        Report(long conversations, String command) {
            this.conversations = conversations;
            this.command = command;
        }

        void add(String store, String figure, String value, String goal, String measured, String note) {
            rows.computeIfAbsent(store, s -> new ArrayList<>()).add(new String[] {figure, value, goal, measured, note});
            System.err.println("bench: " + store + ": " + figure + " = " + value + " (" + measured + ")");
        }

        /** @param points connections, requests per second, p99 in ms */
        void throughput(String store, List<double[]> points) {
            throughputs.put(store, points);
            for (double[] point : points) {
                System.err.println("bench: " + store + ": first page with " + (int) point[0] + " connections = "
                        + String.format(Locale.ROOT, "%.0f/s, p99 %s", point[1], ms(point[2])));
            }
        }

        void depths(String store, double firstPage, List<double[]> points) {
            depths.put(store, points);
            firstPages.put(store, firstPage);
        }

        /** NAME.md in dir, and beside it NAME-latency-by-depth.svg when depth figures were taken. */
        void write(Path dir, String name) throws Exception {
            String plot = name + "-latency-by-depth.svg";
            Path out = dir.resolve(name + ".md");
            Files.writeString(out, markdown(plot));
            if (!depths.isEmpty()) {
                Files.writeString(dir.resolve(plot), depthPlot());
            }
            if (!throughputs.isEmpty()) {
                Files.writeString(dir.resolve(name + "-throughput-by-concurrency.svg"), throughputPlot());
            }
            System.err.println("bench: wrote " + out.toAbsolutePath());
        }

        private String markdown(String plot) throws Exception {
            StringBuilder md = new StringBuilder();
            md.append("# Benchmarks\n\n");
            md.append("Made by `").append(command).append("` on ")
                    .append(Instant.now().toString(), 0, 10).append(", commit `").append(commit()).append("`, ")
                    .append(String.format(Locale.ROOT, "%,d", conversations)).append(" demo conversations per store.\n\n");
            md.append("Machine: ").append(machine()).append(". JVM: ").append(System.getProperty("java.vm.name"))
                    .append(' ').append(System.getProperty("java.version")).append(". Load: wrk on the same machine.\n\n");
            md.append("Each figure is Parley against the same work without Parley, measured in the same run. p50s of");
            md.append(" pages are with one connection, so they are latencies, not queueing.\n\n");
            for (Map.Entry<String, List<String[]>> store : rows.entrySet()) {
                md.append("## ").append(store.getKey().equals("both") ? "Both stores" : store.getKey()).append("\n\n");
                md.append("| figure | result | goal | measured | note |\n|---|---|---|---|---|\n");
                for (String[] row : store.getValue()) {
                    md.append("| ").append(String.join(" | ", row)).append(" |\n");
                }
                md.append('\n');
            }
            if (!throughputs.isEmpty()) {
                md.append("## Throughput against concurrency\n\n![first-page throughput by connections](")
                        .append(plot.replace("-latency-by-depth.svg", "-throughput-by-concurrency.svg")).append(")\n\n");
                md.append("| store | connections | first pages/s | p99 |\n|---|---|---|---|\n");
                for (Map.Entry<String, List<double[]>> store : throughputs.entrySet()) {
                    for (double[] point : store.getValue()) {
                        md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %s |%n", store.getKey(), (int) point[0],
                                point[1], ms(point[2])));
                    }
                }
                md.append('\n');
            }
            if (depths.isEmpty()) {
                return md.toString();
            }
            md.append("## Latency against depth\n\n![page p50 by depth](").append(plot).append(")\n\n");
            md.append("| store | depth | keyset page p50 (HTTP) | OFFSET page (SQL alone) |\n|---|---|---|---|\n");
            for (Map.Entry<String, List<double[]>> store : depths.entrySet()) {
                md.append("| ").append(store.getKey()).append(" | 0% | ").append(ms(firstPages.get(store.getKey())))
                        .append(" | — |\n");
                for (double[] point : store.getValue()) {
                    md.append("| ").append(store.getKey()).append(" | ").append((int) (point[0] * 100)).append("% | ")
                            .append(ms(point[1])).append(" | ").append(ms(point[2])).append(" |\n");
                }
            }
            return md.toString();
        }

        /** A small line chart: page p50 at 0%, 10%, 50%, 90% depth, keyset against OFFSET. */
        private String depthPlot() {
            int width = 640;
            int height = 320;
            double max = 1;
            for (Map.Entry<String, List<double[]>> store : depths.entrySet()) {
                max = Math.max(max, firstPages.get(store.getKey()));
                for (double[] point : store.getValue()) {
                    max = Math.max(max, Math.max(point[1], point[2]));
                }
            }
            StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width
                    + "\" height=\"" + height + "\" font-family=\"sans-serif\" font-size=\"12\">\n"
                    + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
                    + "<text x=\"10\" y=\"18\" font-size=\"14\">Page p50 (ms) by depth: keyset (solid) vs OFFSET (dashed)</text>\n"
                    + "<line x1=\"60\" y1=\"280\" x2=\"620\" y2=\"280\" stroke=\"black\"/>\n"
                    + "<line x1=\"60\" y1=\"40\" x2=\"60\" y2=\"280\" stroke=\"black\"/>\n");
            for (int tick = 0; tick <= 4; tick++) {
                double value = max * tick / 4;
                int y = 280 - tick * 60;
                svg.append(String.format(Locale.ROOT, "<text x=\"5\" y=\"%d\">%.1f</text>%n", y + 4, value));
            }
            for (int depth : new int[] {0, 10, 50, 90}) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"298\">%d%%</text>%n", 60 + depth * 6 - 8, depth));
            }
            String[] colours = {"#2563eb", "#dc2626"};
            int index = 0;
            for (Map.Entry<String, List<double[]>> store : depths.entrySet()) {
                String colour = colours[index++ % colours.length];
                StringBuilder keyset = new StringBuilder(point(0, firstPages.get(store.getKey()), max));
                StringBuilder offset = new StringBuilder(point(0, firstPages.get(store.getKey()), max));
                for (double[] p : store.getValue()) {
                    keyset.append(' ').append(point(p[0], p[1], max));
                    offset.append(' ').append(point(p[0], p[2], max));
                }
                svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
                        .append(keyset).append("\"/>\n");
                svg.append("<polyline fill=\"none\" stroke=\"").append(colour)
                        .append("\" stroke-width=\"2\" stroke-dasharray=\"6 4\" points=\"").append(offset).append("\"/>\n");
                svg.append("<text x=\"470\" y=\"").append(40 + index * 16).append("\" fill=\"").append(colour)
                        .append("\">").append(store.getKey()).append("</text>\n");
            }
            return svg.append("</svg>\n").toString();
        }

        /** A small line chart: first pages per second against connections (1 to 16, doubling), a line per store. */
        private String throughputPlot() {
            double max = 1;
            for (List<double[]> points : throughputs.values()) {
                for (double[] point : points) {
                    max = Math.max(max, point[1]);
                }
            }
            StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"320\""
                    + " font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
                    + "<text x=\"10\" y=\"18\" font-size=\"14\">First pages per second against connections</text>\n"
                    + "<line x1=\"60\" y1=\"280\" x2=\"620\" y2=\"280\" stroke=\"black\"/>\n"
                    + "<line x1=\"60\" y1=\"40\" x2=\"60\" y2=\"280\" stroke=\"black\"/>\n");
            for (int tick = 0; tick <= 4; tick++) {
                svg.append(String.format(Locale.ROOT, "<text x=\"5\" y=\"%d\">%.0f</text>%n", 284 - tick * 60,
                        max * tick / 4));
            }
            for (int step = 0; step <= 4; step++) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"298\">%d</text>%n", 60 + step * 140 - 4,
                        1 << step));
            }
            String[] colours = {"#2563eb", "#dc2626"};
            int index = 0;
            for (Map.Entry<String, List<double[]>> store : throughputs.entrySet()) {
                String colour = colours[index++ % colours.length];
                StringBuilder line = new StringBuilder();
                for (double[] point : store.getValue()) {
                    double step = Math.log(point[0]) / Math.log(2);
                    line.append(String.format(Locale.ROOT, "%.1f,%.1f ", 60 + step * 140, 280 - point[1] / max * 240));
                }
                svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
                        .append(line.toString().trim()).append("\"/>\n");
                svg.append("<text x=\"470\" y=\"").append(40 + index * 16).append("\" fill=\"").append(colour)
                        .append("\">").append(store.getKey()).append("</text>\n");
            }
            return svg.append("</svg>\n").toString();
        }

        private static String point(double depth, double millis, double max) {
            return String.format(Locale.ROOT, "%.1f,%.1f", 60 + depth * 600, 280 - millis / max * 240);
        }

        private static String commit() throws Exception {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").start();
            return new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        }

        private static String machine() throws Exception {
            String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
            long memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024).orElse(0L);
            return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory + " GiB";
        }
    }
}
