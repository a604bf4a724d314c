package org.truce.cli.agreement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truce agreement}: agreements as a server shows them at a moment. */
@Command(name = "agreement", mixinStandardHelpOptions = true,
        description = {"Agreements as reciprocal, sequenced steps, read from a server: their terms, each step's deadline "
                + "and status, what each party owes, and the timeline, as the record stood at any moment (--at).",
            "Only what the reader may see is shown: the public's records, and with --key also those restricted to "
                    + "that party."},
        subcommands = {AgreementCommand.ListCommand.class, AgreementCommand.ShowCommand.class, AgreementCommand.StatusCommand.class,
            AgreementCommand.TimelineCommand.class})
public final class AgreementCommand {
    /** The score names of the Peace Accords Matrix scale. */
    private static final String[] SCORES = {"not initiated", "minimal", "intermediate", "full"};

    private AgreementCommand() {}

    /** The path of one agreement's resource. */
    private static String path(String id) {
        return "/api/v1/agreements/" + ApiReader.segment(id);
    }

    /** {@code truce agreement list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the agreements recorded by then, with their parties and their steps counted by status.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Override
        public Integer call() throws InterruptedException {
            ApiReader api = ApiReader.open(read);
            ObjectNode all = null;
            String after = null;
            do {
                Map<String, @Nullable String> query = new LinkedHashMap<>();
                query.put("limit", "500");
                query.put("after", after);
                JsonNode page = api.get("/api/v1/agreements", query);
                if (all == null) {
                    all = ((ObjectNode) page).deepCopy();
                    all.remove("next");
                } else {
                    ((ArrayNode) all.get("agreements")).addAll((ArrayNode) page.get("agreements"));
                }
                after = page.path("next").isTextual() ? page.get("next").textValue() : null;
            } while (after != null);
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(all.toPrettyString());
                return ExitCodes.OK;
            }
            out.println("agreements as of " + Text.when(all.get("asOf")));
            Text.Table t = new Text.Table("ID", "EFFECTIVE", "PARTIES", "INVITED", "STEPS", "TITLE");
            for (JsonNode a : all.get("agreements")) {
                List<String> counts = new ArrayList<>();
                a.get("statuses").properties().forEach(e -> {
                    if (e.getValue().asInt() > 0) {
                        counts.add(e.getValue().asInt() + " " + e.getKey());
                    }
                });
                t.row(a.get("id").asText(), Text.when(a.get("effective")), Text.join(a.get("parties"), ", "),
                        Text.join(a.get("invited"), ", "), counts.isEmpty() ? "–" : String.join(", ", counts),
                        a.get("title").asText());
            }
            if (t.isEmpty()) {
                out.println("  none that you may see");
            } else {
                t.print(out, "");
            }
            return ExitCodes.OK;
        }
    }

    /** {@code truce agreement show}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print an agreement's terms: its text, parties, monitors, excluded actors, effective time, and "
                    + "every step with the parties it obligates, its deadline rule, preconditions and what counts as "
                    + "fulfilment, as signed.")
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Parameters(index = "0", paramLabel = "AGREEMENT", description = "The agreement's id, e.g. geneva-2016-09.")
        String id;

        @Override
        public Integer call() throws InterruptedException {
            ApiReader api = ApiReader.open(read);
            JsonNode status = api.get(path(id));
            Map<String, @Nullable String> noMoment = new LinkedHashMap<>();
            noMoment.put("at", null);
            JsonNode entry = api.get("/api/v1/entries/" + status.get("index").asLong(), noMoment);
            JsonNode terms = entry.path("body");
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(entry.toPrettyString());
                return ExitCodes.OK;
            }
            if (!terms.isObject()) {
                // The status was readable, so the agreement's own entry is too; this is a server fault.
                throw new org.truce.cli.CliException(ExitCodes.STORAGE, "the server withheld the terms of " + id);
            }
            String zone = terms.path("timeZone").isTextual() ? terms.get("timeZone").textValue() : null;
            out.println(terms.get("id").asText() + "  " + terms.get("title").asText());
            Text.Table head = Text.Table.plain(2);
            head.row("parties:", Text.join(terms.get("parties"), ", "));
            head.row("invited:", Text.join(terms.get("invited"), ", "));
            head.row("monitors:", terms.has("monitors") ? Text.join(terms.get("monitors"), ", ")
                    : "any party with the monitor role");
            head.row("excludes:", Text.join(terms.get("excludes"), ", "));
            head.row("effective:", Text.when(terms.get("effective"), zone));
            if (terms.has("link")) {
                head.row("link:", terms.get("link").asText());
            }
            if (terms.has("textSha256")) {
                head.row("text SHA-256:", terms.get("textSha256").asText());
            }
            head.row("recorded:", Text.when(status.get("at")) + " by " + status.get("by").asText() + ", entry "
                    + status.get("index").asLong());
            head.print(out, "  ");
            if (terms.has("text")) {
                out.println();
                Text.wrap(out, "  ", terms.get("text").asText());
            }
            out.println();
            out.println("steps:");
            for (JsonNode s : terms.get("steps")) {
                out.println("  " + s.get("id").asText() + "  " + s.get("title").asText());
                Text.Table t = Text.Table.plain(2);
                t.row("phase:", Integer.toString(s.path("phase").asInt(1)));
                t.row("obligated:", obligated(s));
                t.row("deadline:", deadline(s.get("deadline"), zone));
                t.row("preconditions:", Text.join(s.get("preconditions"), ", "));
                t.print(out, "      ");
                Text.wrap(out, "      fulfilment:     ", " ".repeat(22), s.get("fulfilment").asText());
            }
            return ExitCodes.OK;
        }

        private static String deadline(JsonNode d, @Nullable String zone) {
            if (d.has("at")) {
                return Text.when(d.get("at"), zone);
            }
            JsonNode after = d.get("after");
            String event = after.get("event").asText();
            return Text.duration(d.get("offset").asText()) + " after " + (event.equals("effective") ? "the effective time"
                    : "step " + after.get("step").asText() + " is " + (event.equals("reported") ? "reported" : "assessed full"));
        }
    }

    /** Who owes a step: "sy and hnc, together" or "sy, hnc (each)". */
    private static String obligated(JsonNode step) {
        JsonNode o = step.get("obligated");
        if (o.size() == 1) {
            return o.get(0).asText();
        }
        return step.path("collectively").asBoolean(false) ? Text.join(o, " and ") + ", together"
                : Text.join(o, ", ") + " (each)";
    }

