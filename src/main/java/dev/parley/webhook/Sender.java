package dev.parley.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST to an address that was checked, not to a name: the socket connects to the
 * {@link InetAddress} the {@link AddressPolicy} allowed, while the Host header, TLS's SNI and
 * the certificate's check use the URL's name. {@code java.net.http.HttpClient} cannot do this in
 * Java 17 (it resolves names itself, and Host is a header it will not let a caller set), so the
 * few lines of HTTP a delivery needs are written here.
 *
 * <p>Bounded in every way: the whole exchange — connect, TLS, sending, the status line — must
 * finish within {@link #TIMEOUT}, after which the socket is closed from outside; only the status
 * line is read, from at most {@link #MAX_ANSWER_BYTES}, and the rest of the answer is left
 * unread. There are no redirects: a 3xx is an answer other than 2xx, retried like any other.
 */
final class Sender {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_ANSWER_BYTES = 4096;
    private static final int MAX_ERROR_LENGTH = 200;

    /** What an attempt came to: the endpoint's status, or why there was none. */
    record Outcome(Optional<Integer> status, Optional<String> error) {
        boolean delivered() {
            return status.filter(code -> code >= 200 && code < 300).isPresent();
        }

        static Outcome answered(int status) {
            return new Outcome(Optional.of(status), Optional.empty());
        }

        static Outcome failed(String why) {
            String text = why == null ? "no reason given" : why;
            return new Outcome(Optional.empty(),
                    Optional.of(text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH)));
        }
    }

    private final ScheduledExecutorService deadlines;

    Sender(ScheduledExecutorService deadlines) {
        this.deadlines = deadlines;
    }

    Outcome post(WebhookUrl url, InetAddress address, Map<String, String> headers, String body) {
        Socket socket = new Socket();
        AtomicBoolean cut = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            cut.set(true);
            closeQuietly(socket);
        }, TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            socket.connect(new InetSocketAddress(address, url.port()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            Socket channel = url.https() ? secure(socket, url) : socket;
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = channel.getOutputStream();
            out.write(head(url, headers, bytes.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            return statusOf(channel.getInputStream());
        } catch (IOException e) {
            return Outcome.failed(cut.get() ? "no answer within " + TIMEOUT.toSeconds() + " s" : describe(e));
        } finally {
            deadline.cancel(false);
            closeQuietly(socket);
        }
    }

    /** TLS over the connected socket, with SNI and the certificate checked against the URL's name. */
    private static Socket secure(Socket socket, WebhookUrl url) throws IOException {
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(socket, url.host(), url.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!url.host().contains(":") && !url.host().matches("[0-9.]+")) {
            parameters.setServerNames(List.of(new SNIHostName(url.host())));
        }
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    private static String head(WebhookUrl url, Map<String, String> headers, int length) {
        StringBuilder head = new StringBuilder("POST ").append(url.target()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.hostHeader()).append("\r\n")
                .append("User-Agent: Parley-Webhooks\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(length).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    /** Reads no more than the status line, within the first {@link #MAX_ANSWER_BYTES} of the answer. */
    private static Outcome statusOf(InputStream in) throws IOException {
        byte[] buffer = new byte[MAX_ANSWER_BYTES];
        int filled = 0;
        while (filled < buffer.length) {
            int read = in.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                break;
            }
            filled += read;
            String text = new String(buffer, 0, filled, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n");
            if (end >= 0) {
                String[] parts = text.substring(0, end).split(" ", 3);
                if (parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].matches("[0-9]{3}")) {
                    return Outcome.answered(Integer.parseInt(parts[1]));
                }
                return Outcome.failed("the answer did not start with an HTTP status line");
            }
        }
        return Outcome.failed(filled == 0 ? "the connection closed without an answer"
                : "no HTTP status line in the first " + MAX_ANSWER_BYTES + " bytes of the answer");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
    }
}
