package org.truce.cli.node;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.server.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce serve}: run the log's HTTP API on the embedded database. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the log in the data directory over HTTP, creating it first if the directory is empty. "
                + "Stops on Ctrl-C.")
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions where;

    @Mixin
    ListenOptions listen;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "A C2SP tlog-policy naming this log and witnesses with their submission URLs: each new "
                    + "checkpoint is sent to them and published with the cosignatures they return.")
    @Nullable Path policy;

    @Option(names = "--publish", paramLabel = "DIR|s3://BUCKET/PREFIX/",
            description = "Also publishes the log's tiles and checkpoint in the C2SP static layout, each new checkpoint "
                    + "within a second, to a directory or to S3-compatible object storage (credentials from the AWS "
                    + "environment variables or profile), for a static web server or CDN to serve (docs/scaling.md).")
    @Nullable String publish;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "The S3-compatible server to publish to (path-style, as MinIO); AWS when omitted.")
    java.net.@Nullable URI s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", defaultValue = "us-east-1",
            description = "The region of the bucket (default ${DEFAULT-VALUE}).")
    String s3Region = "us-east-1";

    @Override
    public Integer call() throws InterruptedException {
        Node node;
        try {
            node = Node.initialised(where.data) ? Node.open(where.data, Clock.systemUTC(), where.db)
                    : Node.init(where.data, Node.DEFAULT_ORIGIN, "Joint implementation centre", Clock.systemUTC(), where.db);
        } catch (IllegalStateException | org.truce.store.StoreException e) {
            throw new CliException(ExitCodes.STORAGE, e.getMessage());
        }
        if (policy != null) {
            try {
                node.witnessedBy(org.truce.tlog.witness.Policy.parse(java.nio.file.Files.readAllBytes(policy)));
            } catch (java.io.IOException e) {
                node.close();
                throw new CliException(ExitCodes.BAD_INPUT, "cannot read the policy " + policy + ": " + e.getMessage());
            } catch (org.truce.tlog.FormatException | IllegalArgumentException e) {
                node.close();
                throw new CliException(ExitCodes.BAD_INPUT, "the policy " + policy + ": " + e.getMessage());
            }
        }
        if (publish != null) {
            if (publish.startsWith("s3://")) {
                String rest = publish.substring("s3://".length());
                int slash = rest.indexOf('/');
                String bucket = slash < 0 ? rest : rest.substring(0, slash);
                String prefix = slash < 0 ? "" : rest.substring(slash + 1);
                if (bucket.isEmpty() || !(prefix.isEmpty() || prefix.endsWith("/"))) {
                    node.close();
                    throw new CliException(ExitCodes.USAGE, "--publish s3://BUCKET/ or s3://BUCKET/PREFIX/ (ending in /)");
                }
                node.publishTo(org.truce.store.Publishing.s3(s3Endpoint, s3Region, bucket, prefix, null, null));
            } else {
                node.publishTo(org.truce.tlog.tiles.TileStorage.directory(Path.of(publish)));
            }
        }
        return run(spec, node, listen.host, listen.port, null);
    }

    /**
     * Serves until the process is interrupted, printing where to look, then what {@code extra} makes
     * of the server's base URL.
     */
    static int run(CommandSpec spec, Node node, String host, int port, @Nullable Function<String, String> extra)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "truce-shutdown"));
        int bound = node.serve(host, port).port();
        String base = "http://" + host + ":" + bound;
        var out = spec.commandLine().getOut();
        out.printf("truce: serving %s at %s%n", node.checkpointKey().name(), base);
        out.printf("  web:          %s/%n", base);
        out.printf("  checkpoint:   %s/log/checkpoint%n", base);
        out.printf("  audit it:     ./truce log verify %s/log --vkey %s%n", base, node.checkpointKey().verifier().vkey());
        out.printf("  a proof:      %s/log/proof/1%n", base);
        out.printf("  schemas:      %s/api/v1/schemas/message%n", base);
        out.printf("  submit:       POST %s/api/v1/entries (docs/entries.md)%n", base);
        if (extra != null) {
            out.print(extra.apply(base));
        }
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
