package org.truce.core.agreement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.truce.core.actor.ActorRules;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Rejection;
import org.truce.core.ledger.KindRules;
import org.truce.core.ledger.Sequenced;
import org.truce.core.party.PartyRules;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * Agreements and everything recorded against them. An agreement names the parties that made it,
 * the parties invited to accept it, and its steps: who is obligated, by when (an absolute time, or
 * a duration after the effective time or after another step is reported or assessed full), after
 * which other steps, and what counts as fulfilment. The rules, checked before an entry is
 * sequenced:
 *
 * <ul>
 *   <li>an agreement's steps refer only to its own steps and parties, no deadline falls before its
 *       effective time, and its preconditions and relative deadlines form no cycle;
 *   <li>only a party the agreement binds (a party to it, or an invited party that accepted) and that
 *       the step obligates may report a step, and only once every precondition is assessed full;
 *   <li>only a monitor (named by the agreement, or any party with the monitor role when it names
 *       none) assesses a step;
 *   <li>an extension or a pause is a request by one party to the agreement and takes effect when
 *       every party to it has signed the request or an agreement to it;
 *   <li>a party bound by an agreement may withdraw from it, once.
 * </ul>
 */
public final class AgreementRules implements KindRules {
    public static final String AGREEMENT = "agreement";
    public static final String ACCEPT = "agreement.accept";
    public static final String REPORT = "step.report";
    public static final String ASSESSMENT = "step.assessment";
    public static final String EXTENSION = "deadline.extension";
    public static final String PAUSE = "pause";
    public static final String WITHDRAW = "agreement.withdraw";

    /** Collections: agreements by id; acceptances and withdrawals by agreement/party; the rest by leaf hash. */
    public static final String AGREEMENTS = "agreement";
    public static final String ACCEPTANCES = "agreement.accept";
    public static final String REPORTS = "step.report";
    public static final String ASSESSMENTS = "step.assessment";
    public static final String CHANGES = "agreement.change";
    public static final String WITHDRAWALS = "agreement.withdraw";

    /** The most reports, assessments or changes loaded for one agreement or step. */
    static final int MAX_RECORDS = 100_000;

    @Override
    public List<String> kinds() {
        return List.of(AGREEMENT, ACCEPT, REPORT, ASSESSMENT, EXTENSION, PAUSE, WITHDRAW);
    }

    /** The index key of the documents recorded against agreement {@code id}. */
    public static String agreementKey(String id) {
        return "agreement:" + id;
    }

    /** The index key of the reports and assessments of one step. */
    public static String stepKey(String agreement, String step) {
        return "step:" + agreement + "/" + step;
    }

    /** The index key of the agreements that name or invite {@code party}. */
    public static String partyKey(String party) {
        return "party:" + party;
    }

    @Override
    public List<Change> apply(StateView state, Sequenced e) throws EntryException {
        ActorRules.requireRegistered(state, e.header().author());
        return switch (e.header().kind()) {
            case AGREEMENT -> agreement(state, e);
            case ACCEPT -> accept(state, e);
            case REPORT -> report(state, e);
            case ASSESSMENT -> assessment(state, e);
            case EXTENSION, PAUSE -> change(state, e);
            case WITHDRAW -> withdraw(state, e);
            default -> throw new IllegalArgumentException(e.header().kind());
        };
    }

    // ---- agreement ----

