package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.testing.ParleyJar;
import dev.parley.testing.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Long commands on a terminal (a pseudo-terminal from util-linux's script) draw a progress bar. */
class CliProgressIT {

    private static final Path SCRIPT = Path.of("/usr/bin/script");

    @Test
    void demoDataOnATerminalDrawsABarThatReachesItsTotal() throws Exception {
        assumeTrue(Files.isExecutable(SCRIPT), SCRIPT + " (util-linux) is absent");
        Path dir = TestStores.newDirectory();
        Path typescript = dir.resolve("terminal.txt");
        String command = String.join(" ", ParleyJar.command(ParleyJar.currentJava(),
                "demo-data", "--conversations", "2000")) + " > /dev/null";
        ProcessBuilder builder = new ProcessBuilder(List.of(SCRIPT.toString(), "-q", "-e", "-c", command,
                "/dev/null"));
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_"));
        builder.environment().put("PARLEY_DATA_DIR", dir.resolve("data").toString());
        Process process = builder.redirectOutput(typescript.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();

        String terminal = Files.readString(typescript, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(terminal).isZero();
        assertThat(terminal).contains("\rdemo-data").contains("2000/2000")
                .contains("parley: generated 2000 conversations in workspace 'default'");
    }
}
