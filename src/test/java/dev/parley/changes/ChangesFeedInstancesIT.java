package dev.parley.changes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.Config;
import dev.parley.testing.ChildServer;
import dev.parley.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The feed's guarantee across instances and crashes: two {@code serve} instances on one
 * PostgreSQL database take the writes, the poller follows one of them, and that one is killed
 * (SIGKILL) and restarted in the middle; the poller resumes from its last cursor.
 */
class ChangesFeedInstancesIT {

    private static final String KEY = "feed-test-bootstrap-key-0123456789";

    @Test
    void twoInstancesAndAKilledServerStillGiveAMirrorEqualToTheExport() throws Exception {
        Config config = TestStores.POSTGRESQL.freshConfig();
        Path logs = config.dataDir();
        AtomicReference<ChildServer> followed = new AtomicReference<>(
                ChildServer.startJar(config, KEY, logs.resolve("a.log"), Map.of()));
        try (ChildServer other = ChildServer.startJar(config, KEY, logs.resolve("b.log"), Map.of())) {
            FeedMirror mirror = new FeedMirror(KEY, () -> List.of(followed.get().baseUrl(), other.baseUrl()),
                    () -> followed.get().baseUrl());

            mirror.run(8, ChangesFeedDifferentialTest.WRITING, () -> {
                FeedMirror.pause(ChangesFeedDifferentialTest.WRITING.toMillis() / 3);
                try {
                    followed.get().kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                followed.set(ChildServer.startJar(config, KEY, logs.resolve("a.log"), Map.of()));
            });

            mirror.assertMirrorEqualsExport();
            System.out.printf("two instances, one killed: %d writes, %d changes read in %d pages%n", mirror.writes(),
                    mirror.changesRead(), mirror.pages());
            assertThat(mirror.writes()).isGreaterThan(100);
        } finally {
            followed.get().close();
        }
    }
}