    private List<Change> agreement(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String author = e.header().author();
        String id = b.get("id").textValue();
        List<String> parties = texts(b.get("parties"));
        List<String> invited = texts(b.path("invited"));
        if (!author.equals(PartyId.OPERATOR) && !parties.contains(author)) {
            throw new EntryException(Rejection.NOT_ALLOWED, "an agreement is recorded by the operator or one of its parties");
        }
        if (state.get(AGREEMENTS, id).isPresent()) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/id: agreement " + id + " is already recorded");
        }
        for (String p : invited) {
            if (parties.contains(p)) {
                throw inconsistent("/invited: " + p + " is already a party to the agreement");
            }
        }
        requireParties(state, parties, "/parties");
        requireParties(state, invited, "/invited");
        requireParties(state, texts(b.path("monitors")), "/monitors");
        List<String> excludes = texts(b.path("excludes"));
        for (int i = 0; i < excludes.size(); i++) {
            ActorRules.requireActor(state, excludes.get(i), "/excludes/" + i);
        }
        checkSteps(b, parties, invited);
        List<String> keys = new ArrayList<>();
        keys.add("all");
        parties.forEach(p -> keys.add(partyKey(p)));
        invited.forEach(p -> keys.add(partyKey(p)));
        e.stamp(b);
        return List.of(put(new Doc(AGREEMENTS, id, b, keys, e.header().visibility(), author, e.index())));
    }

    /** The checks that need nothing but the agreement itself: references, deadlines, cycles. */
    private static void checkSteps(ObjectNode b, List<String> parties, List<String> invited) throws EntryException {
        Instant effective = Instant.parse(b.get("effective").textValue());
        JsonNode steps = b.get("steps");
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            String sid = steps.get(i).get("id").textValue();
            if (index.putIfAbsent(sid, i) != null) {
                throw inconsistent("/steps/" + i + "/id: step " + sid + " appears twice");
            }
        }
        Map<String, List<String>> edges = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonNode s = steps.get(i);
            String at = "/steps/" + i;
            String sid = s.get("id").textValue();
            List<String> obligated = texts(s.get("obligated"));
            for (int j = 0; j < obligated.size(); j++) {
                if (!parties.contains(obligated.get(j)) && !invited.contains(obligated.get(j))) {
                    throw inconsistent(at + "/obligated/" + j + ": " + obligated.get(j)
                            + " is neither a party to the agreement nor invited to it");
                }
            }
            List<String> deps = new ArrayList<>();
            List<String> pre = texts(s.path("preconditions"));
            for (int j = 0; j < pre.size(); j++) {
                if (!index.containsKey(pre.get(j))) {
                    throw inconsistent(at + "/preconditions/" + j + ": no step " + pre.get(j) + " in this agreement");
                }
                deps.add(pre.get(j));
            }
            JsonNode d = s.get("deadline");
            if (d.has("at")) {
                if (Instant.parse(d.get("at").textValue()).isBefore(effective)) {
                    throw inconsistent(at + "/deadline/at: " + d.get("at").textValue()
                            + " is before the agreement's effective time " + b.get("effective").textValue());
                }
            } else {
                duration(d.get("offset").textValue(), at + "/deadline/offset");
                JsonNode after = d.get("after");
                if (after.has("step")) {
                    String ref = after.get("step").textValue();
                    if (!index.containsKey(ref)) {
                        throw inconsistent(at + "/deadline/after/step: no step " + ref + " in this agreement");
                    }
                    deps.add(ref);
                }
            }
            edges.put(sid, deps);
        }
        List<String> cycle = cycle(edges, index.keySet());
        if (!cycle.isEmpty()) {
            throw inconsistent("/steps: the steps depend on each other in a cycle: " + String.join(" → ", cycle));
        }
    }

    /** A cycle in the dependency graph, as the steps along it back to the first, or an empty list. */
    private static List<String> cycle(Map<String, List<String>> edges, Set<String> nodes) {
        Map<String, Integer> colour = new HashMap<>();
        for (String start : nodes) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(start, edges, colour, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(String n, Map<String, List<String>> edges, Map<String, Integer> colour,
            List<String> path) {
        int c = colour.getOrDefault(n, 0);
        if (c == 2) {
            return List.of();
        }
        if (c == 1) {
            List<String> loop = new ArrayList<>(path.subList(path.indexOf(n), path.size()));
            loop.add(n);
            return loop;
        }
        colour.put(n, 1);
        path.add(n);
        for (String m : edges.getOrDefault(n, List.of())) {
            List<String> found = visit(m, edges, colour, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        colour.put(n, 2);
        return List.of();
    }

    /** An ISO 8601 duration of days, hours and minutes; the schema has checked its shape. */
    static Duration duration(String text, String field) throws EntryException {
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative()) {
                throw inconsistent(field + ": " + text + " is negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new EntryException(Rejection.SCHEMA_VIOLATION, field + ": " + text + " is not an ISO 8601 duration");
        }
    }

    // ---- acceptance and withdrawal ----

    private List<Change> accept(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String author = e.header().author();
        ObjectNode a = agreementOf(state, b);
        String id = a.get("id").textValue();
        if (!texts(a.get("parties")).contains(author) && !texts(a.path("invited")).contains(author)) {
            throw new EntryException(Rejection.NOT_ALLOWED, author + " is neither a party to " + id + " nor invited to it");
        }
        if (state.get(ACCEPTANCES, id + "/" + author).isPresent()) {
            throw new EntryException(Rejection.RULE_VIOLATION, author + " has already accepted " + id);
        }
        if (state.get(WITHDRAWALS, id + "/" + author).isPresent()) {
            throw new EntryException(Rejection.RULE_VIOLATION, author + " has withdrawn from " + id);
        }
        b.put("party", author);
        e.stamp(b);
        return List.of(put(new Doc(ACCEPTANCES, id + "/" + author, b, List.of(agreementKey(id)), e.header().visibility(),
                author, e.index())));
    }

    private List<Change> withdraw(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String author = e.header().author();
        ObjectNode a = agreementOf(state, b);
        String id = a.get("id").textValue();
        requireBound(state, a, author);
        b.put("party", author);
        e.stamp(b);
        return List.of(put(new Doc(WITHDRAWALS, id + "/" + author, b, List.of(agreementKey(id)), e.header().visibility(),
                author, e.index())));
    }

    /** Refuses a party that is not bound by the agreement: not a party to it, or invited but not accepted, or withdrawn. */
    private static void requireBound(StateView state, ObjectNode a, String party) throws EntryException {
        String id = a.get("id").textValue();
        boolean bound = texts(a.get("parties")).contains(party)
                || texts(a.path("invited")).contains(party) && state.get(ACCEPTANCES, id + "/" + party).isPresent();
        if (!bound) {
            throw new EntryException(texts(a.path("invited")).contains(party) ? Rejection.RULE_VIOLATION : Rejection.NOT_ALLOWED,
                    party + " is not bound by " + id + (texts(a.path("invited")).contains(party)
                            ? ": it is invited but has not accepted" : ""));
        }
        if (state.get(WITHDRAWALS, id + "/" + party).isPresent()) {
            throw new EntryException(Rejection.RULE_VIOLATION, party + " has withdrawn from " + id);
        }
    }

    // ---- reports and assessments ----

    private List<Change> report(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String author = e.header().author();
        ObjectNode a = agreementOf(state, b);
        String id = a.get("id").textValue();
        JsonNode step = stepOf(a, b);
        String sid = step.get("id").textValue();
        if (!texts(step.get("obligated")).contains(author)) {
            throw new EntryException(Rejection.NOT_ALLOWED, "/step: " + author + " is not obligated by step " + sid
                    + " of " + id + "; it obligates " + String.join(", ", texts(step.get("obligated"))));
        }
        requireBound(state, a, author);
        for (String pre : texts(step.path("preconditions"))) {
            Optional<Doc> latest = latestAssessment(state, id, pre);
            if (latest.isEmpty() || latest.get().body().get("score").asInt() != 3) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/step: step " + sid + " cannot be reported before its"
                        + " precondition " + pre + " is assessed full" + latest.map(d -> " (latest score "
                                + d.body().get("score").asInt() + ")").orElse(" (not assessed)"));
            }
        }
        e.stamp(b);
        return List.of(put(new Doc(REPORTS, e.leafHash().base64(), b, List.of(agreementKey(id), stepKey(id, sid)),
                e.header().visibility(), author, e.index())));
    }

    private List<Change> assessment(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String author = e.header().author();
        ObjectNode a = agreementOf(state, b);
        String id = a.get("id").textValue();
        String sid = stepOf(a, b).get("id").textValue();
        List<String> monitors = texts(a.path("monitors"));
        boolean monitor = monitors.isEmpty()
                ? state.get(PartyRules.COLLECTION, author).map(d -> texts(d.body().get("roles")).contains("monitor")).orElse(false)
                : monitors.contains(author);
        if (!monitor) {
            throw new EntryException(Rejection.NOT_ALLOWED, author + " is not a monitor of " + id);
        }
        if (b.has("report")) {
            String r = b.get("report").textValue();
            Doc report = state.get(REPORTS, r).orElseThrow(() -> new EntryException(Rejection.RULE_VIOLATION,
                    "/report: no report " + r));
            if (!report.body().get("agreement").textValue().equals(id) || !report.body().get("step").textValue().equals(sid)) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/report: " + r + " reports another step");
            }
        }
        e.stamp(b);
        return List.of(put(new Doc(ASSESSMENTS, e.leafHash().base64(), b, List.of(agreementKey(id), stepKey(id, sid)),
                e.header().visibility(), author, e.index())));
    }

    /** The assessment of a step latest in the log, which revises every earlier one. */
    static Optional<Doc> latestAssessment(StateView state, String agreement, String step) {
        Doc latest = null;
        for (Doc d : state.findAll(ASSESSMENTS, stepKey(agreement, step), MAX_RECORDS)) {
            if (latest == null || d.index() > latest.index()) {
                latest = d;
            }
        }
        return Optional.ofNullable(latest);
    }

    // ---- extensions and pauses ----

    private List<Change> change(StateView state, Sequenced e) throws EntryException {
        ObjectNode b = (ObjectNode) e.body();
        String author = e.header().author();
        String kind = e.header().kind();
        ObjectNode a = agreementOf(state, b);
        String id = a.get("id").textValue();
        List<String> parties = texts(a.get("parties"));
        if (!parties.contains(author)) {
            throw new EntryException(Rejection.NOT_ALLOWED, "only the parties to " + id + " (" + String.join(", ", parties)
                    + ") agree its changes");
        }
        Instant effective = Instant.parse(a.get("effective").textValue());
        if (kind.equals(EXTENSION)) {
            stepOf(a, b);
            if (Instant.parse(b.get("until").textValue()).isBefore(effective)) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/until: " + b.get("until").textValue()
                        + " is before the agreement's effective time");
            }
        } else if (!Instant.parse(b.get("until").textValue()).isAfter(Instant.parse(b.get("from").textValue()))) {
            throw inconsistent("/until: a pause must end after it starts");
        }
        ObjectNode signer = b.objectNode().put("party", author).put("at", EntryHeader.formatTime(e.header().at()))
                .put("index", e.index()).put("entry", e.leafHash().base64());
        if (!b.has("proposal")) {
            ObjectNode c = b.deepCopy();
            c.put("type", kind.equals(EXTENSION) ? "extension" : "pause");
            e.stamp(c);
            c.putArray("signers").add(signer);
            return List.of(put(new Doc(CHANGES, e.leafHash().base64(), c, List.of(agreementKey(id)), e.header().visibility(),
                    author, e.index())));
        }
        String pid = b.get("proposal").textValue();
        Doc proposal = state.get(CHANGES, pid).orElseThrow(() -> new EntryException(Rejection.RULE_VIOLATION,
                "/proposal: no extension or pause " + pid));
        ObjectNode p = proposal.body();
        for (String f : List.of("agreement", "step", "from", "until")) {
            if (!p.path(f).equals(b.path(f))) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/" + f + ": an agreement to " + pid
                        + " must repeat its terms: " + f + " is " + (p.has(f) ? p.get(f).asText() : "absent") + " there");
            }
        }
        if (!p.get("type").textValue().equals(kind.equals(EXTENSION) ? "extension" : "pause")) {
            throw new EntryException(Rejection.RULE_VIOLATION, "/proposal: " + pid + " is a " + p.get("type").textValue());
        }
        Set<String> signed = new HashSet<>();
        p.get("signers").forEach(s -> signed.add(s.get("party").textValue()));
        if (signed.contains(author)) {
            throw new EntryException(Rejection.RULE_VIOLATION, author + " has already signed " + pid);
        }
        ((ArrayNode) p.get("signers")).add(signer);
        return List.of(put(new Doc(CHANGES, pid, p, proposal.keys(), proposal.visibility(), proposal.owner(),
                proposal.index())));
    }

    // ---- helpers ----

    private static ObjectNode agreementOf(StateView state, JsonNode b) throws EntryException {
        String id = b.get("agreement").textValue();
        return state.get(AGREEMENTS, id).map(Doc::body).orElseThrow(() -> new EntryException(Rejection.RULE_VIOLATION,
                "/agreement: no agreement " + id + " is recorded"));
    }

    private static JsonNode stepOf(ObjectNode agreement, JsonNode b) throws EntryException {
        String sid = b.get("step").textValue();
        for (JsonNode s : agreement.get("steps")) {
            if (s.get("id").textValue().equals(sid)) {
                return s;
            }
        }
        throw new EntryException(Rejection.RULE_VIOLATION, "/step: " + agreement.get("id").textValue() + " has no step " + sid);
    }

    private static void requireParties(StateView state, List<String> parties, String field) throws EntryException {
        for (int i = 0; i < parties.size(); i++) {
            ActorRules.requireParty(state, parties.get(i), field + "/" + i);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.textValue()));
        return out;
    }


    private static Change put(Doc d) {
        return new Change.Put(d);
    }

    private static EntryException inconsistent(String message) {
        return new EntryException(Rejection.INCONSISTENT_BODY, message);
    }
}
