package org.truce.server.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Visibility;
import org.truce.core.hotline.HotlineRules;
import org.truce.core.notification.Notifications;
import org.truce.core.state.Doc;

/**
 * The operator's watch: notifies conflicts to both sides, and escalates what is unacknowledged when
 * its deadline passes. For every volume entry that met something when it was written, the operator
 * sends one hotline message {@code about} it to every party involved, restricted to them, listing what
 * met what. For unacknowledged notifications: for each notified site or movement still
 * standing whose deadline has passed with named parties not acknowledging it, the operator sends one
 * hotline message about it to those parties and the notifier, asking for an answer within a day. A
 * notification is escalated once; the message's {@code about} field marks it, so a restart or a second
 * instance escalates nothing twice. The message has the notification's visibility, widened to the
 * notifier. Thread-safe; runs on its own scheduler thread.
 */
public final class Escalator implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Escalator.class);
    /** How long the parties are given to answer the escalation. */
    static final Duration ANSWER_WITHIN = Duration.ofHours(24);

    private final Node node;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "truce-escalator");
        t.setDaemon(true);
        return t;
    });

    Escalator(Node node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    /** Checks every {@code period} from now on. */
    Escalator start(Duration period) {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                // Among instances sharing a database, the one that sequences watches, so that the
                // operator's seqs are not raced for.
                if (!node.sequencing()) {
                    return;
                }
                runOnce();
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("escalation check failed; it runs again in {}", period);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One check: escalates every notification due for it; returns how many it escalated. */
    public synchronized int runOnce() {
        Instant now = clock.instant();
        record Due(String type, Doc doc, List<String> missing) {}
        List<Due> due = node.store().read(tx -> {
            List<Due> out = new ArrayList<>();
            Notifications view = new Notifications(tx, clock);
            for (String type : List.of("site", "movement")) {
                for (Doc d : tx.findAll("notification." + type, "all", 100_000)) {
                    JsonNode b = d.body();
                    if (b.has("withdrawn") || !now.isAfter(Instant.parse(b.get("ackBy").textValue()))
                            || !tx.find(HotlineRules.MESSAGES, HotlineRules.aboutKey(type, d.id()), null, 1).isEmpty()) {
                        continue;
                    }
                    ObjectNode v = view.get(new org.truce.core.access.Reader.Party(d.owner()), type, d.id()).orElseThrow();
                    List<String> missing = new ArrayList<>();
                    v.get("acknowledgements").forEach(a -> {
                        if (!a.get("status").textValue().equals("acknowledged")) {
                            missing.add(a.get("party").textValue());
                        }
                    });
                    if (!missing.isEmpty()) {
                        out.add(new Due(type, d, missing));
                    }
                }
            }
            return out;
        });
        for (Due d : due) {
            escalate(d.type(), d.doc(), d.missing(), now);
        }
        return due.size() + notifyConflicts(now);
    }

    /** Notifies each volume entry's conflicts not yet notified; returns how many entries it notified. */
    private int notifyConflicts(Instant now) {
        java.util.Map<String, List<Doc>> byEntry = node.store().read(tx -> {
            java.util.Map<String, List<Doc>> out = new java.util.TreeMap<>();
            for (Doc c : tx.findAll(org.truce.core.volume.VolumeRules.CONFLICTS, "all", 100_000)) {
                String entry = c.body().get("entry").textValue();
                if (tx.find(HotlineRules.MESSAGES, HotlineRules.aboutKey("conflict", entry), null, 1).isEmpty()) {
                    out.computeIfAbsent(entry, k -> new ArrayList<>()).add(c);
                }
            }
            return out;
        });
        for (var e : byEntry.entrySet()) {
            TreeSet<String> parties = new TreeSet<>();
            StringBuilder text = new StringBuilder();
            JsonNode first = e.getValue().get(0).body();
            text.append("Volume ").append(first.get("volume").textValue()).append(" of ").append(first.get("by").textValue())
                    .append(", written at ").append(first.get("at").textValue()).append(" (log index ")
                    .append(first.get("index").asLong()).append("), meets:");
            for (Doc c : e.getValue()) {
                JsonNode w = c.body().get("with");
                parties.add(c.body().get("by").textValue());
                parties.add(w.get("owner").textValue());
                text.append(' ').append(w.get("type").textValue()).append(' ').append(w.get("id").textValue()).append(" of ")
                        .append(w.get("owner").textValue()).append(';');
            }
            parties.remove(PartyId.OPERATOR);
            if (parties.isEmpty()) {
                continue;
            }
            text.setLength(text.length() - 1);
            text.append(". Both sides were shown it: the volume named each in its key.");
            ObjectNode m = JsonNodeFactory.instance.objectNode();
            m.putArray("to").addAll(parties.stream().map(JsonNodeFactory.instance::textNode).toList());
            m.put("subject", clip("Conflict: volume " + first.get("volume").textValue()));
            m.put("text", text.toString());
            m.putObject("about").put("conflict", e.getKey());
            node.submit(node.operator(), "message", m, new Visibility.Named(parties), node.operatorSeq() + 1,
                    now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            LOG.atInfo().addKeyValue("entry", e.getKey()).log("notified the conflicts of volume entry {} to {}", e.getKey(), parties);
        }
        return byEntry.size();
    }

    private void escalate(String type, Doc n, List<String> missing, Instant now) {
        JsonNode b = n.body();
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        TreeSet<String> to = new TreeSet<>(missing);
        if (!n.owner().equals(PartyId.OPERATOR)) {
            to.add(n.owner());
        }
        m.putArray("to").addAll(to.stream().map(JsonNodeFactory.instance::textNode).toList());
        m.put("subject", clip("Unacknowledged " + type + ": " + b.get("name").textValue()));
        m.put("text", "The " + type + " " + n.id() + " (" + b.get("name").textValue() + ") was notified by " + n.owner() + " at "
                + b.get("at").textValue() + " and was to be acknowledged by " + b.get("ackBy").textValue()
                + ". Not acknowledged by: " + String.join(", ", missing) + ". Acknowledge it, or answer this message, within "
                + ANSWER_WITHIN.toHours() + " hours.");
        m.put("ackBy", now.plus(ANSWER_WITHIN).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        m.putObject("about").put(type, n.id());
        Visibility v = n.visibility();
        if (v instanceof Visibility.Named named) {
            TreeSet<String> readers = new TreeSet<>(named.parties());
            readers.addAll(to);
            readers.remove(PartyId.OPERATOR);
            v = new Visibility.Named(readers);
        }
        node.submit(node.operator(), "message", m, v, node.operatorSeq() + 1, now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        LOG.atInfo().addKeyValue(type, n.id()).addKeyValue("missing", missing)
                .log("escalated {} {}: not acknowledged by {}", type, n.id(), missing);
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 199) + "…";
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
