package dev.parley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a server's heap in use from its /metrics every 100 ms and keeps the peak. */
final class HeapSampler {

    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} ([0-9.E+]+)");

    private final String baseUrl;
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile boolean running;
    private volatile double peakBytes;
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
}