    /** {@code truce agreement status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Print where an agreement stands: per step its obligated parties, deadline, status (fulfilled, "
                    + "disputed, reported, blocked, pending, paused, due, overdue, withdrawn) and on whom it is blocked; "
                    + "per party its standing, what it owes by status and what it holds up; the critical path to the next "
                    + "phase; and extensions or pauses still awaiting a signature.",
                "Obligated 'a+b' means the parties owe the step together; 'a, b' that each owes it."})
    static final class StatusCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Parameters(index = "0", paramLabel = "AGREEMENT", description = "The agreement's id, e.g. geneva-2016-09.")
        String id;

        @Override
        public Integer call() throws InterruptedException {
            JsonNode s = ApiReader.open(read).get(path(id));
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(s.toPrettyString());
                return ExitCodes.OK;
            }
            out.println(s.get("id").asText() + "  " + s.get("title").asText());
            String zone = s.path("timeZone").isTextual() ? " (the text states times in " + s.get("timeZone").asText() + ")" : "";
            out.println("as of " + Text.when(s.get("asOf")) + "; effective " + Text.when(s.get("effective"))
                    + "; times in UTC" + zone);
            if (s.has("pausedUntil")) {
                out.println("paused until " + Text.when(s.get("pausedUntil")));
            }
            out.println();
            Text.Table steps = new Text.Table("STEP", "PHASE", "OBLIGATED", "DEADLINE", "STATUS", "BLOCKED ON", "ASSESSED");
            for (JsonNode st : s.get("steps")) {
                String deadline = st.get("deadline").isTextual() ? Text.when(st.get("deadline"))
                        : st.has("waitingFor") ? "waiting for " + st.get("waitingFor").asText() : "–";
                steps.row(st.get("id").asText(), Integer.toString(st.path("phase").asInt(1)),
                        Text.join(st.get("obligated"), st.path("collectively").asBoolean(false) ? "+" : ", "), deadline,
                        st.get("status").asText(), blockedOn(st), assessed(st.get("assessment")));
            }
            steps.print(out, "");
            out.println();
            Text.Table parties = new Text.Table("PARTY", "STANDING", "OWES", "HOLDS UP");
            s.get("obligations").properties().forEach(e -> {
                JsonNode p = e.getValue();
                String standing = p.get("standing").asText()
                        + (p.has("acceptedAt") ? " " + Text.when(p.get("acceptedAt")) : "");
                List<String> owes = new ArrayList<>();
                p.get("steps").properties().forEach(g -> owes.add(g.getKey() + ": " + Text.join(g.getValue(), ", ")));
                parties.row(e.getKey(), standing, owes.isEmpty() ? "–" : String.join("; ", owes),
                        Text.join(p.get("blocking"), ", "));
            });
            parties.print(out, "");
            JsonNode path = s.get("criticalPath");
            out.println();
            if (path.get("phase").isNull()) {
                out.println("critical path: none; every step is fulfilled or withdrawn");
            } else {
                List<String> chain = new ArrayList<>();
                path.get("steps").forEach(st -> chain.add(st.get("id").asText() + " (" + st.get("status").asText() + ", "
                        + (st.get("deadline").isTextual() ? "deadline " + Text.when(st.get("deadline")) : "no deadline yet")
                        + ")"));
                out.println("critical path from phase " + path.get("phase").asInt() + " to " + path.get("next").asText()
                        + ": " + String.join(" → ", chain));
            }
            for (JsonNode c : s.get("pendingChanges")) {
                String what = c.get("type").asText().equals("pause")
                        ? "a pause from " + Text.when(c.get("from")) + " until " + Text.when(c.get("until"))
                        : "an extension of step " + c.get("step").asText() + " to " + Text.when(c.get("until"));
                out.println("awaiting " + Text.join(c.get("awaiting"), ", ") + ": " + what + ", requested by "
                        + c.get("by").asText() + " on " + Text.when(c.get("at")));
            }
            return ExitCodes.OK;
        }

        private static String blockedOn(JsonNode step) {
            if (step.has("withdrawnBy")) {
                return "withdrawn by " + step.get("withdrawnBy").asText();
            }
            List<String> on = new ArrayList<>();
            step.path("blockedOn").forEach(b -> on.add(b.get("step").asText() + " (" + Text.join(b.get("parties"), ", ") + ")"));
            return on.isEmpty() ? "" : String.join("; ", on);
        }

        private static String assessed(@Nullable JsonNode a) {
            if (a == null) {
                return "";
            }
            int score = a.get("score").asInt();
            return score + " " + (score >= 0 && score < SCORES.length ? SCORES[score] : "") + " by " + a.get("by").asText();
        }
    }

    /** {@code truce agreement timeline}. */
    @Command(name = "timeline", mixinStandardHelpOptions = true,
            description = "Print everything recorded against an agreement by then, oldest first (acceptances, reports, "
                    + "assessments, extensions and pauses with who asked and who agreed, withdrawals, deadlines passed), "
                    + "then the history of each step's deadline.")
    static final class TimelineCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ReadOptions read;

