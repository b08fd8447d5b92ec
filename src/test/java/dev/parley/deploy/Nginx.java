package dev.parley.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx with deploy/nginx-parley.conf, changed only where a test must: the instances'
 * ports and a loopback port to listen on. Its own prefix, pid file, logs and temporary files.
 */
final class Nginx implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/nginx");
    private final Process process;
    private final int port;
    private final Path dir;

    private Nginx(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static Nginx start(Path work, List<Integer> instancePorts) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's nginx (bin/test does as root:"
                    + " apt-get install nginx)");
        }
        Path dir = work.resolve("nginx");
        Files.createDirectories(dir.resolve("logs"));
        int port = RollingRestartIT.freePort();
        String site = Files.readString(Path.of("deploy", "nginx-parley.conf"), StandardCharsets.UTF_8);
        for (int i = 0; i < instancePorts.size(); i++) {
            site = replaceOnce(site, "127.0.0.1:808" + (i + 1) + " ", "127.0.0.1:" + instancePorts.get(i) + " ");
        }
        site = replaceOnce(site, "    listen 80;\n", "    listen 127.0.0.1:" + port + ";\n");
        site = replaceOnce(site, "    listen [::]:80;\n", "");
        Files.writeString(dir.resolve("parley.conf"), site);
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.writeString(dir.resolve("nginx.conf"), (root ? "user root;\n" : "") + """
                worker_processes 2;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 1024; }
                http {
                    log_format upstream '$upstream_addr $status';
                    access_log %1$s/logs/access.log upstream;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/parley.conf;
                }
                """.formatted(dir));
        Process process = new ProcessBuilder(BINARY.toString(), "-e", dir.resolve("logs/error.log").toString(),
                "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/nginx.out").toFile()).start();
        Nginx nginx = new Nginx(process, port, dir);
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("logs/nginx.out")) + Files.readString(dir.resolve("logs/error.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return nginx;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        nginx.close();
        throw new IllegalStateException("nginx did not listen on " + port + "; see " + dir.resolve("logs"));
    }

    private static String replaceOnce(String text, String what, String with) {
        if (!text.contains(what)) {
            throw new IllegalStateException("deploy/nginx-parley.conf no longer holds '" + what.strip() + "'");
        }
        return text.replace(what, with);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** How many requests each instance answered, from the access log. */
    Map<String, Integer> requestsPerInstance() {
        Map<String, Integer> counts = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("logs/access.log"))) {
                for (String upstream : line.split(" ")[0].split(",")) {
                    counts.merge(upstream.strip(), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }

    /** The instance that answered most of the last 500 requests: the one whose kill cuts most off. */
    Instance busiest(List<Instance> instances) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("logs/access.log"));
            Map<String, Integer> recent = new TreeMap<>();
            for (String line : lines.subList(Math.max(0, lines.size() - 500), lines.size())) {
                recent.merge(line.split(" ")[0], 1, Integer::sum);
            }
            return instances.stream().max(java.util.Comparator.comparingInt(instance ->
                    recent.getOrDefault("127.0.0.1:" + instance.port(), 0))).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
