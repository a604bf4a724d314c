package org.truce.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.truce.core.entry.EntrySigner;
import org.truce.server.http.ApiServer;

/**
 * Durable appends of signed entries over HTTP, end to end, in entries per second: a real server on a
 * loopback port over the same kind of log as {@link SequencerBenchmark}, and two client threads in
 * the same process posting signed entries with {@link HttpClient} (HTTP/1.1). Each client keeps
 * {@value #LANES} requests in flight, one per key so that each key's seqs arrive in order, and
 * counts an entry when its 201 answer (index, leaf hash, signed checkpoint) has arrived. Any other
 * answer fails the run. Clients and server share the two cores, so the figure is a floor for a
 * server with clients elsewhere.
 *
 * <p>Target: at least 5,000 entries/s.
 *
 * <p>Run: {@code ./bench/run HttpAppend}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
// A minute of warm-up: with the server's request threads and the clients' busy on two cores, the JIT
// compiler gets a small share of them, and the rate kept rising for about 30 s (404/s in the first
// 3 s, 1,400/s after 30 s); 5 × 3 s after 2 s, as the others have, measured a server half compiled.
@Warmup(iterations = 20, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class HttpAppendBenchmark {
    static final int LANES = 32;
    static final int PER_LANE = 16;
    static final int BATCH = LANES * PER_LANE;

    LogUnderLoad log;
    ApiServer server;
    URI entries;

    @Setup(Level.Trial)
    public void start() {
        log = new LogUnderLoad();
        server = log.node.serve("127.0.0.1", 0, org.truce.server.http.RateLimits.Options.NONE);
        entries = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/entries");
    }

    @TearDown(Level.Trial)
    public void stop() {
        log.close();
    }

    /** One client: a key per lane, the next seq of each, and the bodies it posts next. */
    @State(Scope.Thread)
    public static class Client {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final List<EntrySigner> keys = new ArrayList<>();
        long seq = 1;
        List<List<String>> lanes;

        @Setup(Level.Trial)
        public void register(HttpAppendBenchmark b) {
            for (int i = 0; i < LANES; i++) {
                keys.add(b.log.newParty());
            }
        }

        @Setup(Level.Invocation)
        public void sign() {
            lanes = new ArrayList<>(LANES);
            for (EntrySigner k : keys) {
                lanes.add(LogUnderLoad.messages(k, seq, PER_LANE).stream().map(s -> s.toJson().toString()).toList());
            }
            seq += PER_LANE;
        }
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(BATCH)
    public int appendOverHttp(Client c) {
        List<CompletableFuture<Integer>> lanes = new ArrayList<>(LANES);
        for (List<String> lane : c.lanes) {
            CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
            for (String body : lane) {
                chain = chain.thenCompose(n -> c.http.sendAsync(HttpRequest.newBuilder(entries)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                        .thenApply(r -> {
                            if (r.statusCode() != 201) {
                                throw new IllegalStateException("answered " + r.statusCode() + ": " + r.body());
                            }
                            return n + 1;
                        }));
            }
            lanes.add(chain);
        }
        int sent = 0;
        for (CompletableFuture<Integer> l : lanes) {
            sent += l.join();
        }
        return sent;
    }
}
