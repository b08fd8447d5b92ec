package dev.parley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives wrk (Debian's package) and reads its summary. */
final class Wrk {

    record Result(double p50Millis, double p99Millis, double requestsPerSecond, long errors) {
    }

    private Wrk() {
    }

    static Result get(String url, String key, int connections, Duration duration) throws Exception {
        return run(url, key, connections, duration, null);
    }

    static Result post(String url, String key, int connections, Duration duration) throws Exception {
        return run(url, key, connections, duration, script("post.lua", key));
    }

    /** POSTs of exchanges whose texts hold an e-mail address, phone numbers and a card number. */
    static Result postPersonal(String url, String key, int connections, Duration duration) throws Exception {
        return run(url, key, connections, duration, script("post-personal.lua", key));
    }

    static Result mixed(String baseUrl, String key, int connections, Duration duration) throws Exception {
        return run(baseUrl + "/", key, connections, duration, script("mixed.lua", key));
    }

    private static Path script(String name, String key) throws IOException {
        String text;
        try (var in = Wrk.class.getResourceAsStream("/bench/" + name)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = Files.createTempFile("wrk-", ".lua");
        Files.writeString(file, text.replace("KEY", key));
        return file;
    }

    private static Result run(String url, String key, int connections, Duration duration, Path script)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + Math.min(2, connections), "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--latency"));
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        if (key != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + key));
        }
        command.add(url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        return new Result(latency(out, "50%"), latency(out, "99%"), number(out, "Requests/sec:\\s+([0-9.]+)"),
                (long) number(out, "Non-2xx or 3xx responses:\\s+([0-9]+)") + (long) socketErrors(out));
    }

    private static double latency(String out, String percentile) {
        Matcher m = Pattern.compile(percentile + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " in wrk's output:\n" + out);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double socketErrors(String out) {
        Matcher m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                .matcher(out);
        if (!m.find()) {
            return 0;
        }
        double sum = 0;
        for (int i = 1; i <= 4; i++) {
            sum += Double.parseDouble(m.group(i));
        }
        return sum;
    }
}
