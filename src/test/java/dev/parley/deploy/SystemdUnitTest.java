package dev.parley.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/parley.service as systemd itself rates it: {@code systemd-analyze security} scores how
 * much a service is exposed from 0 (locked down) to 10 (nothing). Never skipped: bin/test
 * installs systemd-analyze (Debian's systemd) as root.
 */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("deploy", "parley.service");
    private static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");
    private static final Pattern OVERALL = Pattern.compile("Overall exposure level for parley\\.service: ([0-9.]+)");

    @Test
    void theUnitIsRatedAtMostTwoBySystemdAnalyzeSecurity() throws Exception {
        String report = run(ANALYZE.toString(), "security", "--offline=true", "--no-pager", UNIT.toString());

        Matcher overall = OVERALL.matcher(report);
        assertThat(overall.find()).as(report).isTrue();
        assertThat(Double.parseDouble(overall.group(1))).as(report).isLessThanOrEqualTo(2.0);
    }

    @Test
    void theUnitKeepsTheJitWorkingAndLetsRequestsFinishOnStop() throws IOException {
        List<String> lines = Files.readAllLines(UNIT, StandardCharsets.UTF_8);

        // the JIT writes the code it runs: W^X would kill the JVM
        assertThat(lines).noneMatch(line -> line.startsWith("MemoryDenyWriteExecute="));
        assertThat(lines).contains("DynamicUser=yes", "StateDirectory=parley", "EnvironmentFile=/etc/parley/parley.env",
                "SuccessExitStatus=143");
        int stopSeconds = lines.stream().filter(line -> line.startsWith("TimeoutStopSec="))
                .map(line -> Integer.parseInt(line.substring("TimeoutStopSec=".length()))).findFirst().orElseThrow();
        assertThat(stopSeconds).as("longer than PARLEY_SHUTDOWN_TIMEOUT's default")
                .isGreaterThan((int) dev.parley.Config.DEFAULT_SHUTDOWN_TIMEOUT.toSeconds());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        if (!Files.isExecutable(ANALYZE)) {
            throw new IllegalStateException(ANALYZE + " is missing: install Debian's systemd (bin/test does as root)");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
