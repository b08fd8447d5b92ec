package dev.parley.changes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.TestServer;
import dev.parley.testing.TestStores;
import dev.parley.workspace.Scope;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §8's guarantee under concurrent writers, on each store: 8 writers for 30 s (set
 * {@code -Dparley.feed.seconds} to change it) and a poller following the feed with long polls.
 */
class ChangesFeedDifferentialTest {

    static final Duration WRITING = Duration.ofSeconds(Long.getLong("parley.feed.seconds", 30));

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aMirrorBuiltFromTheFeedEqualsTheExportAndNoChangeIsListedTwice(TestStores store) throws Exception {
        try (TestServer server = TestServer.start(store.freshConfig().withRateLimit(0))) {
            String key = server.newKey("mirrored", Scope.READ, Scope.WRITE);
            FeedMirror mirror = new FeedMirror(key, () -> List.of(server.baseUrl()), server::baseUrl);

            mirror.run(8, WRITING, () -> { });

            mirror.assertMirrorEqualsExport();
            assertThat(mirror.writes()).isGreaterThan(100);
            System.out.printf("%s: %d writes in %s, %d changes read in %d pages%n", store, mirror.writes(), WRITING,
                    mirror.changesRead(), mirror.pages());
        }
    }
}
