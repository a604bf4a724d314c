package org.truce.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.truce.cli.CliException;
import org.truce.cli.ExitCodes;
import org.truce.cli.Output;
import org.truce.cli.Text;
import org.truce.cli.access.ApiReader;
import org.truce.cli.access.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code truce report}: reports computed by a server. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Reports computed by a server from its record.",
        subcommands = ReportCommand.Daily.class)
public final class ReportCommand {
    private ReportCommand() {}

    /** {@code truce report daily}. */
    @Command(name = "daily", mixinStandardHelpOptions = true,
            description = {"The daily report: incidents of a day by region and type against the previous day and since the "
                    + "truce's entry into force, each party's records and claims (alleges, denies, acknowledges, other "
                    + "explanation, cannot confirm) side by side, and the day's incidents.",
                "Counts are of records and claims you may read, not of established facts."})
    static final class Daily implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Option(names = "--date", required = true, paramLabel = "DATE", description = "The day, such as 2016-09-19 (UTC).")
        String date;

        @Option(names = "--region", paramLabel = "NAME", description = "Limit the report to one first-level region.")
        @Nullable String region;

        @Option(names = "--since", paramLabel = "DATE",
                description = "First day of the cumulative count (default: the earliest entry into force of an agreement).")
        @Nullable String since;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "text (default), json, html (a printable page with its charts) or svg (the chart).")
        String format;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        @Nullable Path out;

        @Override
        public Integer call() throws InterruptedException {
            if (!java.util.List.of("text", "json", "html", "svg").contains(format)) {
                throw new CliException(ExitCodes.USAGE, "--format: '" + format + "' is not text, json, html or svg");
            }
            ApiReader api = ApiReader.open(read);
            Map<String, @Nullable String> q = new LinkedHashMap<>();
            q.put("date", date);
            q.put("region", region);
            q.put("since", since);
            q.put("at", null);
            if (format.equals("html") || format.equals("svg")) {
                q.put("format", format);
                Output.write(out, o -> api.download("/api/v1/reports/daily", q, o));
                return ExitCodes.OK;
            }
            JsonNode r = api.get("/api/v1/reports/daily", q);
            java.io.StringWriter text = new java.io.StringWriter();
            PrintWriter p = new PrintWriter(text);
            if (format.equals("json")) {
                p.println(r.toPrettyString());
            } else {
                print(p, r);
            }
            p.flush();
            if (out == null) {
                spec.commandLine().getOut().print(text);
                spec.commandLine().getOut().flush();
            } else {
                Output.write(out, o -> o.write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            return ExitCodes.OK;
        }

        private static void print(PrintWriter out, JsonNode r) {
            out.println("Daily report " + r.get("date").asText() + (r.get("region").isNull() ? "" : " — " + r.get("region").asText())
                    + ", cumulative since " + r.get("since").asText());
            out.println("From the log at size " + r.path("log").path("size").asText("?") + ", root "
                    + r.path("log").path("root").asText("?"));
            JsonNode t = r.get("totals");
            out.printf("Incidents: %d on the day, %d the day before (%s), %d since %s%n%n", t.get("day").asLong(),
                    t.get("previousDay").asLong(), change(t), t.get("cumulative").asLong(), r.get("since").asText());
            Text.Table regions = new Text.Table("REGION", "DAY", "DAY BEFORE", "CHANGE", "CUMULATIVE");
            r.get("byRegion").forEach(x -> regions.row(x.get("region").asText(), x.get("day").asText(),
                    x.get("previousDay").asText(), change(x), x.get("cumulative").asText()));
            print(out, "By region", regions);
            Text.Table types = new Text.Table("TYPE", "SUB-EVENT TYPE", "DAY", "DAY BEFORE", "CHANGE", "CUMULATIVE");
            r.get("byType").forEach(x -> types.row(x.get("event").asText(), x.get("subEvent").asText(), x.get("day").asText(),
                    x.get("previousDay").asText(), change(x), x.get("cumulative").asText()));
            print(out, "By type", types);
            Text.Table parties = new Text.Table("PARTY", "", "RECORDED", "ALLEGES", "DENIES", "ACKNOWLEDGES", "OTHER EXPL.",
                    "CANNOT CONFIRM");
            for (JsonNode p : r.get("parties")) {
                for (String span : new String[] {"day", "cumulative"}) {
                    JsonNode c = p.get(span);
                    parties.row(span.equals("day") ? p.get("party").asText() + " (" + p.get("name").asText() + ")" : "", span,
                            c.get("recorded").asText(), c.get("alleges").asText(), c.get("denies").asText(),
                            c.get("acknowledges").asText(), c.get("alternative").asText(), c.get("cannotConfirm").asText());
                }
            }
            print(out, "Each party's records and claims", parties);
            Text.Table incidents = new Text.Table("FROM", "REGION", "SUB-EVENT TYPE", "KILLED", "CLAIMS", "", "ID", "TITLE");
            r.get("incidents").forEach(x -> incidents.row(Text.when(x.get("from")), x.get("region").asText(),
                    x.get("subEvent").asText(), x.get("killed").isNull() ? "–" : x.get("killed").asText(), x.get("claims").asText(),
                    x.get("contested").asBoolean() ? "contested" : "", x.get("id").asText(), x.get("title").asText()));
            print(out, "The day's incidents", incidents);
            out.println("Figures count records and parties' claims, not established facts.");
        }

        private static void print(PrintWriter out, String heading, Text.Table t) {
            out.println(heading);
            if (t.isEmpty()) {
                out.println("  none");
            } else {
                t.print(out, "  ");
            }
            out.println();
        }

        private static String change(JsonNode x) {
            long d = x.get("day").asLong() - x.get("previousDay").asLong();
            return d > 0 ? "+" + d : d == 0 ? "±0" : Long.toString(d);
        }
    }
}
