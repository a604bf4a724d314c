package org.truce.cli.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.cli.CliRun.truce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.cli.CliRun;
import org.truce.cli.ExitCodes;

class LogCommandTest {
    @TempDir
    Path tmp;

    private String keygen(String origin, Path key) {
        CliRun r = truce("log", "keygen", "--origin", origin, "--out", key.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        return r.out().strip();
    }

    private Path entries(int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("{\"entry\":" + i + "}");
        }
        Path f = tmp.resolve("entries.txt");
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }

    // ---- the whole flow ----

    @Test
    void keygenAppendVerifyProveCheck_freshLog_allSucceed() throws IOException {
        Path key = tmp.resolve("log.key");
        String vkey = keygen("test.example/log", key);
        assertThat(vkey).startsWith("test.example/log+");

        Path log = tmp.resolve("log");
        CliRun append = truce("log", "append", log.toString(), "--key", key.toString(), "--lines", "--batch", "300",
                entries(1000).toString());
        assertThat(append.code()).isEqualTo(ExitCodes.OK);
        assertThat(append.out()).contains("appended 1000 entries at indexes 0-999");

        CliRun verify = truce("log", "verify", log.toString(), "--vkey", vkey);
        assertThat(verify.code()).isEqualTo(ExitCodes.OK);
        assertThat(verify.out()).contains("verified: 1000 entries");

        Path proof = tmp.resolve("e.tlog-proof");
        assertThat(truce("log", "prove", log.toString(), "777", "-o", proof.toString(), "--vkey", vkey).code())
                .isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(proof)).startsWith("c2sp.org/tlog-proof@v1\nextra ");

        Path vkeyFile = tmp.resolve("log.vkey");
        Files.writeString(vkeyFile, vkey + "\n");
        CliRun check = truce("log", "check-proof", proof.toString(), "--vkey", "@" + vkeyFile);
        assertThat(check.code()).isEqualTo(ExitCodes.OK);
        assertThat(check.out()).contains("entry 777 is in log test.example/log of size 1000");

        Path entry = tmp.resolve("777.json");
        Files.writeString(entry, "{\"entry\":777}");
        assertThat(truce("log", "check-proof", proof.toString(), "--vkey", vkey, "--entry", entry.toString()).code())
                .isEqualTo(ExitCodes.OK);
        Files.writeString(entry, "{\"entry\":778}");
        CliRun other = truce("log", "check-proof", proof.toString(), "--vkey", vkey, "--entry", entry.toString());
        assertThat(other.code()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(other.err()).contains("different entry");
    }

