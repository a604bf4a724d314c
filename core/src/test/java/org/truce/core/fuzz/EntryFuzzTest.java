package org.truce.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.Submission;
import org.truce.core.kind.Kinds;

/**
 * The entry a client sends, on untrusted bytes: {@link Submission#parse} and then the schema of its
 * kind may refuse it only with an {@link EntryException} (which the API answers 4xx); anything else
 * escaping is a finding, and what parses must encode back to what parses the same. The seeds hold a
 * signed entry of every kind whose body uses every field its schema allows, so that the fuzzer starts
 * inside each kind's schema rather than having to find its name; {@link #seeds_holdAValidEntryOfEveryKind}
 * keeps them so as kinds are added and schemas change.
 */
class EntryFuzzTest {
    @Test
    void seeds_holdAValidEntryOfEveryKind() throws Exception {
        Path seeds = Path.of(EntryFuzzTest.class.getResource("EntryFuzzTestInputs/submission").toURI());
        Set<String> valid = new TreeSet<>();
        try (Stream<Path> files = Files.list(seeds)) {
            for (Path f : files.toList()) {
                try {
                    Submission s = Submission.parse(Files.readAllBytes(f));
                    Kinds.standard().validate(s.header().kind(), s.body());
                    valid.add(s.header().kind());
                } catch (EntryException refused) {
                    // A seed of what is refused.
                }
            }
        }
        assertThat(valid).containsAll(Kinds.standard().names());
    }

    @FuzzTest
    void submission(FuzzedDataProvider data) throws Exception {
        byte[] wire = data.consumeRemainingAsBytes();
        Submission s;
        try {
            s = Submission.parse(wire);
        } catch (EntryException refused) {
            return;
        }
        Submission again = Submission.parse(s.toJson().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!again.header().equals(s.header())) {
            throw new AssertionError("a parsed submission does not read back the same: " + s.header() + " / " + again.header());
        }
        try {
            Kinds.standard().validate(s.header().kind(), s.body());
        } catch (EntryException refused) {
            return;
        }
    }
}
