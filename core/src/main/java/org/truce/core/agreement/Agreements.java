package org.truce.core.agreement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.truce.core.access.Reader;
import org.truce.core.entry.EntryHeader;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Views of agreements derived from the state and a moment: for each step its deadline now, its
 * status (fulfilled, disputed, reported, blocked and on whom, pending an event, due, overdue, paused
 * or withdrawn), what each party owes, the critical path to the next phase, and the history of
 * every deadline. A view "at" a moment sees only what was recorded (by its authors' times) by then,
 * and only what the reader may read.
 */
public final class Agreements {
    /** A step's standing at a moment. */
    public enum Status {
        FULFILLED, DISPUTED, REPORTED, BLOCKED, PENDING, DUE, OVERDUE, PAUSED, WITHDRAWN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final StateView state;

    public Agreements(StateView state) {
        this.state = state;
    }

    /** The ids of the agreements the reader may see that were recorded by {@code at}, in id order. */
    public List<String> ids(Reader reader, Instant at) {
        return state.findAll(AgreementRules.AGREEMENTS, "all", AgreementRules.MAX_RECORDS).stream()
                .filter(reader::mayRead).filter(d -> !time(d.body(), "at").isAfter(at)).map(Doc::id).toList();
    }

    /**
     * The earliest entry into force, no later than {@code until}, among the agreements the reader may
     * see: where a cumulative count of violations starts by default.
     */
    public java.util.Optional<Instant> earliestEffective(Reader reader, Instant until) {
        return state.findAll(AgreementRules.AGREEMENTS, "all", AgreementRules.MAX_RECORDS).stream().filter(reader::mayRead)
                .map(Doc::body).filter(b -> b.has("effective")).map(b -> time(b, "effective"))
                .filter(t -> !t.isAfter(until)).min(Instant::compareTo);
    }

    /** The ids of the agreements that name or invite {@code party}, as {@link #ids}. */
    public List<String> idsFor(Reader reader, String party, Instant at) {
        return state.findAll(AgreementRules.AGREEMENTS, AgreementRules.partyKey(party), AgreementRules.MAX_RECORDS).stream()
                .filter(reader::mayRead).filter(d -> !time(d.body(), "at").isAfter(at)).map(Doc::id).toList();
    }

    /**
     * The agreement as it stands at {@code at}: its terms, each step with its deadline and status,
     * each party's standing and what it owes, and the critical path to the next phase.
     */
    public Optional<ObjectNode> status(Reader reader, String id, Instant at) {
        return snapshot(reader, id, at).map(Snapshot::status);
    }

    /**
     * Everything recorded against the agreement by {@code at}, oldest first, and the history of every
     * step's deadline.
     */
    public Optional<ObjectNode> timeline(Reader reader, String id, Instant at) {
        return snapshot(reader, id, at).map(Snapshot::timeline);
    }

    private Optional<Snapshot> snapshot(Reader reader, String id, Instant at) {
        Optional<Doc> d = state.get(AgreementRules.AGREEMENTS, id).filter(reader::mayRead);
        if (d.isEmpty() || time(d.get().body(), "at").isAfter(at)) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(d.get().body(), visible(reader, id, at), at));
    }

    /** The documents recorded against an agreement that the reader may see, written by {@code at}, in log order. */
    private List<ObjectNode> visible(Reader reader, String id, Instant at) {
        List<ObjectNode> out = new ArrayList<>();
        String key = AgreementRules.agreementKey(id);
        for (String c : List.of(AgreementRules.ACCEPTANCES, AgreementRules.REPORTS, AgreementRules.ASSESSMENTS,
                AgreementRules.CHANGES, AgreementRules.WITHDRAWALS)) {
            for (Doc d : state.findAll(c, key, AgreementRules.MAX_RECORDS)) {
                if (reader.mayRead(d) && !time(d.body(), "at").isAfter(at)) {
                    ObjectNode b = d.body();
                    b.put("record", c);
                    out.add(b);
                }
            }
        }
        out.sort(Comparator.comparingLong(b -> b.get("index").asLong()));
        return out;
    }

    static Instant time(JsonNode b, String field) {
        return Instant.parse(b.get(field).textValue());
    }

    /** One agreement and what was recorded against it, as seen by one reader at one moment. */
    private static final class Snapshot {
        private final ObjectNode agreement;
        private final Instant at;
        private final Instant effective;
        private final Map<String, JsonNode> steps = new LinkedHashMap<>();
        private final Map<String, List<ObjectNode>> reports = new HashMap<>();
        private final Map<String, List<ObjectNode>> assessments = new HashMap<>();
        private final List<ObjectNode> changes = new ArrayList<>();
        private final Map<String, ObjectNode> accepted = new LinkedHashMap<>();
        private final Map<String, ObjectNode> withdrawn = new LinkedHashMap<>();
        private final List<ObjectNode> records;
        private final Map<String, Deadline> deadlines = new HashMap<>();

        Snapshot(ObjectNode agreement, List<ObjectNode> records, Instant at) {
            this.agreement = agreement;
            this.records = records;
            this.at = at;
            this.effective = time(agreement, "effective");
            agreement.get("steps").forEach(s -> steps.put(s.get("id").textValue(), s));
            for (ObjectNode r : records) {
                switch (r.get("record").textValue()) {
                    case AgreementRules.REPORTS -> reports.computeIfAbsent(r.get("step").textValue(), k -> new ArrayList<>()).add(r);
                    case AgreementRules.ASSESSMENTS ->
                            assessments.computeIfAbsent(r.get("step").textValue(), k -> new ArrayList<>()).add(r);
                    case AgreementRules.CHANGES -> changes.add(signedBy(r));
                    case AgreementRules.ACCEPTANCES -> accepted.put(r.get("party").textValue(), r);
                    case AgreementRules.WITHDRAWALS -> withdrawn.put(r.get("party").textValue(), r);
                    default -> throw new IllegalStateException(r.get("record").textValue());
                }
            }
        }

        /** A change with only the signatures written by the moment of the view, and whether it is in effect. */
        private ObjectNode signedBy(ObjectNode change) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            for (JsonNode s : change.get("signers")) {
                if (!time(s, "at").isAfter(at)) {
                    kept.add(s);
                }
            }
            change.set("signers", kept);
            Set<String> signed = new LinkedHashSet<>();
            kept.forEach(s -> signed.add(s.get("party").textValue()));
            ArrayNode awaiting = change.putArray("awaiting");
            Instant inEffect = null;
            for (String p : AgreementRules.texts(agreement.get("parties"))) {
                if (!signed.contains(p)) {
                    awaiting.add(p);
                }
            }
            if (awaiting.isEmpty()) {
                for (JsonNode s : kept) {
                    Instant t = time(s, "at");
                    inEffect = inEffect == null || t.isAfter(inEffect) ? t : inEffect;
                }
                change.put("inEffectFrom", EntryHeader.formatTime(inEffect));
            }
            change.put("inEffect", awaiting.isEmpty());
            return change;
        }

        // ---- events and deadlines ----

        /** When a step was first reported, if it has been by the moment of the view. */
        private @Nullable Instant reportedAt(String step) {
            List<ObjectNode> r = reports.getOrDefault(step, List.of());
            return r.isEmpty() ? null : time(r.get(0), "at");
        }

        private @Nullable ObjectNode latestAssessment(String step) {
            List<ObjectNode> a = assessments.getOrDefault(step, List.of());
            return a.isEmpty() ? null : a.get(a.size() - 1);
        }

        private boolean full(String step) {
            ObjectNode a = latestAssessment(step);
            return a != null && a.get("score").asInt() == 3;
        }

        /**
         * When a step became full and stayed so: the first of the latest unbroken run of assessments
         * that score it full. A later revision below full undoes the event.
         */
        private @Nullable Instant assessedFullAt(String step) {
            Instant since = null;
            for (ObjectNode a : assessments.getOrDefault(step, List.of())) {
                if (a.get("score").asInt() == 3) {
                    since = since == null ? time(a, "at") : since;
                } else {
                    since = null;
                }
            }
            return since;
        }

        /** A step's deadline at the moment of the view, and how it came to be. */
        private record Deadline(@Nullable Instant at, @Nullable String waitingFor, ArrayNode history) {}

        private Deadline deadline(String step) {
            Deadline known = deadlines.get(step);
            if (known != null) {
                return known;
            }
            JsonNode d = steps.get(step).get("deadline");
            ArrayNode history = JsonNodeFactory.instance.arrayNode();
            Instant t;
            String waitingFor = null;
            ObjectNode original = history.addObject().put("basis", "original");
            if (d.has("at")) {
                t = time(d, "at");
            } else {
                Duration offset = Duration.parse(d.get("offset").textValue());
                JsonNode after = d.get("after");
                Instant base;
                if (!after.has("step")) {
                    base = effective;
                } else {
                    String ref = after.get("step").textValue();
                    String event = after.get("event").textValue();
                    base = event.equals("reported") ? reportedAt(ref) : assessedFullAt(ref);
                    if (base == null) {
                        waitingFor = "step " + ref + " " + (event.equals("reported") ? "reported" : "assessed full");
                    }
                }
                t = base == null ? null : base.plus(offset);
                original.put("rule", rule(d));
            }
            original.put("deadline", t == null ? null : EntryHeader.formatTime(t));
            if (waitingFor != null) {
                original.put("waitingFor", waitingFor);
            }
            List<ObjectNode> inEffect = changes.stream().filter(c -> c.get("inEffect").asBoolean()).sorted(
                    Comparator.comparing((ObjectNode c) -> time(c, "inEffectFrom")).thenComparingLong(c -> c.get("index").asLong()))
                    .toList();
            for (ObjectNode c : inEffect) {
                if (c.get("type").textValue().equals("extension") && c.get("step").textValue().equals(step)) {
                    t = time(c, "until");
                    waitingFor = null;
                    history.add(changeEntry(c, t));
                }
            }
            for (ObjectNode c : inEffect) {
                if (c.get("type").textValue().equals("pause") && t != null && !t.isBefore(time(c, "from"))) {
                    t = t.plus(Duration.between(time(c, "from"), time(c, "until")));
                    history.add(changeEntry(c, t));
                }
            }
            Deadline out = new Deadline(t, waitingFor, history);
            deadlines.put(step, out);
            return out;
        }

        private static String rule(JsonNode d) {
            JsonNode after = d.get("after");
            String base = !after.has("step") ? "the effective time"
                    : "step " + after.get("step").textValue() + " is " + (after.get("event").textValue().equals("reported")
                            ? "reported" : "assessed full");
            return d.get("offset").textValue() + " after " + base;
        }

        private static ObjectNode changeEntry(ObjectNode c, Instant deadline) {
            ObjectNode h = JsonNodeFactory.instance.objectNode();
            h.put("basis", c.get("type").textValue());
            h.put("deadline", EntryHeader.formatTime(deadline));
            h.put("requestedBy", c.get("by").textValue());
            ArrayNode agreed = h.putArray("agreedBy");
            c.get("signers").forEach(s -> {
                if (!s.get("party").textValue().equals(c.get("by").textValue())) {
                    agreed.add(s.get("party").textValue());
                }
            });
            h.put("inEffectFrom", c.get("inEffectFrom").textValue());
            h.put("entry", c.get("entry").textValue());
            if (c.has("reason")) {
                h.put("reason", c.get("reason").textValue());
            }
            return h;
        }

        private @Nullable ObjectNode pauseNow() {
            for (ObjectNode c : changes) {
                if (c.get("inEffect").asBoolean() && c.get("type").textValue().equals("pause")
                        && !at.isBefore(time(c, "from")) && at.isBefore(time(c, "until"))) {
                    return c;
                }
            }
            return null;
        }

        // ---- status ----

        private Status statusOf(String step, ObjectNode out) {
            JsonNode s = steps.get(step);
            List<String> obligated = AgreementRules.texts(s.get("obligated"));
            for (String p : obligated) {
                if (withdrawn.containsKey(p)) {
                    out.put("withdrawnBy", p);
                    return Status.WITHDRAWN;
                }
            }
            ObjectNode latest = latestAssessment(step);
            List<ObjectNode> r = reports.getOrDefault(step, List.of());
            ObjectNode lastReport = r.isEmpty() ? null : r.get(r.size() - 1);
            if (latest != null && latest.get("score").asInt() == 3) {
                return Status.FULFILLED;
            }
            if (lastReport != null) {
                return latest != null && latest.get("index").asLong() > lastReport.get("index").asLong()
                        ? Status.DISPUTED : Status.REPORTED;
            }
            ArrayNode blockedOn = JsonNodeFactory.instance.arrayNode();
            for (String pre : AgreementRules.texts(s.path("preconditions"))) {
                if (!full(pre)) {
                    ObjectNode b = blockedOn.addObject().put("step", pre);
                    b.set("parties", steps.get(pre).get("obligated").deepCopy());
                }
            }
            if (!blockedOn.isEmpty()) {
                out.set("blockedOn", blockedOn);
                return Status.BLOCKED;
            }
            Deadline d = deadline(step);
            if (d.at() == null) {
                return Status.PENDING;
            }
            if (pauseNow() != null) {
                return Status.PAUSED;
            }
            return at.isAfter(d.at()) ? Status.OVERDUE : Status.DUE;
        }

        ObjectNode status() {
            ObjectNode out = terms();
            out.put("asOf", EntryHeader.formatTime(at));
            ObjectNode pause = pauseNow();
            if (pause != null) {
                out.put("pausedUntil", pause.get("until").textValue());
            }
            ArrayNode stepsOut = out.putArray("steps");
            Map<String, Status> statuses = new LinkedHashMap<>();
            for (String sid : steps.keySet()) {
                ObjectNode so = stepsOut.addObject();
                JsonNode s = steps.get(sid);
                so.put("id", sid);
                so.put("title", s.get("title").textValue());
                so.put("phase", s.path("phase").asInt(1));
                so.set("obligated", s.get("obligated").deepCopy());
                so.put("collectively", s.path("collectively").asBoolean(false));
                so.set("preconditions", s.path("preconditions").isMissingNode()
                        ? JsonNodeFactory.instance.arrayNode() : s.get("preconditions").deepCopy());
                so.put("fulfilment", s.get("fulfilment").textValue());
                Deadline d = deadline(sid);
                so.put("deadline", d.at() == null ? null : EntryHeader.formatTime(d.at()));
                if (d.waitingFor() != null) {
                    so.put("waitingFor", d.waitingFor());
                }
                Status st = statusOf(sid, so);
                statuses.put(sid, st);
                so.put("status", st.label());
                so.put("reports", reports.getOrDefault(sid, List.of()).size());
                ObjectNode latest = latestAssessment(sid);
                if (latest != null) {
                    so.putObject("assessment").put("score", latest.get("score").asInt()).put("by", latest.get("by").textValue())
                            .put("at", latest.get("at").textValue()).put("reasons", latest.get("reasons").textValue());
                }
            }
            out.set("obligations", obligations(statuses));
            out.set("criticalPath", criticalPath(statuses));
            ArrayNode pending = out.putArray("pendingChanges");
            changes.stream().filter(c -> !c.get("inEffect").asBoolean()).forEach(pending::add);
            return out;
        }

        private ObjectNode terms() {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String f : List.of("id", "title", "text", "textSha256", "link", "parties", "invited", "monitors", "excludes",
                    "effective", "timeZone", "by", "at", "index", "entry")) {
                if (agreement.has(f)) {
                    out.set(f, agreement.get(f).deepCopy());
                }
            }
            return out;
        }

        /** Each party's standing (party, accepted, invited, withdrawn) and the steps it owes by status. */
        private ObjectNode obligations(Map<String, Status> statuses) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> all = new ArrayList<>(AgreementRules.texts(agreement.get("parties")));
            all.addAll(AgreementRules.texts(agreement.path("invited")));
            for (String p : all) {
                ObjectNode po = out.putObject(p);
                String standing = withdrawn.containsKey(p) ? "withdrawn"
                        : AgreementRules.texts(agreement.get("parties")).contains(p) ? "party"
                        : accepted.containsKey(p) ? "accepted" : "invited";
                po.put("standing", standing);
                if (accepted.containsKey(p)) {
                    po.put("acceptedAt", accepted.get(p).get("at").textValue());
                }
                ObjectNode owes = po.putObject("steps");
                for (Map.Entry<String, Status> e : statuses.entrySet()) {
                    if (AgreementRules.texts(steps.get(e.getKey()).get("obligated")).contains(p)) {
                        ArrayNode list = owes.has(e.getValue().label()) ? (ArrayNode) owes.get(e.getValue().label())
                                : owes.putArray(e.getValue().label());
                        list.add(e.getKey());
                    }
                }
                ArrayNode blocking = po.putArray("blocking");
                for (Map.Entry<String, Status> e : statuses.entrySet()) {
                    for (String pre : AgreementRules.texts(steps.get(e.getKey()).path("preconditions"))) {
                        if (!full(pre) && AgreementRules.texts(steps.get(pre).get("obligated")).contains(p)
                                && !contains(blocking, e.getKey())) {
                            blocking.add(e.getKey());
                        }
                    }
                }
            }
            return out;
        }

        private static boolean contains(ArrayNode a, String s) {
            for (JsonNode n : a) {
                if (n.textValue().equals(s)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The chain of unfinished steps that decides when the current phase (the lowest with an
         * unfinished step) can end: from the unfinished step of that phase whose deadline is latest
         * (a deadline still waiting for an event counts as latest), back through the unfinished step
         * each depends on whose deadline is latest, listed first to last.
         */
        private ObjectNode criticalPath(Map<String, Status> statuses) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            int phase = Integer.MAX_VALUE;
            for (Map.Entry<String, Status> e : statuses.entrySet()) {
                if (unfinished(e.getValue())) {
                    phase = Math.min(phase, steps.get(e.getKey()).path("phase").asInt(1));
                }
            }
            if (phase == Integer.MAX_VALUE) {
                out.putNull("phase");
                out.putArray("steps");
                return out;
            }
            final int current = phase;
            out.put("phase", current);
            boolean later = steps.values().stream().anyMatch(s -> s.path("phase").asInt(1) > current);
            out.put("next", later ? "phase " + (current + 1) : "completion");
            List<String> candidates = statuses.entrySet().stream().filter(e -> unfinished(e.getValue())
                    && steps.get(e.getKey()).path("phase").asInt(1) == current).map(Map.Entry::getKey).toList();
            List<String> path = new ArrayList<>();
            String cursor = latest(candidates);
            while (cursor != null && !path.contains(cursor)) {
                path.add(0, cursor);
                List<String> deps = new ArrayList<>();
                for (String d : dependencies(cursor)) {
                    if (unfinished(statuses.get(d))) {
                        deps.add(d);
                    }
                }
                cursor = latest(deps);
            }
            ArrayNode a = out.putArray("steps");
            for (String sid : path) {
                Deadline d = deadline(sid);
                ObjectNode so = a.addObject().put("id", sid).put("status", statuses.get(sid).label())
                        .put("deadline", d.at() == null ? null : EntryHeader.formatTime(d.at()));
                so.set("obligated", steps.get(sid).get("obligated").deepCopy());
            }
            return out;
        }

        private static boolean unfinished(Status s) {
            return s != Status.FULFILLED && s != Status.WITHDRAWN;
        }

        private List<String> dependencies(String step) {
            List<String> out = new ArrayList<>(AgreementRules.texts(steps.get(step).path("preconditions")));
            JsonNode after = steps.get(step).get("deadline").get("after");
            if (after != null && after.has("step") && !out.contains(after.get("step").textValue())) {
                out.add(after.get("step").textValue());
            }
            return out;
        }

        private @Nullable String latest(List<String> candidates) {
            String best = null;
            for (String c : candidates) {
                if (best == null || later(deadline(c).at(), deadline(best).at())) {
                    best = c;
                }
            }
            return best;
        }

        private static boolean later(@Nullable Instant a, @Nullable Instant b) {
            if (b == null) {
                return false;
            }
            return a == null || a.isAfter(b);
        }

        // ---- timeline ----

        ObjectNode timeline() {
            ObjectNode out = terms();
            out.put("asOf", EntryHeader.formatTime(at));
            ArrayNode events = out.putArray("events");
            events.addObject().put("at", agreement.get("at").textValue()).put("what", "agreement recorded")
                    .put("by", agreement.get("by").textValue()).put("entry", agreement.get("entry").textValue());
            if (!effective.isAfter(at)) {
                events.addObject().put("at", agreement.get("effective").textValue()).put("what", "in effect");
            }
            for (ObjectNode r : records) {
                ObjectNode e = events.addObject().put("at", r.get("at").textValue()).put("by", r.get("by").textValue())
                        .put("entry", r.get("entry").textValue());
                switch (r.get("record").textValue()) {
                    case AgreementRules.ACCEPTANCES -> e.put("what", "accepted");
                    case AgreementRules.WITHDRAWALS -> e.put("what", "withdrew").put("reason", r.get("reason").textValue());
                    case AgreementRules.REPORTS -> e.put("what", "reported step " + r.get("step").textValue())
                            .put("step", r.get("step").textValue()).put("statement", r.get("statement").textValue());
                    case AgreementRules.ASSESSMENTS -> e.put("what", "assessed step " + r.get("step").textValue() + ": "
                            + r.get("score").asInt()).put("step", r.get("step").textValue()).put("score", r.get("score").asInt())
                            .put("reasons", r.get("reasons").textValue());
                    case AgreementRules.CHANGES -> {
                        e.put("what", "requested " + (r.get("type").textValue().equals("pause") ? "a pause" : "an extension of step "
                                + r.get("step").textValue()));
                        if (r.has("reason")) {
                            e.put("reason", r.get("reason").textValue());
                        }
                        for (JsonNode s : r.get("signers")) {
                            if (!s.get("party").textValue().equals(r.get("by").textValue())) {
                                events.addObject().put("at", s.get("at").textValue()).put("by", s.get("party").textValue())
                                        .put("entry", s.get("entry").textValue()).put("what", "agreed to the "
                                                + r.get("type").textValue() + " requested by " + r.get("by").textValue());
                            }
                        }
                        if (r.get("inEffect").asBoolean()) {
                            events.addObject().put("at", r.get("inEffectFrom").textValue()).put("what", "the "
                                    + r.get("type").textValue() + " requested by " + r.get("by").textValue() + " is in effect");
                        }
                    }
                    default -> throw new IllegalStateException(r.get("record").textValue());
                }
            }
            for (String sid : steps.keySet()) {
                Deadline d = deadline(sid);
                if (d.at() != null && !d.at().isAfter(at)) {
                    events.addObject().put("at", EntryHeader.formatTime(d.at())).put("what", "deadline of step " + sid)
                            .put("step", sid);
                }
            }
            List<JsonNode> sorted = new ArrayList<>();
            events.forEach(sorted::add);
            sorted.sort(Comparator.comparing(n -> time(n, "at")));
            events.removeAll();
            sorted.forEach(events::add);
            ObjectNode histories = out.putObject("deadlines");
            for (String sid : steps.keySet()) {
                histories.set(sid, deadline(sid).history());
            }
            return out;
        }
    }
}