        @Parameters(index = "0", paramLabel = "AGREEMENT", description = "The agreement's id, e.g. cessation-2016-02.")
        String id;

        @Override
        public Integer call() throws InterruptedException {
            JsonNode t = ApiReader.open(read).get(path(id) + "/timeline");
            PrintWriter out = spec.commandLine().getOut();
            if (read.json()) {
                out.println(t.toPrettyString());
                return ExitCodes.OK;
            }
            out.println(t.get("id").asText() + "  " + t.get("title").asText());
            out.println("as of " + Text.when(t.get("asOf")) + "; times in UTC");
            out.println();
            for (JsonNode e : t.get("events")) {
                String what = e.get("what").asText();
                if (e.has("score")) {
                    int score = e.get("score").asInt();
                    what += score >= 0 && score < SCORES.length ? " (" + SCORES[score] + ")" : "";
                }
                out.printf("%-17s  %-8s  %s%n", Text.when(e.get("at")), e.path("by").asText(""), what);
                for (String f : List.of("statement", "reason")) {
                    if (e.has(f)) {
                        Text.wrap(out, " ".repeat(31), e.get(f).asText());
                    }
                }
            }
            out.println();
            out.println("deadlines:");
            Text.Table d = new Text.Table("STEP", "DEADLINE", "BASIS");
            t.get("deadlines").properties().forEach(e -> {
                boolean first = true;
                for (JsonNode h : e.getValue()) {
                    d.row(first ? e.getKey() : "", h.get("deadline").isTextual() ? Text.when(h.get("deadline"))
                            : h.has("waitingFor") ? "waiting for " + h.get("waitingFor").asText() : "–", basis(h));
                    first = false;
                }
            });
            d.print(out, "  ");
            return ExitCodes.OK;
        }

        private static String basis(JsonNode h) {
            String basis = h.get("basis").asText();
            if (basis.equals("original")) {
                return "original" + (h.has("rule") ? ": " + h.get("rule").asText() : "");
            }
            return basis + " requested by " + h.get("requestedBy").asText() + ", agreed by "
                    + Text.join(h.get("agreedBy"), ", ") + ", in effect from " + Text.when(h.get("inEffectFrom"))
                    + (h.has("reason") ? ": " + h.get("reason").asText() : "");
        }
    }
}
