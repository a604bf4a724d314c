package org.truce.tlog.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.truce.tlog.TlogException;
import org.truce.tlog.note.SignedNote;

/** One contract for both stores: compare-and-set per origin, and what a reopened directory holds. */
class WitnessStoreContractTest {
    @TempDir
    Path dir;

    private final TestLog log = new TestLog("example.org/log").grow(40, "a");

    private Supplier<WitnessStore> stores(String kind) {
        return kind.equals("memory") ? WitnessStore::memory : () -> WitnessStore.directory(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "directory"})
    void replace_fromTheRecordedSize_succeedsAndOtherwiseChangesNothing(String kind) {
        try (WitnessStore s = stores(kind).get()) {
            assertThat(s.latest(log.origin)).isEmpty();
            assertThat(s.replace(log.origin, 3, log.checkpoint(5))).isFalse();
            assertThat(s.replace(log.origin, 0, log.checkpoint(5))).isTrue();
            assertThat(s.replace(log.origin, 0, log.checkpoint(9))).isFalse();
            assertThat(s.latest(log.origin).map(SignedNote::text)).contains(log.checkpoint(5).text());
            assertThat(s.replace(log.origin, 5, log.checkpoint(9))).isTrue();
            assertThat(s.latest(log.origin).map(SignedNote::text)).contains(log.checkpoint(9).text());
            assertThat(s.latest("example.org/other")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "directory"})
    void replace_concurrentFromOneSize_exactlyOneWins(String kind) throws Exception {
        try (WitnessStore s = stores(kind).get()) {
            s.replace(log.origin, 0, log.checkpoint(1));
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Callable<Boolean>> tasks = new ArrayList<>();
                for (long size = 2; size <= 40; size++) {
                    long n = size;
                    tasks.add(() -> s.replace(log.origin, 1, log.checkpoint(n)));
                }
                int wins = 0;
                for (Future<Boolean> f : pool.invokeAll(tasks)) {
                    wins += f.get() ? 1 : 0;
                }
                assertThat(wins).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ---- the directory ----

    @org.junit.jupiter.api.Test
    void directory_reopened_hasTheLastReplacementAndNoTemporaryFile() throws Exception {
        try (WitnessStore s = WitnessStore.directory(dir)) {
            s.replace(log.origin, 0, log.checkpoint(5));
            s.replace(log.origin, 5, log.checkpoint(11));
        }
        try (WitnessStore s = WitnessStore.directory(dir)) {
            assertThat(s.latest(log.origin).map(SignedNote::text)).contains(log.checkpoint(11).text());
        }
        try (var files = Files.list(dir.resolve("checkpoints"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactly(Witness.originHash(log.origin));
        }
        assertThat(Files.readString(dir.resolve("checkpoints").resolve(Witness.originHash(log.origin))))
                .isEqualTo(log.checkpoint(11).toString());
    }

    @org.junit.jupiter.api.Test
    void directory_openedTwice_refusesTheSecond() {
        try (WitnessStore s = WitnessStore.directory(dir)) {
            assertThatThrownBy(() -> WitnessStore.directory(dir)).isInstanceOf(TlogException.class)
                    .hasMessageContaining("in use");
        }
        WitnessStore.directory(dir).close();
    }

    @org.junit.jupiter.api.Test
    void directory_corruptFile_failsLoudly() throws Exception {
        Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(dir.resolve("checkpoints").resolve(Witness.originHash(log.origin)), "garbage");
        try (WitnessStore s = WitnessStore.directory(dir)) {
            assertThatThrownBy(() -> s.latest(log.origin)).isInstanceOf(TlogException.class).hasMessageContaining("corrupt");
        }
    }
}
