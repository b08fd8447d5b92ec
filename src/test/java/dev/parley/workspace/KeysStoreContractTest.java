package dev.parley.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.Parley;
import dev.parley.testing.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Workspaces and keys, the same on SQLite and PostgreSQL. Each test starts from an empty store. */
@ParameterizedClass
@EnumSource(TestStores.class)
class KeysStoreContractTest {

    @Parameter
    TestStores store;

    Parley parley;
    Keys keys;

    @BeforeEach
    void openEmptyStore() {
        parley = Parley.open(store.freshConfig());
        keys = parley.keys();
    }

    @AfterEach
    void closeStore() {
        parley.close();
    }

    @Test
    void aNewSecretHasThePrefixAndAtLeast128RandomBits() {
        CreatedKey created = keys.create(new WorkspaceName("acme"), Set.of(Scope.READ));

        assertThat(created.secret()).startsWith("parley_").hasSizeGreaterThanOrEqualTo("parley_".length() + 22);
        assertThat(created.secret()).matches("parley_[A-Za-z0-9_-]{43}");
        assertThat(keys.create(new WorkspaceName("acme"), Set.of(Scope.READ)).secret()).isNotEqualTo(created.secret());
    }

    @Test
    void aSecretOpensItsWorkspaceWithItsScopes() {
        CreatedKey created = keys.create(new WorkspaceName("acme"), Set.of(Scope.READ));

        Principal principal = keys.authenticate(created.secret()).orElseThrow();
        assertThat(principal.workspaceName()).isEqualTo("acme");
        assertThat(principal.scopes()).containsExactly(Scope.READ);
        assertThat(principal.keyId()).isEqualTo(created.key().id());
    }

    @Test
    void anUnknownOrNearlyRightSecretOpensNothing() {
        CreatedKey created = keys.create(new WorkspaceName("acme"), Set.of(Scope.READ));
        String nearMiss = created.secret().substring(0, created.secret().length() - 1) + "x";

        assertThat(keys.authenticate(nearMiss)).isEmpty();
        assertThat(keys.authenticate("parley_nothing")).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce() {
        CreatedKey created = keys.create(new WorkspaceName("acme"), Set.of(Scope.READ, Scope.WRITE));
        keys.revoke(created.key().id());

        assertThat(keys.authenticate(created.secret())).isEmpty();
        assertThat(keys.list(Optional.empty())).singleElement()
                .satisfies(key -> assertThat(key.revokedAt()).isPresent());
    }

    @Test
    void revokingAnUnknownKeyNamesIt() {
        assertThatThrownBy(() -> keys.revoke("key_nope"))
                .isInstanceOf(NoSuchKey.class).hasMessage("no key has the id 'key_nope'");
    }

    @Test
    void listingShowsKeysByWorkspaceAndNeverASecret() {
        CreatedKey a = keys.create(new WorkspaceName("alpha"), Set.of(Scope.READ));
        CreatedKey b = keys.create(new WorkspaceName("beta"), Set.of(Scope.WRITE));

        assertThat(keys.list(Optional.empty())).extracting(ApiKey::id).containsExactly(a.key().id(), b.key().id());
        assertThat(keys.list(Optional.of(new WorkspaceName("beta")))).extracting(ApiKey::id)
                .containsExactly(b.key().id());
        assertThat(keys.list(Optional.empty())).allSatisfy(key -> assertThat(key.revokedAt()).isEmpty());
        assertThat(keys.list(Optional.empty()).toString()).doesNotContain(a.secret(), b.secret());
        assertThatThrownBy(() -> keys.list(Optional.of(new WorkspaceName("gamma"))))
                .isInstanceOf(NoSuchWorkspace.class).hasMessage("no workspace is named 'gamma'");
    }

    @Test
    void theFirstStartOnAnEmptyStoreMakesOneKeyWithEveryScopeForTheDefaultWorkspace() {
        CreatedKey first = keys.createFirstKeyIfEmpty().orElseThrow();

        assertThat(first.key().workspace()).isEqualTo("default");
        assertThat(keys.authenticate(first.secret()).orElseThrow().scopes()).containsOnly(Scope.values());
        assertThat(keys.createFirstKeyIfEmpty()).isEmpty();
    }

    @Test
    void theBootstrapKeyOpensTheDefaultWorkspaceAndReplacesTheOneBeforeIt() {
        String old = "bootstrap-secret-number-one-0123456789";
        String current = "bootstrap-secret-number-two-0123456789";
        keys.ensureBootstrapKey(old);
        keys.ensureBootstrapKey(current);
        keys.ensureBootstrapKey(current);

        assertThat(keys.authenticate(current).orElseThrow().workspaceName()).isEqualTo("default");
        assertThat(keys.authenticate(old)).isEmpty();
        assertThat(keys.createFirstKeyIfEmpty()).isEmpty();
    }

    @Test
    void instancesStartingTogetherWithABootstrapKeyAllStartAndItOpensTheWorkspace() throws Exception {
        for (int round = 0; round < 10; round++) {
            String secret = "bootstrap-secret-of-round-" + round + "-0123456789";
            allAtOnce(6, () -> keys.ensureBootstrapKey(secret));

            assertThat(keys.authenticate(secret).orElseThrow().scopes()).containsOnly(Scope.values());
            assertThat(keys.list(Optional.empty())).hasSize(1);
        }
    }

    @Test
    void instancesStartingTogetherOnAnEmptyStoreMakeOneFirstKey() throws Exception {
        List<Optional<CreatedKey>> made = allAtOnce(6, keys::createFirstKeyIfEmpty);

        assertThat(made.stream().filter(Optional::isPresent)).hasSize(1);
        assertThat(keys.list(Optional.empty())).hasSize(1);
    }

    @Test
    void aRestartWithTheSameBootstrapKeyLeavesTheKeyAsItWas() throws Exception {
        String secret = "bootstrap-secret-unchanged-0123456789";
        keys.ensureBootstrapKey(secret);
        ApiKey before = keys.list(Optional.empty()).get(0);
        Thread.sleep(5);
        keys.ensureBootstrapKey(secret);

        assertThat(keys.list(Optional.empty())).containsExactly(before);
    }

    /** Runs the same start-up step on several threads released together, as instances starting at once. */
    private static <T> List<T> allAtOnce(int threads, Callable<T> step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier together = new CyclicBarrier(threads);
            List<Future<T>> running = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                running.add(pool.submit(() -> {
                    together.await();
                    return step.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> result : running) {
                results.add(result.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> List<T> allAtOnce(int threads, Runnable step) throws Exception {
        return allAtOnce(threads, () -> {
            step.run();
            return null;
        });
    }
}
