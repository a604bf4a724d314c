package org.truce.cli.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.cli.CliRun.truce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.cli.CliRun;
import org.truce.cli.ExitCodes;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.SignedNote;
import org.truce.tlog.witness.AddCheckpoint;
import org.truce.tlog.witness.Witness;
import org.truce.tlog.witness.WitnessStore;

/** {@code truce witness init}, and a cosigned record checked offline under a policy with only its file. */
class WitnessCommandTest {
    @TempDir
    Path tmp;

    @Test
    void init_newDirectory_writesTheKeyAndPrintsATypeFourVkey_thenRefusesToOverwrite() throws Exception {
        Path data = tmp.resolve("w");
        CliRun r = truce("witness", "init", "--data", data.toString(), "--name", "witness.example/w1");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        String vkey = r.out().strip();
        assertThat(vkey).startsWith("witness.example/w1+");
        assertThat(NoteKeys.vkeyOf(Files.readString(data.resolve("witness.key")).strip())).isEqualTo(vkey);
        assertThat(truce("witness", "init", "--data", data.toString(), "--name", "witness.example/w1").code())
                .isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void logs_policyFile_readsItsLogLines() throws Exception {
        String vkey = truce("log", "keygen", "--origin", "test.example/log", "--out", tmp.resolve("k").toString()).out().strip();
        Path f = tmp.resolve("policy");
        Files.writeString(f, "# a policy\nlog " + vkey + " https://log.example\nquorum none\n");
        assertThat(WitnessServeCommand.logs(List.of(vkey), f)).extracting(Witness.Log::origin).containsExactly("test.example/log");
    }

    @Test
    void checkProof_cosignedRecordWithPolicy_verifiesFromTheFileAlone() throws Exception {
        // A log, and a witness that cosigns its checkpoint.
        Path logKey = tmp.resolve("log.key");
        String logVkey = truce("log", "keygen", "--origin", "test.example/log", "--out", logKey.toString()).out().strip();
        Path log = tmp.resolve("log");
        Path entries = tmp.resolve("entries.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add("{\"entry\":" + i + "}");
        }
        Files.write(entries, lines, StandardCharsets.UTF_8);
        assertThat(truce("log", "append", log.toString(), "--key", logKey.toString(), "--lines", entries.toString()).code())
                .isEqualTo(ExitCodes.OK);
        Path wdata = tmp.resolve("witness");
        String wVkey = truce("witness", "init", "--data", wdata.toString(), "--name", "witness.example/w1").out().strip();
        String otherVkey = truce("witness", "init", "--data", tmp.resolve("other").toString(), "--name", "other.example/w").out().strip();
        Path checkpoint = log.resolve("checkpoint");
        SignedNote note = SignedNote.parse(Files.readAllBytes(checkpoint));
        try (WitnessStore store = WitnessStore.directory(wdata)) {
            Witness w = new Witness(NoteKeys.parseCosigner(Files.readString(wdata.resolve("witness.key")).strip(),
                    Clock.systemUTC()), List.of(Witness.Log.of(NoteKeys.parseVerifier(logVkey))), store);
            Witness.Outcome o = w.addCheckpoint(new AddCheckpoint(0, List.of(), note));
            assertThat(o).isInstanceOf(Witness.Outcome.Cosigned.class);
            note = note.withSignature(((Witness.Outcome.Cosigned) o).cosignatures().get(0));
        }
        Files.write(checkpoint, note.encode());

        Path policy = tmp.resolve("policy");
        Files.writeString(policy, "log " + logVkey + "\nwitness w1 " + wVkey + "\nquorum w1\n");
        Path strict = tmp.resolve("strict-policy");
        Files.writeString(strict, "log " + logVkey + "\nwitness w1 " + wVkey + "\nwitness w2 " + otherVkey
                + "\ngroup both all w1 w2\nquorum both\n");

        CliRun verify = truce("log", "verify", log.toString(), "--policy", policy.toString());
        assertThat(verify.code()).as(verify.err()).isEqualTo(ExitCodes.OK);
        assertThat(verify.out()).contains("meet the policy's quorum");
        assertThat(truce("log", "verify", log.toString(), "--policy", strict.toString()).code())
                .isEqualTo(ExitCodes.VERIFICATION_FAILED);

        Path proof = tmp.resolve("e.tlog-proof");
        assertThat(truce("log", "prove", log.toString(), "17", "-o", proof.toString()).code()).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(proof)).contains("\u2014 witness.example/w1 ");

        // From here on there is no log: only the proof file and the policy.
        try (Stream<Path> all = Files.walk(log)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThat(log).doesNotExist();

        CliRun ok = truce("log", "check-proof", proof.toString(), "--policy", policy.toString());
        assertThat(ok.code()).as(ok.err()).isEqualTo(ExitCodes.OK);
        assertThat(ok.out()).contains("entry 17 is in log test.example/log of size 50").contains("quorum");
        CliRun refused = truce("log", "check-proof", proof.toString(), "--policy", strict.toString());
        assertThat(refused.code()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(refused.err()).contains("quorum");
    }
}
