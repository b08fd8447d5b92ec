package dev.parley.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.Parley;
import dev.parley.testing.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SecretsAtRestTest {

    @Test
    void noFileOfTheSqliteStoreHoldsASecretInClear() throws Exception {
        Config config = TestStores.SQLITE.freshConfig();
        String secret;
        try (Parley parley = Parley.open(config)) {
            secret = parley.keys().create(new WorkspaceName("acme"), Set.of(Scope.READ)).secret();
            assertThat(parley.keys().authenticate(secret)).isPresent();
        }

        List<Path> files;
        try (Stream<Path> listing = Files.list(config.dataDir())) {
            files = listing.toList();
        }
        assertThat(files).isNotEmpty();
        String randomPart = secret.substring("parley_".length());
        for (Path file : files) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                    .as(file.toString()).doesNotContain(randomPart);
        }
    }
}
