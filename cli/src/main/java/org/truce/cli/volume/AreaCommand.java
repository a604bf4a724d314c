package org.truce.cli.volume;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.truce.cli.ExitCodes;
import org.truce.cli.Text;
import org.truce.cli.access.ApiReader;
import org.truce.cli.access.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce area}: declared areas of presence or control. */
@Command(name = "area", mixinStandardHelpOptions = true, description = "Declared areas of presence or control.",
        subcommands = AreaCommand.At.class)
public final class AreaCommand {
    private AreaCommand() {}

    /** {@code truce area at}. */
    @Command(name = "at", mixinStandardHelpOptions = true,
            description = "Who was declared present in or controlling a place at a moment (--at), and whether that is disputed.")
    static final class At implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Option(names = "--point", required = true, paramLabel = "LON,LAT", description = "The place, such as 40.17,35.26.")
        String point;

        @Option(names = "--radius", paramLabel = "METRES", description = "Metres around the point (default 0).")
        @Nullable String radius;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, @Nullable String> q = new LinkedHashMap<>();
            q.put("point", point);
            q.put("radius", radius);
            JsonNode r = ApiReader.open(read).get("/api/v1/areas", q);
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(r.toPrettyString());
                return ExitCodes.OK;
            }
            out.println("declared at " + point + " as of " + Text.when(r.get("asOf")) + (r.get("disputed").asBoolean() ? ", disputed" : ""));
            Text.Table t = new Text.Table("ACTOR", "CLAIM", "BY", "FROM", "TO", "", "ID");
            for (JsonNode d : r.get("declarations")) {
                t.row(d.get("actor").asText(), d.get("claim").asText(), d.get("by").asText(), Text.when(d.get("from")),
                        d.has("to") ? Text.when(d.get("to")) : "–", d.get("disputed").asBoolean() ? "disputed" : "", d.get("id").asText());
            }
            if (t.isEmpty()) {
                out.println("  nobody that you may see");
            } else {
                t.print(out, "  ");
            }
            return ExitCodes.OK;
        }
    }
}
