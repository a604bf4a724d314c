package org.truce.cli.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.server.node.Demo;
import org.truce.server.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce demo}: a server loaded with the 2016 scenario. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a server on a new embedded database loaded with the demo scenario: the parties of the "
                + "2016 cessation of hostilities, the armed actors it bound and excluded, the cessation's terms and the "
                + "Geneva arrangement as agreements of sequenced steps, and a hotline exchange. Party keys are written "
                + "beside the data.")
public final class DemoServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The data directory; it must not exist (default: a new temporary directory).")
    Path data;

    @Mixin
    ListenOptions listen;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dir = data != null ? data : Files.createTempDirectory("truce-demo-");
        if (data != null && Files.exists(data)) {
            throw new CliException(ExitCodes.BAD_INPUT, data + " already exists; the demo starts from nothing");
        }
        Node node = Node.init(dir, "demo.truce.example/log", "Joint implementation centre (demo)", Clock.systemUTC());
        Demo.load(node, dir.resolve("party-keys"));
        long size = node.store().read(tx -> tx.size());
        // Two witnesses beside the log: the checkpoint is published with both cosignatures.
        org.truce.server.node.LocalWitnesses witnesses = org.truce.server.node.LocalWitnesses.start(node, dir, listen.host, 2);
        node.attach(witnesses);
        Path policy = dir.resolve("log.policy");
        Files.writeString(policy, witnesses.policy());
        node.witnessedBy(witnesses.parsedPolicy()).once();
        return ServeCommand.run(spec, node, listen.host, listen.port, base -> {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("  demo data:    %s (%d entries; party keys in %s)%n", dir, size, dir.resolve("party-keys")));
            sb.append(String.format("  witnessed:    ./truce log verify %s/log --policy %s   (two witnesses cosign each checkpoint)%n",
                    base, policy));
            for (Demo.View v : Demo.views()) {
                sb.append(String.format("  %-13s %s%s%n", v.what() + ":", base, v.path()));
            }
            sb.append(String.format("  in a shell:   ./truce agreement status %s --at 2016-09-20 --server %s%n", Demo.GENEVA, base));
            sb.append(String.format("                ./truce agreement timeline %s --server %s%n", Demo.CESSATION, base));
            sb.append(String.format("                ./truce incident show %s --server %s%n", Demo.CONVOY, base));
            sb.append(String.format("                ./truce report daily --date 2016-09-19 --server %s%n", base));
            sb.append(String.format("                ./truce area at --point 40.17,35.26 --at 2016-09-17 --server %s%n", base));
            sb.append(String.format("                ./truce deconflict check %s --server %s%n",
                    dir.resolve("volume-jabal-tharda-2016-09-17.json"), base));
            return sb.toString();
        });
    }
}
