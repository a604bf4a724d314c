package org.truce.cli.volume;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Text;
import org.truce.cli.access.ApiReader;
import org.truce.cli.access.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce deconflict}: four-dimensional checks of volumes. */
@Command(name = "deconflict", mixinStandardHelpOptions = true,
        description = "Check flight and activity volumes against everything they would meet.",
        subcommands = DeconflictCommand.Check.class)
public final class DeconflictCommand {
    private DeconflictCommand() {}

    /** {@code truce deconflict check}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Ask the server what the volume in FILE (a volume body, see /api/v1/schemas/volume) would meet "
                    + "now: other volumes overlapping in time and altitude, protected sites standing then, movement legs "
                    + "during their windows, each with its owner and current version.",
                "Prints them and the key the volume must carry when it is signed (`truce submit volume FILE` after "
                        + "putting the key in). Nothing is written to the log."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Parameters(index = "0", paramLabel = "FILE", description = "The volume body, JSON.")
        Path file;

        @Override
        public Integer call() throws InterruptedException {
            String body;
            try {
                body = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCodes.BAD_INPUT, file + ": no such file");
            } catch (IOException e) {
                throw new CliException(ExitCodes.BAD_INPUT, "cannot read " + file + ": " + e.getMessage());
            }
            JsonNode answer = ApiReader.open(read).post("/api/v1/deconflict", body);
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(answer.toPrettyString());
                return ExitCodes.OK;
            }
            JsonNode meets = answer.get("meets");
            if (meets.isEmpty()) {
                out.println("meets nothing: sign it with an empty key");
            } else {
                out.println("meets " + meets.size() + ":");
                Text.Table t = new Text.Table("TYPE", "ID", "OWNER", "VERSION");
                meets.forEach(m -> t.row(m.get("type").asText(), m.get("id").asText(), m.get("owner").asText(),
                        m.get("version").asText()));
                t.print(out, "  ");
            }
            out.println("key: " + answer.get("key"));
            return ExitCodes.OK;
        }
    }
}
