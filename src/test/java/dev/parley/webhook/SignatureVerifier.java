package dev.parley.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.WebhookReceiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks signatures with an implementation that shares nothing with Parley's: Python's hmac, in
 * a child process, as the README tells receivers to. Answers "ok" or "bad" per delivery.
 */
final class SignatureVerifier {

    static final String PYTHON = String.join("\n",
            "import base64, hashlib, hmac, json, sys",
            "data = json.load(sys.stdin)",
            "key = base64.b64decode(data['secret'].removeprefix('whsec_'))",
            "for d in data['deliveries']:",
            "    signed = f\"{d['id']}.{d['timestamp']}.{d['body']}\".encode()",
            "    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()",
            "    given = [s.split(',', 1)[1] for s in d['signature'].split(' ') if s.startswith('v1,')]",
            "    print('ok' if any(hmac.compare_digest(expected, s) for s in given) else 'bad')");

    private SignatureVerifier() {
    }

    static List<String> verify(String secret, List<WebhookReceiver.Received> deliveries)
            throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode input = json.createObjectNode().put("secret", secret);
        ArrayNode list = input.putArray("deliveries");
        for (WebhookReceiver.Received delivery : deliveries) {
            list.addObject().put("id", delivery.id()).put("timestamp", delivery.timestamp())
                    .put("signature", delivery.signature()).put("body", delivery.body());
        }
        Process python = new ProcessBuilder("python3", "-c", PYTHON).redirectErrorStream(true).start();
        python.getOutputStream().write(json.writeValueAsBytes(input));
        python.getOutputStream().close();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!python.waitFor(30, TimeUnit.SECONDS) || python.exitValue() != 0) {
            throw new AssertionError("python3 failed: " + out);
        }
        return out.lines().toList();
    }
}
