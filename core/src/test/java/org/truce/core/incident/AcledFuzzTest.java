package org.truce.core.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.truce.core.kind.Kinds;

/**
 * {@link Acled#read} on untrusted CSV files: only {@link Acled.FormatException} may escape; every row
 * it hands on is a valid incident body, every rejection names a line of the file, and lines only grow.
 */
class AcledFuzzTest {
    @FuzzTest
    void read(FuzzedDataProvider data) throws Exception {
        String csv = data.consumeRemainingAsString();
        List<Acled.Row> good = new ArrayList<>();
        List<Acled.Rejected> bad = new ArrayList<>();
        try {
            Acled.read(new StringReader(csv), good::add, bad::add);
        } catch (Acled.FormatException expected) {
            return;
        } catch (IOException e) {
            throw new AssertionError("a StringReader does not fail", e);
        }
        long lines = csv.lines().count() + 1;
        long last = 1;
        for (Acled.Row r : good) {
            Kinds.standard().validate(IncidentRules.INCIDENT, r.incident());
            assertThat(r.line()).isBetween(2L, lines);
        }
        for (Acled.Rejected r : bad) {
            assertThat(r.line()).isBetween(2L, lines);
            assertThat(r.reason()).isNotBlank();
        }
        List<Long> all = new ArrayList<>();
        good.forEach(r -> all.add(r.line()));
        bad.forEach(r -> all.add(r.line()));
        all.sort(null);
        for (long l : all) {
            assertThat(l).isGreaterThan(last);
            last = l;
        }
    }
}
