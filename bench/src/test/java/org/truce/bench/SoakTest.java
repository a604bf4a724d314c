package org.truce.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short soak: twenty seconds of mixed load on a real server, in a JVM of its own, end with no server
 * error, every acknowledged entry in the log at its index, a log that audits whole, and the server's heap
 * measured in every twelfth of the run.
 */
class SoakTest {
    @TempDir
    Path tmp;

    @Test
    void mixedLoad_endsWithNoErrorAndEveryAcknowledgedEntryInTheLog() throws Exception {
        Soak.Result r = Soak.run(tmp, Duration.ofSeconds(20), java.util.List.of("-Xmx256m"));
        assertThat(r.errors()).as("answers %s", r.byStatus()).isZero();
        assertThat(r.acknowledged()).as("entries acknowledged").isPositive();
        assertThat(r.missing()).isZero();
        assertThat(r.audited()).isTrue();
        assertThat(r.byStatus()).containsKey("200");
        assertThat(r.windows()).hasSize(12).allSatisfy(w -> assertThat(w.leastHeap()).isPositive());
        assertThat(Soak.section(r)).contains("verified");
    }
}
