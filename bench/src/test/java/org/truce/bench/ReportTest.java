package org.truce.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final String JSON = """
            [
              {"benchmark": "org.truce.bench.Sha256Benchmark.sha256", "mode": "thrpt", "threads": 1, "forks": 1,
               "jdkVersion": "17.0.15", "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "17.0.15+6",
               "warmupIterations": 3, "warmupTime": "2 s", "measurementIterations": 5, "measurementTime": "3 s",
               "primaryMetric": {"score": 10000000.0, "scoreError": 100000.0, "scoreUnit": "ops/s"}},
              {"benchmark": "org.truce.bench.AppendBenchmark.append256", "mode": "thrpt", "threads": 1,
               "primaryMetric": {"score": 2000000.0, "scoreError": "NaN", "scoreUnit": "ops/s"}},
              {"benchmark": "org.truce.bench.AppendBenchmark.append4096", "mode": "thrpt", "threads": 1,
               "primaryMetric": {"score": 3000000.0, "scoreError": 30000.0, "scoreUnit": "ops/s"}},
              {"benchmark": "org.truce.bench.InclusionProofBenchmark.proof", "mode": "avgt", "threads": 1,
               "params": {"size": "10000000"},
               "primaryMetric": {"score": 12.5, "scoreError": 0.5, "scoreUnit": "us/op"}},
              {"benchmark": "org.truce.bench.InclusionProofBenchmark.proofSample", "mode": "sample", "threads": 1,
               "params": {"size": "10000000"},
               "primaryMetric": {"score": 13.0, "scoreError": 0.2, "scoreUnit": "us/op",
                 "scorePercentiles": {"50.0": 11.0, "99.0": 31.0, "99.9": 80.0}}},
              {"benchmark": "org.truce.bench.Ed25519Benchmark.noteVerify_2threads", "mode": "thrpt", "threads": 2,
               "primaryMetric": {"score": 20000.0, "scoreError": 100.0, "scoreUnit": "ops/s"}},
              {"benchmark": "org.truce.bench.SequencerBenchmark.appendInProcess", "mode": "thrpt", "threads": 2,
               "primaryMetric": {"score": 9000.0, "scoreError": 900.0, "scoreUnit": "ops/s"}},
              {"benchmark": "org.truce.bench.HttpAppendBenchmark.appendOverHttp", "mode": "thrpt", "threads": 2,
               "primaryMetric": {"score": 6000.0, "scoreError": 60.0, "scoreUnit": "ops/s"}},
              {"benchmark": "org.truce.bench.FsyncBenchmark.writeAndSync", "mode": "thrpt", "threads": 1,
               "primaryMetric": {"score": 2000.0, "scoreError": 20.0, "scoreUnit": "ops/s"}}
            ]
            """;

    private String render() throws Exception {
        List<Report.Result> results = Report.parse(new ObjectMapper().readTree(JSON));
        Report.Machine m = new Report.Machine(2, "Test CPU (2 cores)", "8.0 GiB", "TestOS", "17.0.15");
        return Report.render(results, m, new Report.Run("./bench/run Sha256", "java -jar x.jar", "abc1234", "1 fork", "0.5% of the CPU time"),
                Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void appendRatiosAreAgainstTheShaBaselineOfTheSameRun() throws Exception {
        String md = render();
        assertThat(md).contains("| `Appender.append`, batches of 256 | 2,000,000 entries/s | 10,000,000 SHA-256/s ± 1.0% of 64 B | 0.200 | ≥ 0.25 | **missed** |");
        assertThat(md).contains("| `Appender.append`, batches of 4,096 | 3,000,000 entries/s ± 1.0% | 10,000,000 SHA-256/s ± 1.0% of 64 B | 0.300 | ≥ 0.25 | **met** |");
        assertThat(md).contains("`TileBuilder.add` alone (no checkpoint, no consistency check) | not run");
        assertThat(md).doesNotContain("Where an append's time goes");
    }

    @Test
    void proofsAreAgainstTheTwentyMicrosecondTarget() throws Exception {
        String md = render();
        assertThat(md).contains("| inclusion proof from tiles, reused reader, mean, 10,000,000 entries | 12.5 µs ± 0.500 | | 0.63 of the target | ≤ 20.0 µs | **met** |");
        assertThat(md).contains("p99, 10,000,000 entries | 31.0 µs (p50 11.0, p99.9 80.0)");
    }

    @Test
    void namesTheRunAndHowToReproduceIt() throws Exception {
        String md = render();
        assertThat(md).contains("| date | 2026-01-02 03:04 UTC |", "| CPU | Test CPU (2 cores) |", "| code | abc1234 |", "| CPU used by other work during the run | 0.5% of the CPU time (",
                "```sh\n./bench/run Sha256\n```", "| `Ed25519Benchmark.noteVerify_2threads` | 2 | 20,000 ops/s ± 0.5% | 100 µs |");
    }

    @Test
    void durableAppendsAreAgainstBothTheirAbsoluteTargetAndTheVerifyRateOfTheSameRun() throws Exception {
        String md = render();
        // 9,000/s is 0.45 of the 20,000 verifies/s, so the ratio alone is met, but not 15,000/s.
        assertThat(md).contains("| durable appends of signed entries through the sequencer, in process, SQLite | 9,000 entries/s ± 10.0%"
                + " | 20,000 Ed25519 verifies/s ± 0.5% on 2 threads | 0.450 | ≥ 15,000/s and ≥ 0.4 | **missed** |");
        assertThat(md).contains("| durable appends of signed entries over HTTP, end to end, SQLite | 6,000 entries/s ± 1.0% | | 1.20 of the target"
                + " | ≥ 5,000/s | **met** |");
    }

    @Test
    void diskBaseline_boundsTheCommitsAndSaysWhatASyncPerEntryWouldCost() throws Exception {
        String md = render();
        // 9,000 entries/s, one 500 µs sync each: 4.5 s of syncs every second.
        assertThat(md).contains("## Disk baseline", "| 2,000 syncs/s ± 1.0% | 500 µs |", "commits at most 2,000 times a second",
                "One sync per entry at the sequencer's 9,000 entries/s in process would take 4.50 s of each second");
        assertThat(md).contains("## Comparable logs, as their projects published them", "| Tessera (POSIX) |");
    }

    @Test
    void settings_thoseOfMostBenchmarksFirst_thenEachOtherWithItsBenchmarks() throws Exception {
        String json = """
                [
                  {"benchmark": "org.truce.bench.Sha256Benchmark.sha256", "forks": 1, "warmupIterations": 3, "warmupTime": "2 s",
                   "measurementIterations": 5, "measurementTime": "3 s"},
                  {"benchmark": "org.truce.bench.AppendBenchmark.append256", "forks": 1, "warmupIterations": 3, "warmupTime": "2 s",
                   "measurementIterations": 5, "measurementTime": "3 s"},
                  {"benchmark": "org.truce.bench.HttpAppendBenchmark.appendOverHttp", "forks": 1, "warmupIterations": 20,
                   "warmupTime": "3 s", "measurementIterations": 5, "measurementTime": "3 s"}
                ]
                """;
        assertThat(Report.settings(new ObjectMapper().readTree(json))).isEqualTo("1 fork(s), 3 warmup iteration(s) of 2 s, "
                + "5 measurement iteration(s) of 3 s; HttpAppendBenchmark: 1 fork(s), 20 warmup iteration(s) of 3 s, "
                + "5 measurement iteration(s) of 3 s");
    }

    @Test
    void keptSections_everyRunsSection_keptInOrderAndTheJmhPartDropped() {
        String old = "# Benchmarks\n\nold JMH tables\n\n<!-- import: written by ./bench/import -->\n## Import\n| a | 1 |\n<!-- /import -->\n\n"
                + "<!-- deconfliction-scaling: written by ./bench/deconflict --scaling -->\n## Scaling\n<!-- /deconfliction-scaling -->\n"
                + "<!-- broken: written by nothing -->\nno end mark\n";
        String kept = Report.keptSections(old);
        assertThat(kept).isEqualTo("\n<!-- import: written by ./bench/import -->\n## Import\n| a | 1 |\n<!-- /import -->\n"
                + "\n<!-- deconfliction-scaling: written by ./bench/deconflict --scaling -->\n## Scaling\n<!-- /deconfliction-scaling -->\n");
    }
}
