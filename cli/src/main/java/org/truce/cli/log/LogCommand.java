package org.truce.cli.log;

import picocli.CommandLine.Command;

/** {@code truce log}: create, append to, audit and prove entries of a transparency log in tiles. */
@Command(
        name = "log",
        mixinStandardHelpOptions = true,
        description = {
            "Work with a transparency log stored as C2SP tiles in a directory or served over HTTP.",
            "A log is a directory with a signed 'checkpoint' and 'tile/...' files; any static web server can publish it."
        },
        subcommands = {
            KeygenCommand.class,
            AppendCommand.class,
            VerifyCommand.class,
            ProveCommand.class,
            CheckProofCommand.class,
            DemoCommand.class
        })
public final class LogCommand {}
