package org.truce.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.Submission;
import org.truce.core.kind.Kinds;

/**
 * The entry a client sends, on untrusted bytes: {@link Submission#parse} and then the schema of its
 * kind may refuse it only with an {@link EntryException} (which the API answers 4xx); anything else
 * escaping is a finding, and what parses must encode back to what parses the same.
 */
class EntryFuzzTest {
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
