package org.truce.cli;

import java.io.PrintWriter;
import org.truce.cli.actor.ActorCommand;
import org.truce.cli.agreement.AgreementCommand;
import org.truce.cli.log.LogCommand;
import org.truce.cli.node.AuditCommand;
import org.truce.cli.node.DemoServerCommand;
import org.truce.cli.node.InitCommand;
import org.truce.cli.node.KeysCommand;
import org.truce.cli.node.SubmitCommand;
import org.truce.cli.node.RebuildCommand;
import org.truce.cli.node.ServeCommand;
import org.truce.tlog.FormatException;
import org.truce.tlog.TlogException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code truce} command. */
@Command(
        name = "truce",
        mixinStandardHelpOptions = true,
        versionProvider = Truce.Version.class,
        description = "A shared, verifiable record for carrying out a ceasefire.",
        subcommands = {
            InitCommand.class,
            ServeCommand.class,
            DemoServerCommand.class,
            RebuildCommand.class,
            AuditCommand.class,
            org.truce.cli.node.BackupCommand.class,
            org.truce.cli.node.RestoreCommand.class,
            KeysCommand.class,
            SubmitCommand.class,
            AgreementCommand.class,
            ActorCommand.class,
            org.truce.cli.incident.IncidentCommand.class,
            org.truce.cli.notification.NotificationCommand.class,
            org.truce.cli.volume.DeconflictCommand.class,
            org.truce.cli.volume.AreaCommand.class,
            org.truce.cli.incident.ReportCommand.class,
            org.truce.cli.incident.ExportCommand.class,
            org.truce.cli.incident.ImportCommand.class,
            LogCommand.class,
            org.truce.cli.witness.WitnessCommand.class,
            org.truce.cli.node.StartTrainingCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success",
            "  1  verification failed: the log, checkpoint or proof does not verify",
            "  2  usage error: unknown command or option, missing argument",
            "  3  bad input: a file, key or note that cannot be read or parsed",
            "  4  storage or network failure, or the server failed"
        })
public final class Truce implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and returns the exit code, without exiting. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Truce());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            int code;
            String message;
            if (ex instanceof CliException c) {
                code = c.exitCode();
                message = c.getMessage();
            } else if (ex instanceof FormatException) {
                code = ExitCodes.BAD_INPUT;
                message = ex.getMessage();
            } else if (ex instanceof TlogException) {
                code = ExitCodes.STORAGE;
                message = ex.getMessage();
            } else if (ex instanceof IllegalArgumentException) {
                code = ExitCodes.BAD_INPUT;
                message = ex.getMessage();
            } else {
                code = ExitCodes.STORAGE;
                message = "internal error: " + ex;
                if (System.getenv("TRUCE_DEBUG") != null) {
                    ex.printStackTrace(e);
                }
            }
            e.println("truce: " + message);
            e.flush();
            return code;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, java.nio.charset.StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8);
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Truce.class.getPackage().getImplementationVersion();
            return new String[] {"truce " + (v == null ? "development build" : v)};
        }
    }
}