    @Test
    void verify_trustedCheckpointThenMoreEntries_reportsConsistent() throws IOException {
        Path key = tmp.resolve("log.key");
        String vkey = keygen("test.example/log", key);
        Path log = tmp.resolve("log");
        truce("log", "append", log.toString(), "--key", key.toString(), "--lines", entries(300).toString());
        Path trusted = tmp.resolve("trusted");
        Files.copy(log.resolve("checkpoint"), trusted);
        truce("log", "append", log.toString(), "--key", key.toString(), "--lines", entries(50).toString());

        CliRun r = truce("log", "verify", log.toString(), "--vkey", vkey, "--trusted", trusted.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("350 entries").contains("consistent with the trusted checkpoint of size 300");
    }

    // ---- failures: one clear line and the documented exit code ----

    @Test
    void verify_flippedByteInEveryTile_failsNamingTheFile() throws IOException {
        Path key = tmp.resolve("log.key");
        String vkey = keygen("test.example/log", key);
        Path log = tmp.resolve("log");
        truce("log", "append", log.toString(), "--key", key.toString(), "--lines", entries(600).toString());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(log)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        for (Path f : files) {
            byte[] orig = Files.readAllBytes(f);
            byte[] bad = orig.clone();
            bad[bad.length / 2] ^= 0x40;
            Files.write(f, bad);
            CliRun r = truce("log", "verify", log.toString(), "--vkey", vkey);
            String rel = log.relativize(f).toString().replace('\\', '/');
            assertThat(r.code()).as(rel).isEqualTo(ExitCodes.VERIFICATION_FAILED);
            assertThat(r.err().lines().filter(l -> l.startsWith("truce:")).count()).as(rel).isEqualTo(1);
            if (rel.startsWith("tile/entries/")) {
                assertThat(r.err()).as(rel).containsAnyOf(rel, "tile/0/" + rel.substring("tile/entries/".length()));
            } else {
                assertThat(r.err()).as(rel).contains(rel);
            }
            Files.write(f, orig);
        }
        assertThat(truce("log", "verify", log.toString(), "--vkey", vkey).code()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void verify_badVkey_exitsBadInputWithOneLine() {
        CliRun r = truce("log", "verify", tmp.toString(), "--vkey", "not-a-key");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().strip()).startsWith("truce: bad verifier key").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void verify_wrongKey_failsOnCheckpoint() throws IOException {
        Path key = tmp.resolve("log.key");
        keygen("test.example/log", key);
        String other = keygen("test.example/log", tmp.resolve("other.key"));
        Path log = tmp.resolve("log");
        truce("log", "append", log.toString(), "--key", key.toString(), "--lines", entries(10).toString());
        CliRun r = truce("log", "verify", log.toString(), "--vkey", other);
        assertThat(r.code()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(r.err()).contains("checkpoint");
    }

    @Test
    void append_otherLogsKey_refusedWithoutWriting() throws IOException {
        Path key = tmp.resolve("log.key");
        keygen("test.example/log", key);
        Path other = tmp.resolve("other.key");
        keygen("test.example/other", other);
        Path log = tmp.resolve("log");
        truce("log", "append", log.toString(), "--key", key.toString(), "--lines", entries(10).toString());
        byte[] before = Files.readAllBytes(log.resolve("checkpoint"));
        CliRun r = truce("log", "append", log.toString(), "--key", other.toString(), "--lines", entries(10).toString());
        assertThat(r.code()).isEqualTo(ExitCodes.STORAGE);
        assertThat(r.err()).contains("not this log's");
        assertThat(Files.readAllBytes(log.resolve("checkpoint"))).isEqualTo(before);
    }

    @Test
    void keygen_existingFile_isNotOverwritten() throws IOException {
        Path key = tmp.resolve("log.key");
        keygen("test.example/log", key);
        String before = Files.readString(key);
        CliRun r = truce("log", "keygen", "--origin", "x.example/y", "--out", key.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(Files.readString(key)).isEqualTo(before);
    }

    @Test
    void keygen_originWithSpace_isBadInput() {
        CliRun r = truce("log", "keygen", "--origin", "bad name", "--out", tmp.resolve("k").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("space");
    }

    @Test
    void checkProof_garbageFile_isBadInput() throws IOException {
        Path f = tmp.resolve("bad.tlog-proof");
        Files.writeString(f, "hello\n");
        String vkey = keygen("test.example/log", tmp.resolve("k"));
        CliRun r = truce("log", "check-proof", f.toString(), "--vkey", vkey);
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("c2sp.org/tlog-proof@v1");
    }

    @Test
    void help_log_listsEveryCommandAndTheExitCodes() {
        CliRun r = truce("log", "--help");
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("keygen", "append", "verify", "prove", "check-proof", "demo");
        assertThat(truce("--help").out()).contains("Exit codes:", "verification failed");
    }

    @Test
    void unknownCommand_isUsageError() {
        assertThat(truce("log", "frobnicate").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void demo_smallLog_verifiesWithThePrintedCommands() {
        Path dir = tmp.resolve("demo");
        CliRun r = truce("log", "demo", dir.toString(), "--entries", "1234");
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("1234 entries").contains("truce log verify");
        CliRun v = truce("log", "verify", dir.resolve("log").toString(), "--vkey", "@" + dir.resolve("log.vkey"),
                "--trusted", dir.resolve("checkpoint.trusted").toString());
        assertThat(v.code()).isEqualTo(ExitCodes.OK);
        assertThat(truce("log", "demo", dir.toString()).code()).isEqualTo(ExitCodes.BAD_INPUT);
    }
}
