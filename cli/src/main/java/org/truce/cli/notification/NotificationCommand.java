package org.truce.cli.notification;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Text;
import org.truce.cli.access.ApiReader;
import org.truce.cli.access.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce notification}: notified sites and movements, read from a server. */
@Command(name = "notification", mixinStandardHelpOptions = true,
        description = {"Protected sites and humanitarian movements notified to the parties, with each named party's "
                + "signed acknowledgement, or its absence after the deadline."},
        subcommands = {NotificationCommand.ListCommand.class, NotificationCommand.ShowCommand.class})
public final class NotificationCommand {
    private NotificationCommand() {}

    private static String type(String t) {
        if (!t.equals("site") && !t.equals("movement")) {
            throw new CliException(ExitCodes.USAGE, "TYPE is site or movement, not '" + t + "'");
        }
        return t;
    }

    /** {@code truce notification list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List notified sites or movements with who acknowledged them.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Parameters(index = "0", paramLabel = "TYPE", defaultValue = "site", description = "site (default) or movement.")
        String type;

        @Option(names = "--party", paramLabel = "PARTY", description = "Only those this party must acknowledge.")
        @Nullable String party;

        @Option(names = "--unacknowledged", description = "With --party: only those it has not acknowledged.")
        boolean unacknowledged;

        @Override
        public Integer call() throws InterruptedException {
            String t = type(type);
            Map<String, @Nullable String> q = new LinkedHashMap<>();
            q.put("party", party);
            q.put("unacknowledged", unacknowledged ? "true" : null);
            q.put("at", null);
            JsonNode all = ApiReader.open(read).get("/api/v1/notifications/" + t + "s", q).get(t + "s");
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(all.toPrettyString());
                return ExitCodes.OK;
            }
            Text.Table table = new Text.Table("ID", t.equals("site") ? "CATEGORY" : "FIRST LEG", "BY", "DUE", "ACKNOWLEDGEMENTS",
                    "NAME");
            for (JsonNode n : all) {
                table.row(n.get("id").asText(), t.equals("site") ? n.get("category").asText() : Text.when(n.get("legs").get(0).get("from")),
                        n.get("by").asText(), Text.when(n.get("ackBy")), acks(n), n.get("name").asText()
                                + (n.has("withdrawn") ? " (withdrawn)" : ""));
            }
            if (table.isEmpty()) {
                out.println("none that you may see");
            } else {
                table.print(out, "");
            }
            return ExitCodes.OK;
        }
    }

    static String acks(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode a : n.get("acknowledgements")) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.get("party").asText()).append(' ').append(a.get("status").asText());
        }
        return sb.toString();
    }

    /** {@code truce notification show}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a notified site or movement: its footprint or route and legs, each named party's "
                    + "acknowledgement with its entry, and the incidents recorded near it while it stood.")
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Parameters(index = "0", paramLabel = "TYPE", description = "site or movement.")
        String type;

        @Parameters(index = "1", paramLabel = "ID", description = "Its id.")
        String id;

        @Option(names = "--near", paramLabel = "METRES", defaultValue = "1000",
                description = "Flag incidents within this distance (default: ${DEFAULT-VALUE} m).")
        String near;

        @Override
        public Integer call() throws InterruptedException {
            String t = type(type);
            Map<String, @Nullable String> q = new LinkedHashMap<>();
            q.put("near", near);
            q.put("at", null);
            JsonNode n = ApiReader.open(read).get("/api/v1/notifications/" + t + "s/" + ApiReader.segment(id), q);
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(n.toPrettyString());
                return ExitCodes.OK;
            }
            out.println(n.get("name").asText() + "  (" + t + " " + n.get("id").asText() + ", notified by " + n.get("by").asText()
                    + " at " + Text.when(n.get("at")) + ", log index " + n.get("index").asText() + ")");
            if (n.has("withdrawn")) {
                out.println("  withdrawn by " + n.get("withdrawn").get("by").asText() + " at " + Text.when(n.get("withdrawn").get("at"))
                        + ": " + n.get("withdrawn").get("reason").asText());
            }
            JsonNode f = n.has("footprint") ? n.get("footprint") : n.get("route");
            out.println("  " + (t.equals("site") ? "footprint: " : "route: ") + f.get("type").asText() + " " + (f.has("center")
                    ? f.get("center") + ", radius " + f.get("radius").asText() + " m"
                    : (f.get("coordinates").size()) + " positions" + (f.has("halfWidth") ? ", half-width " + f.get("halfWidth").asText() + " m" : "")));
            for (JsonNode leg : n.path("legs")) {
                out.println("  leg " + leg.get("name").asText() + ": " + Text.when(leg.get("from")) + " – " + Text.when(leg.get("to")));
            }
            out.println("  acknowledge by " + Text.when(n.get("ackBy")) + ":");
            for (JsonNode a : n.get("acknowledgements")) {
                out.println("    " + a.get("party").asText() + "  " + a.get("status").asText()
                        + (a.has("at") ? "  " + Text.when(a.get("at")) + ", log index " + a.get("index").asText() : ""));
            }
            out.println("  incidents within " + n.get("near").asText() + " m while it stood:");
            if (n.get("incidentsNear").isEmpty()) {
                out.println("    none that you may see");
            }
            for (JsonNode i : n.get("incidentsNear")) {
                out.println("    " + Text.when(i.get("from")) + "  " + i.get("id").asText() + "  " + i.get("gap").asText() + " m  "
                        + i.get("title").asText());
            }
            return ExitCodes.OK;
        }
    }
}
