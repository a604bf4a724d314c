package org.truce.cli.actor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
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

/** {@code truce actor}: the registry of armed actors as a server shows it at a moment. */
@Command(name = "actor", mixinStandardHelpOptions = true,
        description = "Armed actors, party to the truce or not, read from a server: their names over time and their "
                + "status history, each change with its source.",
        subcommands = ActorCommand.ShowCommand.class)
public final class ActorCommand {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private ActorCommand() {}

    /** {@code truce actor show}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print an actor as of then: the name in force, every other name it has had, its type and "
                    + "affiliation, its status, and the history of its names and statuses with their sources.")
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Parameters(index = "0", paramLabel = "ACTOR",
                description = "The actor's id (e.g. jabhat-al-nusra), or any name it has had (e.g. \"Jabhat Fatah al-Sham\").")
        String actor;

        @Override
        public Integer call() throws InterruptedException {
            ApiReader api = ApiReader.open(read);
            String id = resolve(api, actor);
            JsonNode a = api.get("/api/v1/actors/" + ApiReader.segment(id));
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(a.toPrettyString());
                return ExitCodes.OK;
            }
            out.println(a.get("id").asText() + "  " + a.get("currentName").asText() + "  (" + a.get("type").asText() + ")");
            Text.Table head = Text.Table.plain(2);
            head.row("as of:", Text.when(a.get("asOf")));
            head.row("also known as:", Text.join(a.get("knownAs"), ", "));
            JsonNode aff = a.path("affiliation");
            List<String> affiliation = new ArrayList<>();
            if (aff.has("party")) {
                affiliation.add("party " + aff.get("party").asText());
            }
            if (aff.has("actor")) {
                affiliation.add("actor " + aff.get("actor").asText());
            }
            head.row("affiliation:", affiliation.isEmpty() ? "–" : String.join(", ", affiliation));
            head.row("status:", a.get("status").asText());
            head.row("registered:", Text.when(a.get("at")) + " by " + a.get("by").asText() + ", entry " + a.get("index").asLong());
            head.row("source:", a.get("source").asText());
            head.print(out, "  ");
            out.println();
            out.println("status history:");
            Text.Table statuses = new Text.Table("FROM", "STATUS", "AGREEMENT", "BY", "SOURCE");
            a.get("statuses").forEach(s -> statuses.row(Text.when(s.get("from")), s.get("status").asText(),
                    s.path("agreement").asText("–"), s.get("by").asText(), s.get("source").asText()));
            if (statuses.isEmpty()) {
                out.println("  none recorded by then: the status is unknown");
            } else {
                statuses.print(out, "  ");
            }
            out.println();
            out.println("names:");
            Text.Table names = new Text.Table("FROM", "CHANGE", "NAME", "BY", "SOURCE");
            names.row(Text.when(a.get("at")), "registered", a.get("name").asText(), a.get("by").asText(), "–");
            a.get("names").forEach(n -> names.row(Text.when(n.has("from") ? n.get("from") : n.get("at")),
                    n.get("change").asText(), n.get("name").asText(), n.get("by").asText(), n.get("source").asText()));
            names.print(out, "  ");
            return ExitCodes.OK;
        }

        /**
         * The id of the actor {@code given} names: the one actor that has had that name, else {@code given}
         * itself when it has the shape of an id.
         */
        private static String resolve(ApiReader api, String given) throws InterruptedException {
            Map<String, @Nullable String> query = new HashMap<>();
            query.put("name", given);
            query.put("at", null);
            List<String> ids = new ArrayList<>();
            api.get("/api/v1/actors", query).get("actors").forEach(n -> ids.add(n.asText()));
            if (ids.size() == 1) {
                return ids.get(0);
            }
            if (ID.matcher(given).matches() && (ids.isEmpty() || ids.contains(given))) {
                return given;
            }
            if (ids.isEmpty()) {
                throw new CliException(ExitCodes.BAD_INPUT, "no actor has the name '" + given + "'");
            }
            throw new CliException(ExitCodes.BAD_INPUT, "'" + given + "' names several actors: " + String.join(", ", ids)
                    + "; give one of their ids");
        }
    }
}
