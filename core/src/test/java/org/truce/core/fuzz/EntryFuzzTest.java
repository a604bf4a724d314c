package org.truce.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Leaf;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Visibility;
import org.truce.core.json.InvalidJsonException;
import org.truce.core.json.Json;
import org.truce.core.ledger.Sequenced;
import org.truce.core.state.Overlay;
import org.truce.tlog.merkle.Rfc9162;
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
 *
 * <p>A submission's header signs the digest of its body, so almost every mutation of a body is
 * refused by {@link Submission#parse} before any schema sees it. {@link #body} therefore fuzzes the
 * body of a named kind directly: its schema, and when the schema accepts it, the kind's rules, on the
 * body signed by a registered party and applied to a state built from the seeds (only an {@link
 * EntryException} may escape either). Its input is a line {@code KIND SIGNER} (SIGNER one of
 * operator, us, ru, sy) and the body as JSON; its seeds hold every kind's fullest body, written by the
 * operator and by us.
 */
class EntryFuzzTest {
    /** The signers an input may name. */
    private static final List<String> SIGNERS = List.of(PartyId.OPERATOR, "us", "ru", "sy");
    /** A log with us, ru and sy registered and every seed body it accepts, in order: the state the rules see. */
    private static final TestLog LOG = scenario();

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

    @FuzzTest
    void body(FuzzedDataProvider data) throws Exception {
        Body b = Body.parse(data.consumeRemainingAsBytes());
        if (b == null) {
            return;
        }
        try {
            Kinds.standard().validate(b.kind(), b.body());
            Submission s = LOG.sign(b.signer(LOG), b.kind(), b.body(), Visibility.PUBLIC, LOG.next(b.signer(LOG)));
            Sequenced e = new Sequenced(LOG.logged().size(), Rfc9162.leafHash(Leaf.encode(s.header(), TestLog.RECEIVED)),
                    s.header(), s.body(), TestLog.RECEIVED);
            // Applied to an overlay, so that the state every input sees is the same.
            LOG.ledger().apply(new Overlay(LOG.state()), e);
        } catch (EntryException refused) {
            // The declared outcome of a body its schema or its kind's rules refuse.
        }
    }

    /** An input of {@link #body}: the kind, who signs, and the body; null when the body is not JSON. */
    private record Body(String kind, String signer, JsonNode body) {
        static @Nullable Body parse(byte[] input) {
            int nl = 0;
            while (nl < input.length && input[nl] != '\n') {
                nl++;
            }
            String[] first = new String(input, 0, nl, StandardCharsets.UTF_8).strip().split(" ", 2);
            String signer = first.length > 1 && SIGNERS.contains(first[1].strip()) ? first[1].strip() : "us";
            try {
                JsonNode body = Json.parse(Arrays.copyOfRange(input, Math.min(nl + 1, input.length), input.length));
                return new Body(first[0], signer, body);
            } catch (InvalidJsonException e) {
                return null;
            }
        }

        EntrySigner signer(TestLog log) {
            return switch (signer) {
                case PartyId.OPERATOR -> log.operator;
                case "ru" -> log.ru;
                case "sy" -> log.sy;
                default -> log.us;
            };
        }
    }

    /** Applies every seed of {@link #body} that is accepted, pass after pass until no more is. */
    private static TestLog scenario() {
        try {
            TestLog log = TestLog.started();
            // The monitor the seeds' agreement names; a key cannot be written into a seed.
            log.submit(log.operator, "party", TestLog.partyBody("ctf", "monitor", log.key("ctf").vkey()), Visibility.PUBLIC);
            Path seeds = Path.of(EntryFuzzTest.class.getResource("EntryFuzzTestInputs/body").toURI());
            List<Path> left;
            try (Stream<Path> files = Files.list(seeds)) {
                left = new ArrayList<>(files.sorted().toList());
            }
            for (boolean progress = true; progress; ) {
                progress = false;
                for (Iterator<Path> it = left.iterator(); it.hasNext(); ) {
                    Body b = Body.parse(Files.readAllBytes(it.next()));
                    try {
                        if (b != null) {
                            log.submit(b.signer(log), b.kind(), b.body(), Visibility.PUBLIC);
                            it.remove();
                            progress = true;
                        }
                    } catch (EntryException refused) {
                        // Perhaps after another seed.
                    }
                }
            }
            return log;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the scenario: " + e.getMessage(), e);
        }
    }
}
