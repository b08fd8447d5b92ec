package dev.parley.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Parley;
import dev.parley.testing.TestStores;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A guess that is one character off takes as long to refuse as one that is all wrong: the check
 * compares hashes, so how much of a guess is right cannot be heard in the timing.
 */
class KeyTimingTest {

    private static final int ROUNDS = 4000;

    @Test
    void aNearMissAndAFarMissTakeTheSameTime() {
        try (Parley parley = Parley.open(TestStores.SQLITE.freshConfig())) {
            Keys keys = parley.keys();
            String secret = keys.create(new WorkspaceName("timing"), Set.of(Scope.READ)).secret();
            String nearMiss = secret.substring(0, secret.length() - 1) + (secret.endsWith("A") ? "B" : "A");
            String farMiss = "parley_" + "x".repeat(secret.length() - "parley_".length());
            long[] near = new long[ROUNDS];
            long[] far = new long[ROUNDS];
            for (int warmup = 0; warmup < 2000; warmup++) {
                keys.authenticate(warmup % 2 == 0 ? nearMiss : farMiss);
            }
            for (int i = 0; i < ROUNDS; i++) {
                long start = System.nanoTime();
                assertThat(keys.authenticate(nearMiss)).isEmpty();
                near[i] = System.nanoTime() - start;
                start = System.nanoTime();
                assertThat(keys.authenticate(farMiss)).isEmpty();
                far[i] = System.nanoTime() - start;
            }

            double ratio = (double) median(near) / median(far);
            assertThat(ratio).as("median near miss / median far miss").isBetween(0.8, 1.25);
            assertThat(keys.authenticate(secret)).isPresent();
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
