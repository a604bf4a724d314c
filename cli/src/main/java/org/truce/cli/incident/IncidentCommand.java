package org.truce.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce incident}: incidents with every account side by side, read from a server. */
@Command(name = "incident", mixinStandardHelpOptions = true,
        description = {"Incidents read from a server: what happened where and when, what observers saw, each party's claim "
                + "side by side, and monitors' assessments, each a signed record.",
            "Only what the reader may see is shown: the public's records, and with --key also those restricted to that party."},
        subcommands = {IncidentCommand.ListCommand.class, IncidentCommand.ShowCommand.class})
public final class IncidentCommand {
    private IncidentCommand() {}

    /** {@code truce incident list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the incidents a filter selects, in id order.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Mixin
        FilterOptions filter;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N incidents (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws InterruptedException {
            ApiReader api = ApiReader.open(read);
            PrintWriter out = spec.commandLine().getOut();
            Text.Table t = new Text.Table("ID", "FROM", "REGION", "PLACE", "SUB-EVENT TYPE", "KILLED", "CLAIMS", "", "TITLE");
            com.fasterxml.jackson.databind.node.ArrayNode all = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            String after = null;
            do {
                Map<String, @Nullable String> q = filter.query();
                q.put("limit", Integer.toString(Math.min(500, limit - all.size())));
                q.put("after", after);
                JsonNode page = api.get("/api/v1/incidents", q);
                page.get("incidents").forEach(all::add);
                after = page.path("next").isTextual() ? page.get("next").textValue() : null;
            } while (after != null && all.size() < limit);
            if (read.json()) {
                out.println(all.toPrettyString());
                return ExitCodes.OK;
            }
            for (JsonNode i : all) {
                JsonNode killed = i.path("casualties").path("killed").path("best");
                t.row(i.get("id").asText(), Text.when(i.get("time").get("from")), i.get("location").path("admin1").asText("–"),
                        i.get("location").path("place").asText("–"), i.get("type").get("subEvent").asText(),
                        killed.isMissingNode() ? "–" : killed.asText(), Integer.toString(i.get("claims").size()),
                        i.get("contested").asBoolean() ? "contested" : "", i.get("title").asText());
            }
            if (t.isEmpty()) {
                out.println("no incidents that you may see match");
            } else {
                t.print(out, "");
            }
            return ExitCodes.OK;
        }
    }

    /** {@code truce incident show}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one incident: its current version, every party's claim side by side, observations, "
                    + "assessments, evidence and the history of every entry about it.")
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Parameters(index = "0", paramLabel = "INCIDENT", description = "The incident's id.")
        String id;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, @Nullable String> noMoment = new java.util.LinkedHashMap<>();
            noMoment.put("at", null);
            JsonNode i = ApiReader.open(read).get("/api/v1/incidents/" + ApiReader.segment(id), noMoment);
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(i.toPrettyString());
                return ExitCodes.OK;
            }
            out.println(i.get("title").asText() + "  (" + i.get("id").asText() + ", version " + i.get("version").asText()
                    + (i.get("contested").asBoolean() ? ", contested" : "") + ")");
            JsonNode time = i.get("time");
            JsonNode loc = i.get("location");
            Text.Table facts = Text.Table.plain(2);
            facts.row("when:", Text.when(time.get("from")) + " – " + Text.when(time.get("to")) + "  (" + precision(time) + ")");
            facts.row("where:", String.join(", ", texts(loc, "place", "admin3", "admin2", "admin1", "country")) + "  "
                    + (loc.has("point") ? loc.get("point").toString() : "an area of " + (loc.get("polygon").get(0).size() - 1)
                    + " vertices") + "  (" + precision(loc) + ")");
            facts.row("type:", i.get("type").get("event").asText() + " / " + i.get("type").get("subEvent").asText());
            facts.row("casualties:", figures(i.path("casualties")));
            facts.row("recorded:", "by " + i.get("by").asText() + " at " + Text.when(i.get("at")) + ", log index " + i.get("index").asText());
            for (String l : new String[] {"actors", "sites", "movements", "areas", "agreements"}) {
                if (i.path(l).size() > 0) {
                    facts.row(l + ":", Text.join(i.get(l), ", "));
                }
            }
            facts.print(out, "  ");
            if (i.has("summary")) {
                Text.wrap(out, "  ", i.get("summary").asText());
            }
            out.println();
            out.println("Claims (each party's own account; none is a finding):");
            if (i.get("claims").isEmpty()) {
                out.println("  none that you may see");
            }
            for (JsonNode c : i.get("claims")) {
                String who = c.has("perpetrator") ? " " + c.get("perpetrator").properties().iterator().next().getValue().asText() : "";
                out.println("  " + c.get("by").asText() + " " + c.get("stance").asText() + who + "  (" + Text.when(c.get("at"))
                        + (c.has("figures") ? "; its figures: " + figures(c.get("figures")) : "") + ")");
                for (String f : new String[] {"statement", "explanation"}) {
                    if (c.has(f)) {
                        Text.wrap(out, "    ", c.get(f).asText());
                    }
                }
            }
            out.println();
            out.println("Observations:");
            if (i.get("observations").isEmpty()) {
                out.println("  none that you may see");
            }
            for (JsonNode o : i.get("observations")) {
                out.println("  " + o.get("by").asText() + " (" + o.get("observer").get("kind").asText() + ") "
                        + Text.when(o.get("time").get("from")) + " – " + Text.when(o.get("time").get("to")));
                for (JsonNode x : o.get("observed")) {
                    out.println("    " + (x.has("count") ? x.get("count").asText() + " " : "") + x.get("what").asText() + " "
                            + x.get("how").asText()
                            + (x.has("direction") ? ", " + x.get("direction").asText() : "")
                            + (x.has("distance") ? ", " + x.get("distance").asText() : ""));
                }
            }
            out.println();
            out.println("Assessments (monitors' findings, oldest first):");
            if (i.get("assessments").isEmpty()) {
                out.println("  none that you may see");
            }
            for (JsonNode a : i.get("assessments")) {
                out.println("  " + a.get("by").asText() + ": " + a.get("certainty").asText() + "  (" + Text.when(a.get("at"))
                        + (a.has("revisedBy") ? "; revised later" : "") + ")");
                Text.wrap(out, "    ", a.get("finding").asText());
            }
            out.println();
            out.println("History:");
            for (JsonNode h : i.get("history")) {
                out.println("  " + h.get("index").asText() + "  " + Text.when(h.get("at")) + "  " + h.get("by").asText() + "  "
                        + h.get("kind").asText() + (h.has("version") ? " v" + h.get("version").asText() : "")
                        + (h.has("supersededBy") ? "  (superseded)" : ""));
            }
            return ExitCodes.OK;
        }

        private static String precision(JsonNode n) {
            JsonNode p = n.get("precision");
            return p.get("scheme").asText().toUpperCase(java.util.Locale.ROOT) + " precision " + p.get("code").asText();
        }

        private static java.util.List<String> texts(JsonNode o, String... fields) {
            java.util.List<String> out = new java.util.ArrayList<>();
            for (String f : fields) {
                if (o.has(f)) {
                    out.add(o.get(f).asText());
                }
            }
            return out;
        }

        private static String figures(JsonNode c) {
            java.util.List<String> parts = new java.util.ArrayList<>();
            for (String f : new String[] {"killed", "injured"}) {
                JsonNode r = c.path(f);
                if (r.size() > 0) {
                    parts.add(f + " " + r.path("best").asText("?") + (r.has("low") || r.has("high")
                            ? " (" + r.path("low").asText("?") + "–" + r.path("high").asText("?") + ")" : ""));
                }
            }
            return parts.isEmpty() ? "unknown" : String.join(", ", parts);
        }
    }
}
