package dev.parley.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP endpoint on 127.0.0.1 that records every webhook delivery it is sent and answers
 * each with the status its script gives for the delivery's number (1, 2, …), or never answers.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** Answer to hold a delivery without answering, until the receiver closes. */
    public static final int HANG = -1;

    /** One POST as it arrived. */
    public record Received(String id, String timestamp, String signature, String body, long arrivedAtNanos,
                           String host) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile IntUnaryOperator script;
    private volatile boolean closing;

    private WebhookReceiver(IntUnaryOperator script) {
        this.script = script;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            var headers = exchange.getRequestHeaders();
            int number;
            synchronized (received) {
                received.add(new Received(headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                        headers.getFirst("webhook-signature"), new String(body, StandardCharsets.UTF_8),
                        System.nanoTime(), headers.getFirst("Host")));
                number = received.size();
            }
            int status = this.script.applyAsInt(number);
            if (status == HANG) {
                while (!closing) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                return;
            }
            exchange.sendResponseHeaders(status, -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.flush();
            }
        });
        server.start();
    }

    /** Answers every delivery 200. */
    public static WebhookReceiver accepting() {
        return new WebhookReceiver(number -> 200);
    }

    public static WebhookReceiver scripted(IntUnaryOperator statusOfDelivery) {
        return new WebhookReceiver(statusOfDelivery);
    }

    /** Changes the answers from now on. */
    public void script(IntUnaryOperator statusOfDelivery) {
        this.script = statusOfDelivery;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Waits until at least this many deliveries arrived; answers them all. */
    public List<Received> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return received();
    }

    @Override
    public void close() {
        closing = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
