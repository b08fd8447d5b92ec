package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testing.ParleyJar;
import dev.parley.testing.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * deploy/nginx-parley.conf as it is, on loopback: nginx before three {@code java -jar parley.jar
 * serve} on one PostgreSQL. Sixteen clients write (each POST with its own id, retried with the
 * same id when no answer came back) and read, while the three instances are restarted one after
 * another with SIGTERM, and then while one is killed with SIGKILL. The figures go to standard
 * output and target/rolling-restart/figures.txt (docs/reliability.md quotes them).
 */
class RollingRestartIT {

    private static final String KEY = "rolling-restart-bootstrap-key-0123456789";
    private static final int CLIENTS = 16;
    private static final Duration ROLLING_PHASE = Duration.ofSeconds(60);
    private static final Duration KILL_PHASE = Duration.ofSeconds(15);
    private static final int EXTRA_KEYS = 3;
    private static final int RATE_LIMIT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Path work = Path.of("target", "rolling-restart").toAbsolutePath();

    enum Phase { ROLLING, KILL }

    /** One request as the client saw it, its own retries included. */
    record Outcome(Phase phase, boolean ok, int attempts, long nanos, String last) {
    }

    @Test
    void aRollingRestartLosesNoRequestAndAKillLosesNoAcknowledgedWrite() throws Exception {
        deleteRecursively(work);  // nginx's log counts the requests per instance of this run only
        Files.createDirectories(work);
        String databaseUrl = TestStores.POSTGRESQL.freshConfig().databaseUrl().orElseThrow();
        List<Instance> instances = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            instances.add(new Instance(i, freePort(), databaseUrl, work));
        }
        try {
            instances.get(0).start(Map.of());
            instances.get(0).awaitReady();  // the first one migrates the schema alone
            for (Instance instance : instances.subList(1, 3)) {
                instance.start(Map.of());
            }
            for (Instance instance : instances.subList(1, 3)) {
                instance.awaitReady();
            }
            List<String> keys = new ArrayList<>(List.of(KEY));
            keys.addAll(extraKeys(databaseUrl));
            underLoad(instances, keys);
        } finally {
            for (Instance instance : instances) {
                instance.close();
            }
        }
    }

    private void underLoad(List<Instance> instances, List<String> keys) throws Exception {
        try (Nginx nginx = Nginx.start(work, instances.stream().map(Instance::port).toList())) {
            Load load = new Load(nginx.baseUrl(), keys);
            load.start();
            long started = System.nanoTime();
            Thread.sleep(5_000);
            List<Integer> exitCodes = new ArrayList<>();
            for (Instance instance : instances) {  // the rolling upgrade
                exitCodes.add(instance.terminate());
                instance.start(Map.of());
                instance.awaitReady();
                Thread.sleep(1_000);
            }
            sleepUntil(started + ROLLING_PHASE.toNanos());
            load.phase = Phase.KILL;
            Thread.sleep(4_000);
            Instance killed = nginx.busiest(instances);
            killed.kill();
            sleepUntil(started + ROLLING_PHASE.toNanos() + KILL_PHASE.toNanos());
            List<Outcome> outcomes = load.stop();

            Figures rolling = Figures.of(outcomes, Phase.ROLLING);
            Figures kill = Figures.of(outcomes, Phase.KILL);
            Verification verified = verify(nginx.baseUrl(), load);
            RateCheck rate = rateLimitThroughTheBalancer(instances, nginx.baseUrl(), load.anyConversation());
            String report = String.format(Locale.ROOT, """
                    rolling restart (SIGTERM, one after another), %d s, %d clients: %s
                      exit codes of the stopped instances: %s
                    one instance SIGKILLed, %d s: %s
                    afterwards: %d acknowledged writes, %d found, %d duplicates; %d retries of acknowledged ids \
                    answered %s
                    requests per instance (nginx's log; port: count; the one killed: %d): %s
                    rate limit %d/s per instance (bursts of %d), one key, %d requests through nginx in %.2f s: \
                    %d answered 200, %d answered 429
                    """, ROLLING_PHASE.toSeconds(), CLIENTS, rolling, exitCodes, KILL_PHASE.toSeconds(), kill,
                    verified.acknowledged, verified.found, verified.duplicates, verified.retried, verified.retryStatuses,
                    killed.port(), nginx.requestsPerInstance(), RATE_LIMIT, 2 * RATE_LIMIT, rate.sent, rate.seconds, rate.ok,
                    rate.limited);
            System.out.println(report);
            Files.writeString(work.resolve("figures.txt"), report);

            assertThat(exitCodes).as("a stop by SIGTERM is an orderly exit").allMatch(code -> code == 0 || code == 143);
            assertThat(rolling.requests).isGreaterThan(1000);
            assertThat(rolling.failed).as(report).isZero();
            assertThat(kill.failed).as(report).isZero();
            assertThat(kill.retried).as("only requests in flight on the killed instance fail (one per client at most)")
                    .isLessThanOrEqualTo(CLIENTS);
            assertThat(verified.found).as(report).isEqualTo(verified.acknowledged);
            assertThat(verified.duplicates).as(report).isZero();
            assertThat(verified.retryStatuses).as(report).containsOnlyKeys(200);
            // as on one instance: its burst and what refills while the requests are sent, not three times that
            assertThat(rate.ok).as(report).isGreaterThanOrEqualTo(2 * RATE_LIMIT - 1)
                    .isLessThanOrEqualTo((int) (2 * RATE_LIMIT + RATE_LIMIT * Math.ceil(rate.seconds) + 2));
        }
    }

    /** Keys beside the bootstrap one, so that the balancer, which routes by key, spreads the load. */
    private static List<String> extraKeys(String databaseUrl) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(EXTRA_KEYS);
        try {
            List<Future<ParleyJar.Result>> created = new ArrayList<>();
            for (int i = 0; i < EXTRA_KEYS; i++) {
                created.add(pool.submit(() -> ParleyJar.run(Map.of("PARLEY_DATABASE_URL", databaseUrl,
                        "PARLEY_DATABASE_POOL_SIZE", "2"), "keys",
                        "create", "--workspace", "default", "--scopes", "read,write")));
            }
            List<String> keys = new ArrayList<>();
            for (Future<ParleyJar.Result> result : created) {
                assertThat(result.get().exitCode()).as(result.get().err()).isZero();
                keys.add(result.get().lastLineOfOut());
            }
            return keys;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The load: each client writes to four conversations of its own and reads them back. */
    static final class Load {
        final String base;
        final List<String> keys;
        final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>(); // conversation -> request ids
        final Map<String, String> bodies = new ConcurrentHashMap<>(); // request id -> the body sent
        final Map<String, String> keyOf = new ConcurrentHashMap<>(); // conversation -> the key writing it
        final List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        final List<Future<?>> running = new ArrayList<>();
        volatile Phase phase = Phase.ROLLING;
        volatile boolean stopped;

        Load(String base, List<String> keys) {
            this.base = base;
            this.keys = keys;
        }

        void start() {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    run(client);
                    return null;
                }));
            }
        }

        private void run(int client) throws InterruptedException {
            String key = keys.get(client % keys.size());
            List<String> conversations = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String conversation = UUID.randomUUID().toString();
                conversations.add(conversation);
                keyOf.put(conversation, key);
            }
            List<String> written = new ArrayList<>();
            int n = 0;
            while (!stopped) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                String conversation = conversations.get(random.nextInt(conversations.size()));
                if (written.isEmpty() || random.nextBoolean()) {
                    String id = UUID.randomUUID().toString();
                    String body = "{\"id\":\"" + id + "\",\"conversationId\":\"" + conversation
                            + "\",\"source\":\"api\",\"question\":\"question " + client + "-" + n++
                            + "\",\"answer\":\"an answer\",\"createdAt\":1764624212240}";
                    bodies.put(id, body);
                    Outcome outcome = send(HttpRequest.newBuilder(URI.create(base + "/v2/bots/requests"))
                            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)));
                    if (outcome.ok) {
                        acknowledged.computeIfAbsent(conversation, c -> ConcurrentHashMap.newKeySet()).add(id);
                        written.add(conversation);
                    }
                } else {
                    send(HttpRequest.newBuilder(URI.create(base + "/v2/bots/conversations/"
                            + written.get(random.nextInt(written.size())))).header("Authorization", "Bearer " + key));
                }
            }
        }

        /** Sends until a 2xx, again (the same request, the same id) after no answer, a 502, 503 or 504. */
        private Outcome send(HttpRequest.Builder request) throws InterruptedException {
            Phase at = phase;
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(20).toNanos();
            int attempts = 0;
            String last = "";
            while (System.nanoTime() < deadline) {
                attempts++;
                try {
                    HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(15)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    int status = response.statusCode();
                    last = Integer.toString(status);
                    if (status / 100 == 2) {
                        return record(new Outcome(at, true, attempts, System.nanoTime() - start, last));
                    }
                    if (status != 502 && status != 503 && status != 504) {
                        break;
                    }
                } catch (IOException e) {
                    last = e.toString();
                }
                Thread.sleep(100);
            }
            return record(new Outcome(at, false, attempts, System.nanoTime() - start, last));
        }

        private Outcome record(Outcome outcome) {
            outcomes.add(outcome);
            return outcome;
        }

        List<Outcome> stop() throws Exception {
            stopped = true;
            for (Future<?> client : running) {
                client.get();
            }
            clients.shutdown();
            return new ArrayList<>(outcomes);
        }

        String anyConversation() {
            return acknowledged.keySet().stream().filter(c -> keyOf.get(c).equals(KEY)).findFirst().orElseThrow();
        }
    }

    /** Requests, failures and latency of one phase, as the clients saw them. */
    record Figures(int requests, int failed, int retried, double p50, double p99, double max, List<String> failures) {
        static Figures of(List<Outcome> outcomes, Phase phase) {
            List<Outcome> these = outcomes.stream().filter(o -> o.phase == phase).toList();
            long[] millis = these.stream().mapToLong(o -> o.nanos / 1_000_000).sorted().toArray();
            List<String> failures = these.stream().filter(o -> !o.ok).map(o -> o.last).limit(5).toList();
            return new Figures(these.size(), (int) these.stream().filter(o -> !o.ok).count(),
                    (int) these.stream().filter(o -> o.attempts > 1).count(), percentile(millis, 0.50),
                    percentile(millis, 0.99), millis.length == 0 ? 0 : millis[millis.length - 1], failures);
        }

        private static double percentile(long[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d requests, %d failed%s, %d retried by the client with the same id;"
                    + " latency p50 %.0f ms, p99 %.0f ms, max %.0f ms", requests, failed,
                    failures.isEmpty() ? "" : " " + failures, retried, p50, p99, max);
        }
    }

    record Verification(int acknowledged, int found, int duplicates, int retried, Map<Integer, Integer> retryStatuses) {
    }

    /** Every acknowledged write is there once; the same id sent again answers 200, not a second copy. */
    private static Verification verify(String base, Load load) throws Exception {
        int acknowledged = 0;
        int found = 0;
        int duplicates = 0;
        for (Map.Entry<String, Set<String>> conversation : load.acknowledged.entrySet()) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base
                            + "/v2/bots/conversations/" + conversation.getKey()))
                    .header("Authorization", "Bearer " + load.keyOf.get(conversation.getKey())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            List<String> stored = new ArrayList<>();
            for (JsonNode request : JSON.readTree(response.body()).path("botRequests")) {
                stored.add(request.path("id").asText());
            }
            acknowledged += conversation.getValue().size();
            found += (int) conversation.getValue().stream().filter(stored::contains).count();
            duplicates += stored.size() - new HashSet<>(stored).size();
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        int retried = 0;
        for (Map.Entry<String, Set<String>> conversation : load.acknowledged.entrySet()) {
            for (String id : conversation.getValue().stream().limit(3).toList()) {
                HttpResponse<Void> again = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/bots/requests"))
                        .header("Authorization", "Bearer " + load.keyOf.get(conversation.getKey()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(load.bodies.get(id))).build(),
                        HttpResponse.BodyHandlers.discarding());
                statuses.merge(again.statusCode(), 1, Integer::sum);
                retried++;
            }
        }
        return new Verification(acknowledged, found, duplicates, retried, statuses);
    }

    record RateCheck(int sent, double seconds, int ok, int limited) {
    }

    /** The three restarted with a low limit; one key's burst through nginx meets the limit of one instance. */
    private static RateCheck rateLimitThroughTheBalancer(List<Instance> instances, String base, String conversation)
            throws Exception {
        Map<String, String> limited = Map.of("PARLEY_RATE_LIMIT", Integer.toString(RATE_LIMIT));
        for (Instance instance : instances) {
            instance.terminateIfAlive();
            instance.start(limited);
        }
        for (Instance instance : instances) {
            instance.awaitReady();
        }
        int sent = 20 * RATE_LIMIT;
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger tooMany = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long start = System.nanoTime();
        List<Future<?>> requests = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            requests.add(pool.submit(() -> {
                int status = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/bots/conversations/"
                                + conversation)).header("Authorization", "Bearer " + KEY).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                (status == 200 ? ok : status == 429 ? tooMany : new AtomicInteger()).incrementAndGet();
                return null;
            }));
        }
        for (Future<?> request : requests) {
            request.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new RateCheck(sent, seconds, ok.get(), tooMany.get());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
