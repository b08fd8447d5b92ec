package dev.parley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a server's heap from its /metrics every 100 ms and keeps two peaks: the heap in use
 * (garbage not yet collected included, so it follows the collector's sizing as much as the
 * data), and G1's old generation (what survived collections: what the server holds on to).
 */
final class HeapSampler {

    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} ([0-9.E+]+)");
    /** G1's old generation: what survived young collections, so what the server holds on to. */
    private static final Pattern LIVE = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"G1 Old Gen\"} ([0-9.E+]+)");

    private final String baseUrl;
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile boolean running;
    private volatile double peakBytes;
    private volatile double peakLiveBytes;
    private Thread thread;

    HeapSampler(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    void start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                try {
                    String metrics = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    double used = 0;
                    Matcher m = HEAP.matcher(metrics);
                    while (m.find()) {
                        used += Double.parseDouble(m.group(1));
                    }
                    peakBytes = Math.max(peakBytes, used);
                    Matcher live = LIVE.matcher(metrics);
                    if (live.find()) {
                        peakLiveBytes = Math.max(peakLiveBytes, Double.parseDouble(live.group(1)));
                    }
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    double peakMegabytes() {
        return peakBytes / 1e6;
    }

    double peakLiveMegabytes() {
        return peakLiveBytes / 1e6;
    }
}
