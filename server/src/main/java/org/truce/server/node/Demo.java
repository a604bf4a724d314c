package org.truce.server.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Visibility;
import org.truce.tlog.FormatException;
import org.truce.tlog.merkle.Hash;
import org.truce.tlog.note.KeyFiles;
import org.truce.tlog.note.NoteKeys;

/**
 * The demo scenario, from the public record of 2016: the parties of the cessation of hostilities and
 * a hotline exchange about the convoy struck at Urum al-Kubra. Statements are marked as the claims
 * of the party that made them. Each party's key is written beside the log so a newcomer can submit
 * as that party.
 */
public final class Demo {
    /** Party id → name and role. */
    static final Map<String, String[]> PARTIES = new LinkedHashMap<>();

    static {
        PARTIES.put("us", new String[] {"United States", "party"});
        PARTIES.put("ru", new String[] {"Russian Federation", "party"});
        PARTIES.put("sy", new String[] {"Government of the Syrian Arab Republic", "party"});
        PARTIES.put("hnc", new String[] {"High Negotiations Committee (armed-opposition coordination body)", "party"});
        PARTIES.put("ocha", new String[] {"UN Office for the Coordination of Humanitarian Affairs", "humanitarian"});
        PARTIES.put("sarc", new String[] {"Syrian Arab Red Crescent", "humanitarian"});
        PARTIES.put("ctf", new String[] {"ISSG Ceasefire Task Force", "monitor"});
    }

    private Demo() {}

    /** Registers the parties and records the hotline exchange; writes party keys into {@code keysDir}. */
    public static void load(Node node, Path keysDir) {
        SecureRandom rng = new SecureRandom();
        Map<String, EntrySigner> signers = new LinkedHashMap<>();
        long op = node.operatorSeq();
        try {
            Files.createDirectories(keysDir);
            for (Map.Entry<String, String[]> p : PARTIES.entrySet()) {
                NoteKeys.KeyPair k = NoteKeys.generate(p.getKey(), NoteKeys.TYPE_ED25519, rng);
                KeyFiles.writeNew(keysDir.resolve(p.getKey() + ".key"), k.privateKey());
                EntrySigner s = EntrySigner.fromPrivateKey(k.privateKey());
                signers.put(p.getKey(), s);
                ObjectNode b = obj().put("id", p.getKey()).put("name", p.getValue()[0]);
                b.putArray("roles").add(p.getValue()[1]);
                b.putArray("keys").add(s.vkey());
                node.submit(node.operator(), "party", b, Visibility.PUBLIC, ++op, Instant.parse("2016-02-22T12:00:00Z"));
            }
        } catch (IOException | FormatException e) {
            throw new IllegalStateException("cannot write the demo keys: " + e.getMessage(), e);
        }
        EntrySigner ocha = signers.get("ocha");
        EntrySigner ru = signers.get("ru");
        EntrySigner us = signers.get("us");
        ObjectNode alert = obj().put("subject", "Convoy struck at Urum al-Kubra")
                .put("text", "OCHA reports that the UN/SARC convoy was struck at Urum al-Kubra after unloading, "
                        + "on the evening of 19 September. Claim of OCHA. Request: any information on air activity "
                        + "in the area between 19:00 and 21:00 local time.")
                .put("ackBy", "2016-09-20T06:00:00Z");
        alert.putArray("to").add("ru").add("us");
        long alertIndex = node.submit(ocha, "message", alert, Visibility.PARTIES, 1, Instant.parse("2016-09-19T20:30:00Z"));
        Hash alertId = node.store().read(tx -> tx.entry(alertIndex)).orElseThrow().leafHash();
        node.submit(ru, "message.ack", obj().put("message", alertId.base64()), Visibility.PARTIES, 1,
                Instant.parse("2016-09-19T21:10:00Z"));
        ObjectNode reply = obj().put("subject", "Re: Convoy struck at Urum al-Kubra")
                .put("text", "Claim of the Russian Federation: Russian and Syrian aircraft did not fly in that area "
                        + "at that time.")
                .put("inReplyTo", alertId.base64());
        reply.putArray("to").add("ocha").add("us");
        node.submit(ru, "message", reply, Visibility.PARTIES, 2, Instant.parse("2016-09-20T09:00:00Z"));
        ObjectNode toSy = obj().put("subject", "Access via the Castello road")
                .put("text", "Request to confirm the opening of the Castello road for the next convoy.")
                .put("ackBy", "2016-09-14T12:00:00Z");
        toSy.putArray("to").add("sy");
        node.submit(us, "message", toSy, Visibility.named("sy", "us"), 1, Instant.parse("2016-09-13T08:00:00Z"));
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The parties of the demo, for printing. */
    public static List<String> partyIds() {
        return List.copyOf(PARTIES.keySet());
    }
}
