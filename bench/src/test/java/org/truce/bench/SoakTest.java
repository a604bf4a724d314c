package org.truce.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short soak: twenty seconds of mixed load on a real server end with no server error, every
 * acknowledged entry in the log at its index, and a log that audits whole.
 */
class SoakTest {
    @TempDir
    Path tmp;

    @Test
    void mixedLoad_endsWithNoErrorAndEveryAcknowledgedEntryInTheLog() throws Exception {
        Soak.Result r = Soak.run(tmp, Duration.ofSeconds(20));
        assertThat(r.errors()).as("answers %s", r.byStatus()).isZero();
        assertThat(r.acknowledged()).as("entries acknowledged").isPositive();
        assertThat(r.missing()).isZero();
        assertThat(r.audited()).isTrue();
        assertThat(r.byStatus()).containsKey("200");
        assertThat(Soak.section(r)).contains("verified");
    }
}
