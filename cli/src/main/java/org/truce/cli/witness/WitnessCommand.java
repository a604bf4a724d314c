package org.truce.cli.witness;

import picocli.CommandLine.Command;

/** {@code truce witness}: a witness's key and its HTTP service. */
@Command(
        name = "witness",
        mixinStandardHelpOptions = true,
        description = {
            "Run a C2SP tlog-witness: it cosigns a log's checkpoint only if it is consistent with the last one it "
                    + "cosigned for that log, so a log cannot show one history to one party and another to the next.",
            "Its data directory holds its private key (witness.key) and its state (checkpoints/), which survives restarts."
        },
        subcommands = {WitnessInitCommand.class, WitnessServeCommand.class})
public final class WitnessCommand {}
