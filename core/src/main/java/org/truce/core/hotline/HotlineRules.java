package org.truce.core.hotline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntryHeader;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Visibility;
import org.truce.core.ledger.KindRules;
import org.truce.core.ledger.Sequenced;
import org.truce.core.party.PartyRules;
import org.truce.core.state.Change;
import org.truce.core.state.Doc;
import org.truce.core.state.StateView;

/**
 * The hotline: messages between registered parties, in threads, with an optional deadline by which
 * each recipient must acknowledge; and the acknowledgements, the signed proof of receipt.
 */
public final class HotlineRules implements KindRules {
    public static final String MESSAGE = "message";
    public static final String ACK = "message.ack";
    public static final String MESSAGES = "message";
    public static final String ACKS = "ack";

    @Override
    public List<String> kinds() {
        return List.of(MESSAGE, ACK);
    }

    @Override
    public List<Change> apply(StateView state, Sequenced e) throws EntryException {
        return e.header().kind().equals(MESSAGE) ? message(state, e) : ack(state, e);
    }

    private List<Change> message(StateView state, Sequenced e) throws EntryException {
        EntryHeader h = e.header();
        JsonNode b = e.body();
        requireParty(state, h.author());
        List<String> to = new ArrayList<>();
        for (JsonNode t : b.get("to")) {
            String p = t.textValue();
            if (p.equals(h.author())) {
                throw new EntryException(Rejection.RULE_VIOLATION, "a message is not addressed to its author");
            }
            requireParty(state, p);
            to.add(p);
        }
        if (h.visibility() instanceof Visibility.Named named && !named.parties().containsAll(to)) {
            throw new EntryException(Rejection.RULE_VIOLATION, "every recipient must be named in the visibility");
        }
        String id = e.leafHash().base64();
        String thread = id;
        if (b.has("inReplyTo")) {
            String parentId = b.get("inReplyTo").textValue();
            Doc parent = state.get(MESSAGES, parentId).orElseThrow(() -> new EntryException(
                    Rejection.RULE_VIOLATION, "inReplyTo names no message: " + parentId));
            ObjectNode pb = parent.body();
            boolean involved = pb.path("from").asText().equals(h.author())
                    || contains(pb.path("to"), h.author());
            if (!involved) {
                throw new EntryException(Rejection.NOT_ALLOWED, h.author() + " was not in the thread it replies to");
            }
            thread = pb.path("thread").asText();
        }
        if (b.has("ackBy") && !ackBy(b.get("ackBy").textValue()).isAfter(h.at())) {
            throw new EntryException(Rejection.RULE_VIOLATION, "ackBy must be after the message's time");
        }
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("id", id);
        m.put("index", e.index());
        m.put("from", h.author());
        ArrayNode toNode = m.putArray("to");
        to.forEach(toNode::add);
        m.put("subject", b.get("subject").textValue());
        m.put("text", b.get("text").textValue());
        m.put("thread", thread);
        if (b.has("inReplyTo")) {
            m.put("inReplyTo", b.get("inReplyTo").textValue());
        }
        if (b.has("ackBy")) {
            m.put("ackBy", b.get("ackBy").textValue());
        }
        String about = null;
        if (b.has("about") && b.get("about").has("conflict")) {
            String entry = b.get("about").get("conflict").textValue();
            if (state.find("volume.conflict", "entry:" + entry, null, 1).isEmpty()) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/about/conflict: entry " + entry + " found no conflict");
            }
            m.set("about", b.get("about"));
            about = aboutKey("conflict", entry);
        } else if (b.has("about")) {
            String type = b.get("about").has("site") ? "site" : "movement";
            String subject = b.get("about").get(type).textValue();
            if (state.get("notification." + type, subject).isEmpty()) {
                throw new EntryException(Rejection.RULE_VIOLATION, "/about/" + type + ": no " + type + " " + subject
                        + " is notified");
            }
            m.set("about", b.get("about"));
            about = aboutKey(type, subject);
        }
        m.put("at", EntryHeader.formatTime(h.at()));
        m.put("received", EntryHeader.formatTime(e.received()));
        List<String> keys = new ArrayList<>();
        keys.add("from:" + h.author());
        keys.add("thread:" + thread);
        to.forEach(p -> keys.add("to:" + p));
        if (about != null) {
            keys.add(about);
        }
        return List.of(new Change.Put(new Doc(MESSAGES, id, m, keys, h.visibility(), h.author(), e.index())));
    }

    private List<Change> ack(StateView state, Sequenced e) throws EntryException {
        EntryHeader h = e.header();
        String messageId = e.body().get("message").textValue();
        Doc msg = state.get(MESSAGES, messageId).orElseThrow(() -> new EntryException(
                Rejection.RULE_VIOLATION, "no message " + messageId + " to acknowledge"));
        if (!contains(msg.body().path("to"), h.author())) {
            throw new EntryException(Rejection.NOT_ALLOWED, h.author() + " is not a recipient of message " + messageId);
        }
        String sender = msg.body().path("from").asText();
        if (h.visibility() instanceof Visibility.Named named && !named.parties().contains(sender)) {
            throw new EntryException(Rejection.RULE_VIOLATION, "an acknowledgement must be visible to the sender, "
                    + sender);
        }
        String id = messageId + "/" + h.author();
        if (state.get(ACKS, id).isPresent()) {
            throw new EntryException(Rejection.RULE_VIOLATION, h.author() + " already acknowledged message " + messageId);
        }
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("message", messageId);
        a.put("by", h.author());
        a.put("index", e.index());
        a.put("at", EntryHeader.formatTime(h.at()));
        a.put("received", EntryHeader.formatTime(e.received()));
        if (e.body().has("note")) {
            a.put("note", e.body().get("note").textValue());
        }
        return List.of(new Change.Put(new Doc(ACKS, id, a, List.of("message:" + messageId, "by:" + h.author()),
                h.visibility(), h.author(), e.index())));
    }

    /**
     * The schema refuses impossible dates at admission; rules are still total, so an unparseable time
     * is a refusal here too rather than an exception.
     */
    private static Instant ackBy(String text) throws EntryException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new EntryException(Rejection.SCHEMA_VIOLATION, "/ackBy: " + text + " is not a valid time");
        }
    }

    private static void requireParty(StateView state, String id) throws EntryException {
        if (state.get(PartyRules.COLLECTION, id).isEmpty()) {
            throw new EntryException(Rejection.RULE_VIOLATION, id + " is not a registered party");
        }
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** The index key of the messages about a notified site or movement. */
    public static String aboutKey(String type, String id) {
        return "about:" + type + ":" + id;
    }
}
