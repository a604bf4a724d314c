package org.truce.server.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Visibility;
import org.truce.tlog.FormatException;
import org.truce.tlog.note.KeyFiles;
import org.truce.tlog.note.NoteKeys;

/**
 * The demo scenario, from the public record of 2016: the parties of the cessation of hostilities,
 * the armed actors it bound and excluded, the cessation's terms of 22 February and the Geneva
 * arrangement of 9 September as agreements of sequenced steps with their acceptances, reports,
 * monitors' assessments and an extension, and a hotline exchange about the convoy struck at Urum
 * al-Kubra. Every figure and quotation is marked as the claim of the party that made it; the
 * monitor's assessments are illustrative, written for the demo from public accounts. Times are UTC;
 * Damascus was UTC+2 until the end of March 2016 and UTC+3 from April to October. Each party's key
 * is written beside the log so a newcomer can submit as that party.
 *
 * <p>The cessation's terms were announced on 22 February 2016 and set the cessation itself to start
 * on 27 February at 00:00 Damascus time, after acceptances due on 26 February at 12:00. Because an
 * agreement's deadlines may not fall before its effective time, the terms take effect when they were
 * announced, and the start of the cessation is the step "in-force", due at 2016-02-26T22:00:00Z.
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

    /** The agreements of the scenario. */
    public static final String CESSATION = "cessation-2016-02";
    public static final String GENEVA = "geneva-2016-09";

    private static final String UN_DESIGNATION =
            "UN Security Council designation; terms of the cessation of hostilities, 2016-02-22";
    /** When the cessation of hostilities started: 2016-02-27 00:00 Damascus time (UTC+2). */
    private static final String CESSATION_STARTS = "2016-02-26T22:00:00Z";

    private Demo() {}

    /** A place worth looking at in the running demo: what it shows, and its path on the server. */
    public record View(String what, String path) {}

    /** Where to look in the demo's HTTP API, for printing beside the server's address. */
    public static List<View> views() {
        return List.of(
                new View("agreements", "/api/v1/agreements"),
                new View("an agreement", "/api/v1/agreements/" + GENEVA + "?at=2016-09-20T00:00:00Z"),
                new View("its timeline", "/api/v1/agreements/" + CESSATION + "/timeline?at=2016-06-10T00:00:00Z"),
                new View("obligations", "/api/v1/parties/hnc/obligations"),
                new View("an actor", "/api/v1/actors/jabhat-al-nusra"),
                new View("by any name", "/api/v1/actors?name=Jabhat%20Fatah%20al-Sham"),
                new View("incidents", "/api/v1/incidents"),
                new View("contested", "/api/v1/incidents?contested=true"),
                new View("an incident", "/api/v1/incidents/" + CONVOY),
                new View("daily report", "/api/v1/reports/daily?date=2016-09-19&format=html"),
                new View("ACLED CSV", "/api/v1/exports/incidents.csv"));
    }

    /**
     * Registers the parties and records the scenario in the order it happened; writes party keys into
     * {@code keysDir}.
     */
    public static void load(Node node, Path keysDir) {
        SecureRandom rng = new SecureRandom();
        Script s = new Script(node);
        try {
            Files.createDirectories(keysDir);
            for (Map.Entry<String, String[]> p : PARTIES.entrySet()) {
                NoteKeys.KeyPair k = NoteKeys.generate(p.getKey(), NoteKeys.TYPE_ED25519, rng);
                KeyFiles.writeNew(keysDir.resolve(p.getKey() + ".key"), k.privateKey());
                EntrySigner signer = EntrySigner.fromPrivateKey(k.privateKey());
                s.signers.put(p.getKey(), signer);
                ObjectNode b = obj().put("id", p.getKey()).put("name", p.getValue()[0]);
                b.putArray("roles").add(p.getValue()[1]);
                b.putArray("keys").add(signer.vkey());
                s.record(PartyId.OPERATOR, "party", b, "2016-02-22T12:00:00Z");
            }
            Files.writeString(keysDir.resolveSibling("volume-jabal-tharda-2016-09-17.json"), tharda20160917().toPrettyString());
        } catch (IOException | FormatException e) {
            throw new IllegalStateException("cannot write the demo keys: " + e.getMessage(), e);
        }
        actors(s);
        cessation(s);
        geneva(s);
        hotline(s);
        notifications(s);
        areas(s);
        incidents(s);
    }

    // ---- actors ----

    private static void actors(Script s) {
        ObjectNode isil = obj().put("id", "isil").put("name", "Islamic State of Iraq and the Levant").put("type", "armed-group")
                .put("source", UN_DESIGNATION);
        isil.putArray("aliases").add("ISIL").add("ISIS").add("Daesh");
        s.record(PartyId.OPERATOR, "actor", isil, "2016-02-22T12:00:00Z");
        ObjectNode nusra = obj().put("id", "jabhat-al-nusra").put("name", "Jabhat al-Nusra").put("type", "armed-group")
                .put("source", UN_DESIGNATION);
        nusra.putArray("aliases").add("al-Nusra Front");
        s.record(PartyId.OPERATOR, "actor", nusra, "2016-02-22T12:00:00Z");
        ObjectNode saa = obj().put("id", "syrian-arab-army").put("name", "Syrian Arab Army").put("type", "state-force")
                .put("source", "the armed forces of the Government of the Syrian Arab Republic");
        saa.putObject("affiliation").put("party", "sy");
        s.record(PartyId.OPERATOR, "actor", saa, "2016-02-22T12:00:00Z");
        ObjectNode jai = obj().put("id", "jaysh-al-islam").put("name", "Jaysh al-Islam").put("type", "armed-group")
                .put("source", "an armed-opposition group represented in the High Negotiations Committee");
        jai.putObject("affiliation").put("party", "hnc");
        s.record(PartyId.OPERATOR, "actor", jai, "2016-02-22T12:00:00Z");
    }

    // ---- the cessation of hostilities, February to June 2016 ----

    private static void cessation(Script s) {
        ObjectNode a = obj().put("id", CESSATION)
                .put("title", "Cessation of hostilities in Syria: terms of 22 February 2016")
                .put("text", "Summary of the terms announced by the United States and the Russian Federation as "
                        + "co-chairs of the International Syria Support Group (a summary for the demo, not the text). "
                        + "The cessation applies to the parties that indicate their commitment to and acceptance of the "
                        + "terms by 12:00 Damascus time on 26 February 2016, and starts at 00:00 Damascus time on 27 "
                        + "February. It does not apply to ISIL, Jabhat al-Nusra or other groups designated as "
                        + "terrorist organisations by the UN Security Council. The parties cease attacks with any "
                        + "weapons, refrain from acquiring or seeking territory, allow humanitarian access and use "
                        + "proportionate force only in self-defence. The co-chairs' Ceasefire Task Force monitors it.")
                .put("link", "https://2009-2017.state.gov/r/pa/prs/ps/2016/02/252908.htm")
                .put("effective", "2016-02-22T18:00:00Z")
                .put("timeZone", "Asia/Damascus");
        a.putArray("parties").add("us").add("ru");
        a.putArray("invited").add("sy").add("hnc");
        a.putArray("monitors").add("ctf");
        a.putArray("excludes").add("isil").add("jabhat-al-nusra");
        ArrayNode steps = a.putArray("steps");
        step(steps, "accept-sy", "Acceptance of the terms by the Government of the Syrian Arab Republic", 1,
                "Confirms its commitment to and acceptance of the terms to the co-chairs.", "sy")
                .putObject("deadline").put("at", "2016-02-26T10:00:00Z");
        step(steps, "accept-hnc", "Acceptance of the terms by the armed opposition through the HNC", 1,
                "Confirms, for the armed-opposition groups it coordinates, their commitment to and acceptance of the "
                        + "terms to the co-chairs.", "hnc")
                .putObject("deadline").put("at", "2016-02-26T10:00:00Z");
        ObjectNode inForce = step(steps, "in-force", "Cessation of hostilities in force", 1,
                "Attacks cease from 00:00 Damascus time on 27 February and the cessation holds; violations are "
                        + "reported to the task force and contained.", "sy", "hnc")
                .put("collectively", true);
        inForce.putArray("preconditions").add("accept-sy").add("accept-hnc");
        inForce.putObject("deadline").put("at", CESSATION_STARTS);
        step(steps, "separation", "Separation of opposition forces from al-Nusra positions", 2,
                "The groups party to the cessation leave the positions they share with Jabhat al-Nusra.", "hnc")
                .putObject("deadline").put("at", "2016-05-25T21:00:00Z");
        s.record(PartyId.OPERATOR, "agreement", a, "2016-02-22T18:00:00Z");

        for (String actor : List.of("isil", "jabhat-al-nusra")) {
            s.record(PartyId.OPERATOR, "actor.status", obj().put("actor", actor).put("status", "excluded")
                    .put("from", CESSATION_STARTS).put("agreement", CESSATION).put("source", UN_DESIGNATION),
                    "2016-02-22T18:30:00Z");
        }

        s.record("sy", "agreement.accept", obj().put("agreement", CESSATION).put("note",
                "Claim of the Government of the Syrian Arab Republic: it announced its acceptance of the terms on "
                        + "23 February."), "2016-02-26T07:00:00Z");
        String sy = s.record("sy", "step.report", obj().put("agreement", CESSATION).put("step", "accept-sy").put("statement",
                "Claim of the Government of the Syrian Arab Republic: it accepts the cessation of hostilities and will "
                        + "continue to fight ISIL, Jabhat al-Nusra and the groups linked to them."), "2016-02-26T07:05:00Z");
        s.record("hnc", "agreement.accept", obj().put("agreement", CESSATION).put("note",
                "Accepted for the armed-opposition groups the HNC coordinates, for an initial two weeks (claim of hnc)."),
                "2016-02-26T08:30:00Z");
        String hnc = s.record("hnc", "step.report", obj().put("agreement", CESSATION).put("step", "accept-hnc").put("statement",
                "Claim of the HNC: 97 armed-opposition factions have agreed to abide by the cessation."),
                "2016-02-26T08:35:00Z");
        s.record("ctf", "step.assessment", obj().put("agreement", CESSATION).put("step", "accept-sy").put("score", 3)
                .put("reasons", "Acceptance received by the co-chairs before the deadline.").put("report", sy),
                "2016-02-26T09:30:00Z");
        s.record("ctf", "step.assessment", obj().put("agreement", CESSATION).put("step", "accept-hnc").put("score", 3)
                .put("reasons", "Acceptance received by the co-chairs before the deadline; the list of factions is the "
                        + "HNC's claim.").put("report", hnc), "2016-02-26T09:45:00Z");
        for (String actor : List.of("syrian-arab-army", "jaysh-al-islam")) {
            s.record(PartyId.OPERATOR, "actor.status", obj().put("actor", actor).put("status", "party")
                    .put("from", CESSATION_STARTS).put("agreement", CESSATION).put("source", actor.equals("syrian-arab-army")
                            ? "acceptance of the terms by the Government of the Syrian Arab Republic, 2016-02-26"
                            : "acceptance of the terms by the HNC for the groups it coordinates, 2016-02-26 (claim of hnc)"),
                    "2016-02-26T12:00:00Z");
        }

        String inForceSy = s.record("sy", "step.report", obj().put("agreement", CESSATION).put("step", "in-force")
                .put("statement", "Claim of the Government of the Syrian Arab Republic: the army has observed the "
                        + "cessation since 00:00 except against ISIL and Jabhat al-Nusra."), "2016-02-27T09:00:00Z");
        s.record("hnc", "step.report", obj().put("agreement", CESSATION).put("step", "in-force")
                .put("statement", "Claim of the HNC: the factions have observed the cessation since 00:00 and report "
                        + "violations by government forces to the task force."), "2016-02-27T10:00:00Z");
        s.record("ctf", "step.assessment", obj().put("agreement", CESSATION).put("step", "in-force").put("score", 3)
                .put("reasons", "In force: violence has fallen markedly since 27 February; the violations each side "
                        + "reported were taken up by the task force.").put("report", inForceSy), "2016-03-05T12:00:00Z");

        String extension = s.record("us", "deadline.extension", obj().put("agreement", CESSATION).put("step", "separation")
                .put("until", "2016-06-15T21:00:00Z").put("reason", "Claim of the United States: the opposition groups "
                        + "need more time to leave the positions they share with al-Nusra."), "2016-05-24T14:00:00Z");
        s.record("ru", "deadline.extension", obj().put("agreement", CESSATION).put("step", "separation")
                .put("until", "2016-06-15T21:00:00Z").put("proposal", extension).put("reason",
                        "Agreed at the request of the United States."), "2016-05-25T08:00:00Z");
        s.record("ctf", "step.assessment", obj().put("agreement", CESSATION).put("step", "in-force").put("score", 2)
                .put("reasons", "Revised from full to intermediate after reported violations: claim of the Russian "
                        + "Federation (reconciliation centre, 2016-06-04): an offensive by more than 1,000 fighters "
                        + "south-west of Aleppo; claims of the HNC: government air strikes on opposition-held areas."),
                "2016-06-06T12:00:00Z");

        s.record(PartyId.OPERATOR, "actor.name", obj().put("actor", "jabhat-al-nusra").put("name", "Jabhat Fatah al-Sham")
                .put("change", "renamed").put("from", "2016-07-28T00:00:00Z")
                .put("source", "the group's announcement of 2016-07-28 (claim of the group)"), "2016-07-29T08:00:00Z");
    }

    // ---- the Geneva arrangement, September 2016 ----

    private static void geneva(Script s) {
        ObjectNode a = obj().put("id", GENEVA)
                .put("title", "Geneva arrangement of 9 September 2016")
                .put("text", "Summary of the arrangement announced in Geneva by the US Secretary of State and the "
                        + "Russian Foreign Minister (a summary for the demo; the documents were not published at the "
                        + "time). From sundown on 12 September, a nationwide recommitment to the cessation of "
                        + "hostilities for 48 hours, renewable; unimpeded humanitarian access, including to eastern "
                        + "Aleppo via the Castello road; seven days of reduced violence; then a Joint Implementation "
                        + "Centre of the United States and the Russian Federation, and the delineation of the areas of "
                        + "Jabhat al-Nusra and of the opposition.")
                .put("effective", "2016-09-12T16:00:00Z")
                .put("timeZone", "Asia/Damascus");
        a.putArray("parties").add("us").add("ru");
        a.putArray("invited").add("sy").add("hnc");
        a.putArray("monitors").add("ctf");
        a.putArray("excludes").add("isil").add("jabhat-al-nusra");
        ArrayNode steps = a.putArray("steps");
        ObjectNode recommit = step(steps, "recommit", "48-hour renewable recommitment to the cessation", 1,
                "Hostilities cease for 48 hours from 19:00 Damascus time on 12 September, renewed each 48 hours.", "sy",
                "hnc").put("collectively", true);
        recommit.putObject("deadline").put("offset", "PT48H").putObject("after").put("event", "effective");
        step(steps, "castello", "Humanitarian access via the Castello road", 1,
                "Forces withdraw from the Castello road and convoys reach eastern Aleppo unimpeded.", "sy", "hnc")
                .putObject("deadline").put("offset", "PT48H").putObject("after").put("event", "effective");
        ObjectNode seven = step(steps, "seven-days", "Seven days of reduced violence", 1,
                "Seven consecutive days of sustained reduction of violence and of humanitarian access.", "sy", "hnc")
                .put("collectively", true);
        seven.putObject("deadline").put("offset", "P7D").putObject("after").put("event", "assessed-full").put("step", "recommit");
        ObjectNode jic = step(steps, "jic", "Joint Implementation Centre", 2,
                "The United States and the Russian Federation set up a centre to share information and coordinate "
                        + "action against Jabhat al-Nusra and ISIL.", "us", "ru").put("collectively", true);
        jic.putArray("preconditions").add("seven-days");
        jic.putObject("deadline").put("offset", "P1D").putObject("after").put("event", "assessed-full").put("step", "seven-days");
        ObjectNode delineation = step(steps, "delineation", "Delineation of areas", 2,
                "The centre delineates the areas of Jabhat al-Nusra and of the opposition groups party to the cessation.",
                "us", "ru").put("collectively", true);
        delineation.putArray("preconditions").add("jic");
        delineation.putObject("deadline").put("offset", "P7D").putObject("after").put("event", "assessed-full").put("step", "jic");
        s.record(PartyId.OPERATOR, "agreement", a, "2016-09-09T22:00:00Z");

        s.record("sy", "agreement.accept", obj().put("agreement", GENEVA).put("note",
                "Claim of the Government of the Syrian Arab Republic: it approved the arrangement."), "2016-09-10T12:00:00Z");
        s.record("hnc", "agreement.accept", obj().put("agreement", GENEVA).put("note",
                "Accepted with reservations about guarantees and access (claim of hnc)."), "2016-09-12T12:00:00Z");
        String recommitted = s.record("sy", "step.report", obj().put("agreement", GENEVA).put("step", "recommit")
                .put("statement", "Claim of the Government of the Syrian Arab Republic: a regime of calm from 19:00."),
                "2016-09-12T16:30:00Z");
        s.record("hnc", "step.report", obj().put("agreement", GENEVA).put("step", "recommit")
                .put("statement", "Claim of the HNC: the factions observe the recommitment."), "2016-09-12T17:00:00Z");
        s.record("ctf", "step.assessment", obj().put("agreement", GENEVA).put("step", "recommit").put("score", 3)
                .put("reasons", "The first 48 hours held in the main; renewed for 48 hours (claims of us and ru).")
                .put("report", recommitted), "2016-09-14T16:00:00Z");
        s.record("ctf", "step.assessment", obj().put("agreement", GENEVA).put("step", "recommit").put("score", 3)
                .put("reasons", "Renewed for a further 48 hours (claims of us and ru)."), "2016-09-16T16:00:00Z");
        s.record("sy", "step.report", obj().put("agreement", GENEVA).put("step", "seven-days")
                .put("statement", "Claim of the Government of the Syrian Arab Republic: the army has kept the regime of "
                        + "calm; the armed groups have broken it repeatedly."), "2016-09-18T12:00:00Z");
        s.record("ctf", "step.assessment", obj().put("agreement", GENEVA).put("step", "seven-days").put("score", 1)
                .put("reasons", "Minimal: violations reported by both sides; no convoy reached eastern Aleppo by the "
                        + "Castello road; claims of sy and ru: a coalition air raid near Deir ez-Zor airport on 17 "
                        + "September struck Syrian army positions; claim of us: the raid was meant for ISIL and was "
                        + "stopped when Russia reported the error; claim of sy (19 September): the army's regime of calm "
                        + "has ended."), "2016-09-19T17:00:00Z");
    }

    // ---- humanitarian notifications ----

    private static ObjectNode notified(String id, String name, String ackBy) {
        ObjectNode n = obj().put("id", id).put("name", name).put("ackBy", ackBy);
        n.putArray("acknowledge").add("ru").add("sy").add("us");
        return n;
    }

    private static ObjectNode circle(double lon, double lat, double radius) {
        ObjectNode c = obj().put("type", "circle").put("radius", radius);
        c.putArray("center").add(lon).add(lat);
        return c;
    }

    private static void notifications(Script s) {
        ObjectNode quds = notified("al-quds-hospital-aleppo", "Al-Quds hospital, al-Sukkari, Aleppo", "2016-02-26T10:00:00Z")
                .put("category", "hospital").put("note", "Position approximate.");
        quds.set("footprint", circle(37.1472, 36.1794, 100));
        s.record("ocha", "notification.site", quds, "2016-02-24T10:00:00Z");
        s.record("us", "notification.ack", obj().put("site", "al-quds-hospital-aleppo"), "2016-02-24T15:00:00Z");
        s.record("ru", "notification.ack", obj().put("site", "al-quds-hospital-aleppo"), "2016-02-25T09:00:00Z");
        s.escalate("2016-02-26T10:05:00Z");

        ObjectNode warehouse = notified("sarc-warehouse-urum-al-kubra", "SARC warehouse, Urum al-Kubra", "2016-09-17T08:00:00Z")
                .put("category", "warehouse").put("operatedBy", "Syrian Arab Red Crescent").put("note", "Position approximate.");
        warehouse.set("footprint", circle(36.951, 36.151, 80));
        s.record("sarc", "notification.site", warehouse, "2016-09-15T08:00:00Z");
        s.record("us", "notification.ack", obj().put("site", "sarc-warehouse-urum-al-kubra"), "2016-09-15T14:00:00Z");
        s.record("ru", "notification.ack", obj().put("site", "sarc-warehouse-urum-al-kubra"), "2016-09-16T07:00:00Z");
        s.escalate("2016-09-17T08:05:00Z");

        ObjectNode convoy = notified("un-sarc-convoy-2016-09-19", "UN/SARC convoy to Urum al-Kubra", "2016-09-18T18:00:00Z")
                .put("vehicles", 31).put("markings", "UN and Red Crescent emblems").put("cargo", "food and medical supplies")
                .put("operatedBy", "UN OCHA and the Syrian Arab Red Crescent").put("note", "Route approximate.");
        ObjectNode route = convoy.putObject("route").put("type", "corridor").put("halfWidth", 200);
        ArrayNode line = route.putArray("coordinates");
        line.addArray().add(37.10).add(36.21);
        line.addArray().add(37.02).add(36.19);
        line.addArray().add(36.951).add(36.151);
        ArrayNode legs = convoy.putArray("legs");
        legs.addObject().put("name", "outbound").put("from", "2016-09-19T05:00:00Z").put("to", "2016-09-19T11:00:00Z");
        legs.addObject().put("name", "unloading").put("from", "2016-09-19T11:00:00Z").put("to", "2016-09-19T16:00:00Z");
        legs.addObject().put("name", "return").put("from", "2016-09-19T16:00:00Z").put("to", "2016-09-19T20:00:00Z");
        s.record("ocha", "notification.movement", convoy, "2016-09-17T10:00:00Z");
        s.record("us", "notification.ack", obj().put("movement", "un-sarc-convoy-2016-09-19"), "2016-09-18T09:00:00Z");
        s.record("ru", "notification.ack", obj().put("movement", "un-sarc-convoy-2016-09-19"), "2016-09-18T12:00:00Z");
        s.escalate("2016-09-18T18:05:00Z");
    }

    // ---- declared areas ----

    /** Where the Syrian government declared its army's positions at Jabal Tharda, months before the raid. */
    public static final String THARDA_POSITIONS = "saa-jabal-tharda";

    private static void areas(Script s) {
        ObjectNode d = obj().put("id", THARDA_POSITIONS).put("actor", "syrian-arab-army").put("claim", "presence")
                .put("from", "2016-01-01T00:00:00Z").put("source", "Claim of the Government of the Syrian Arab Republic")
                .put("note", "Positions on the Jabal Tharda heights south of Deir ez-Zor airport. Area approximate.");
        ObjectNode f = d.putObject("footprint").put("type", "polygon");
        ArrayNode ring = f.putArray("coordinates");
        for (double[] p : new double[][] {{40.13, 35.23}, {40.21, 35.23}, {40.21, 35.29}, {40.13, 35.29}, {40.13, 35.23}}) {
            ring.addArray().add(p[0]).add(p[1]);
        }
        s.record("sy", "area.declaration", d, "2016-05-01T09:00:00Z");
    }

    /**
     * A coalition flight volume over Jabal Tharda on 2016-09-17, for {@code truce deconflict check}: the
     * check shows it meets the Syrian army's declared positions, the warning that would have been raised.
     */
    public static ObjectNode tharda20160917() {
        ObjectNode v = obj().put("id", "coalition-deir-ez-zor-2016-09-17").put("state", "accepted").put("priority", 50)
                .put("purpose", "air operations near Deir ez-Zor");
        v.putObject("footprint").put("type", "circle").put("radius", 8000).putArray("center").add(40.17).add(35.26);
        v.putObject("altitude").put("lower", 0).put("upper", 9000).put("reference", "AGL");
        v.putObject("time").put("from", "2016-09-17T13:00:00Z").put("to", "2016-09-17T15:30:00Z");
        v.putArray("key");
        return v;
    }

    // ---- incidents ----

    /** The convoy incident, the demo's example of competing accounts. */
    public static final String CONVOY = "urum-al-kubra-convoy-2016-09-19";

    private static ObjectNode incident(String id, String title, String from, String to, double lon, double lat, int geo,
            String admin1, String admin2, String place, String event, String subEvent) {
        ObjectNode b = obj().put("id", id).put("title", title);
        b.putObject("time").put("from", from).put("to", to).putObject("precision").put("scheme", "acled").put("code", 1);
        ObjectNode loc = b.putObject("location");
        loc.putArray("point").add(lon).add(lat);
        loc.putObject("precision").put("scheme", "acled").put("code", geo);
        loc.put("country", "Syria").put("iso", 760).put("region", "Middle East").put("admin1", admin1).put("admin2", admin2)
                .put("place", place);
        b.putObject("type").put("event", event).put("subEvent", subEvent);
        return b;
    }

    private static ObjectNode claim(String incident, String stance, String statement, String source) {
        ObjectNode c = obj().put("incident", incident).put("stance", stance).put("statement", statement);
        c.putArray("sources").add(source);
        return c;
    }

    private static void incidents(Script s) {
        ObjectNode aleppo = incident("aleppo-south-west-2016-06-04", "Offensive south-west of Aleppo reported by the "
                + "Russian reconciliation centre", "2016-06-04T00:00:00Z", "2016-06-05T00:00:00Z", 37.02, 36.12, 2,
                "Aleppo", "Jebel Saman", "Countryside south-west of Aleppo", "Battles", "Armed clash");
        aleppo.putArray("actors").add("jabhat-al-nusra");
        aleppo.putArray("agreements").add(CESSATION);
        aleppo.put("summary", "Recorded as reported by the Russian centre for reconciliation at Hmeimim; the figures and "
                + "the attribution are its claim below.");
        s.record("ru", "incident", aleppo, "2016-06-04T18:00:00Z");
        ObjectNode reported = claim("aleppo-south-west-2016-06-04", "alleges", "Claim of the Russian reconciliation centre: "
                + "more than 1,000 fighters of Jabhat al-Nusra and allied groups attacked government positions south-west of "
                + "Aleppo.", "Russian Ministry of Defence, reconciliation centre bulletin, 2016-06-04");
        reported.putObject("perpetrator").put("actor", "jabhat-al-nusra");
        s.record("ru", "incident.claim", reported, "2016-06-04T18:05:00Z");

        ObjectNode tharda = incident("jabal-tharda-2016-09-17", "Air raid on Syrian army positions at Jabal Tharda near "
                + "Deir ez-Zor airport", "2016-09-17T13:30:00Z", "2016-09-17T15:00:00Z", 40.17, 35.26, 2, "Deir ez-Zor",
                "Deir ez-Zor", "Jabal Tharda", "Explosions/Remote violence", "Air/drone strike");
        tharda.putArray("actors").add("syrian-arab-army");
        tharda.putArray("agreements").add(GENEVA);
        s.record("ru", "incident", tharda, "2016-09-17T19:00:00Z");
        ObjectNode ruClaim = claim("jabal-tharda-2016-09-17", "alleges", "Claim of the Russian Ministry of Defence: aircraft "
                + "of the US-led coalition struck Syrian army positions surrounded by ISIL; 62 soldiers killed and about 100 "
                + "wounded.", "Russian Ministry of Defence statement, 2016-09-17");
        ruClaim.putObject("perpetrator").put("party", "us");
        ruClaim.putObject("figures").set("killed", obj().put("best", 62));
        ((ObjectNode) ruClaim.get("figures")).set("injured", obj().put("best", 100));
        s.record("ru", "incident.claim", ruClaim, "2016-09-17T19:30:00Z");
        ObjectNode usClaim = claim("jabal-tharda-2016-09-17", "acknowledges", "Claim of the United States: coalition aircraft "
                + "struck what they believed to be ISIL positions and stopped when Russia reported that Syrian forces were "
                + "hit; the strike was not intended against Syrian forces.", "US Central Command statement, 2016-09-17");
        usClaim.putObject("perpetrator").put("party", "us");
        usClaim.put("explanation", "Unintentional: the positions were taken for ISIL's.");
        s.record("us", "incident.claim", usClaim, "2016-09-17T22:00:00Z");

        ObjectNode convoy = incident(CONVOY, "UN/SARC aid convoy struck at Urum al-Kubra after unloading",
                "2016-09-19T16:00:00Z", "2016-09-19T18:00:00Z", 36.95, 36.15, 1, "Aleppo", "Jebel Saman", "Urum al-Kubra",
                "Explosions/Remote violence", "Air/drone strike");
        convoy.putObject("casualties").set("killed", obj().put("low", 18).put("best", 20));
        convoy.putArray("movements").add("un-sarc-convoy-2016-09-19");
        convoy.putArray("sites").add("sarc-warehouse-urum-al-kubra");
        convoy.putArray("agreements").add(GENEVA);
        convoy.put("summary", "Trucks of a UN/SARC convoy and a SARC warehouse were hit on the evening of 19 September, after "
                + "the convoy had unloaded. Figures as reported by OCHA.");
        convoy.putArray("sources").add("UN OCHA statement, 2016-09-20");
        String statement = "Claim of OCHA: the convoy of 31 trucks was struck at Urum al-Kubra on 19 September 2016 after "
                + "unloading; about 20 civilians were reported killed, among them SARC staff.\n";
        byte[] file = statement.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha = s.evidence("ocha", "text/plain", file, "2016-09-19T21:00:00Z");
        convoy.putArray("evidence").addObject().put("sha256", sha).put("type", "text/plain").put("size", file.length)
                .put("name", "ocha-statement.txt");
        s.record("ocha", "incident", convoy, "2016-09-19T21:00:00Z");
        ObjectNode seen = obj().put("incident", CONVOY).put("narrative", "Claim of SARC: its warehouse and the trucks "
                + "parked beside it were burning after a series of strikes.");
        seen.putObject("observer").put("kind", "other").put("name", "SARC staff at Urum al-Kubra");
        seen.putObject("time").put("from", "2016-09-19T16:00:00Z").put("to", "2016-09-19T18:00:00Z");
        seen.putArray("observed").addObject().put("what", "explosion").put("how", "seen-and-heard").put("distance", "0-1km");
        ((ArrayNode) seen.get("observed")).addObject().put("what", "fire").put("how", "seen").put("distance", "0-1km");
        s.record("sarc", "incident.observation", seen, "2016-09-19T22:00:00Z");
        ObjectNode ruConvoy = claim(CONVOY, "denies", "Claim of the Russian Federation: Russian and Syrian aircraft did not "
                + "fly in that area at that time.", "Russian Ministry of Defence statement, 2016-09-20");
        ruConvoy.put("explanation", "The footage shows no craters from air-dropped munitions; the cargo caught fire.");
        s.record("ru", "incident.claim", ruConvoy, "2016-09-20T09:30:00Z");
        s.record("sy", "incident.claim", claim(CONVOY, "denies", "Claim of the Government of the Syrian Arab Republic: "
                + "the Syrian army did not target the convoy.", "Syrian army statement, 2016-09-20"), "2016-09-20T12:00:00Z");
        ObjectNode usConvoy = claim(CONVOY, "alleges", "Claim of the United States: Russian aircraft were over the convoy "
                + "when it was struck; Russia is responsible.", "US officials' statements, 2016-09-20");
        usConvoy.putObject("perpetrator").put("party", "ru");
        s.record("us", "incident.claim", usConvoy, "2016-09-20T15:00:00Z");
        ObjectNode first = obj().put("incident", CONVOY).put("certainty", "possible").put("finding", "The convoy and the "
                + "warehouse were destroyed; whether from the air is not established from what the task force has.");
        String firstId = s.record("ctf", "incident.assessment", first, "2016-09-21T10:00:00Z");
        ObjectNode revised = obj().put("incident", CONVOY).put("certainty", "likely").put("revises", firstId)
                .put("finding", "The attack was most likely an air strike; the finding does not attribute it.");
        revised.putArray("reasons").add("Summary of the UN Headquarters Board of Inquiry, 21 December 2016");
        s.record("ctf", "incident.assessment", revised, "2016-12-21T15:00:00Z");

        ObjectNode khan = incident("khan-shaykhun-2017-04-04", "Chemical attack at Khan Shaykhun", "2017-04-04T03:30:00Z",
                "2017-04-04T04:30:00Z", 36.6493, 35.4377, 1, "Idlib", "Ma'arrat an-Nu'man", "Khan Shaykhun",
                "Explosions/Remote violence", "Chemical weapon");
        khan.putArray("sources").add("WHO statement, 2017-04-05");
        s.record("ocha", "incident", khan, "2017-04-04T12:00:00Z");
        ObjectNode usKhan = claim("khan-shaykhun-2017-04-04", "alleges", "Claim of the United States: Syrian government "
                + "aircraft dropped a sarin-filled munition on Khan Shaykhun.", "US government assessment, 2017-04-11");
        usKhan.putObject("perpetrator").put("party", "sy");
        s.record("us", "incident.claim", usKhan, "2017-04-11T16:00:00Z");
        s.record("sy", "incident.claim", claim("khan-shaykhun-2017-04-04", "denies", "Claim of the Government of the Syrian "
                + "Arab Republic: the Syrian army has never used chemical weapons.", "Syrian army statement, 2017-04-04"),
                "2017-04-04T18:00:00Z");
        ObjectNode ruKhan = claim("khan-shaykhun-2017-04-04", "alternative", "Claim of the Russian Ministry of Defence: a "
                + "Syrian air strike hit a warehouse where militants stored toxic substances.",
                "Russian Ministry of Defence statement, 2017-04-05");
        ruKhan.put("explanation", "Toxic substances were released from a struck militants' depot.");
        s.record("ru", "incident.claim", ruKhan, "2017-04-05T09:00:00Z");
        ObjectNode jim = obj().put("incident", "khan-shaykhun-2017-04-04").put("certainty", "likely")
                .put("finding", "Recorded finding of the OPCW-UN Joint Investigative Mechanism: the Syrian Arab Republic "
                        + "is responsible for the release of sarin at Khan Shaykhun.");
        jim.putObject("attribution").put("party", "sy");
        jim.putArray("reasons").add("Seventh report of the OPCW-UN Joint Investigative Mechanism, 26 October 2017");
        s.record("ctf", "incident.assessment", jim, "2017-10-26T15:00:00Z");
    }

    // ---- the hotline ----

    private static void hotline(Script s) {
        ObjectNode toSy = obj().put("subject", "Access via the Castello road")
                .put("text", "Request to confirm the opening of the Castello road for the next convoy.")
                .put("ackBy", "2016-09-14T12:00:00Z");
        toSy.putArray("to").add("sy");
        s.record("us", "message", toSy, Visibility.named("sy", "us"), "2016-09-13T08:00:00Z");
        ObjectNode alert = obj().put("subject", "Convoy struck at Urum al-Kubra")
                .put("text", "OCHA reports that the UN/SARC convoy was struck at Urum al-Kubra after unloading, "
                        + "on the evening of 19 September. Claim of OCHA. Request: any information on air activity "
                        + "in the area between 19:00 and 21:00 local time.")
                .put("ackBy", "2016-09-20T06:00:00Z");
        alert.putArray("to").add("ru").add("us");
        String alertId = s.record("ocha", "message", alert, Visibility.PARTIES, "2016-09-19T20:30:00Z");
        s.record("ru", "message.ack", obj().put("message", alertId), Visibility.PARTIES, "2016-09-19T21:10:00Z");
        ObjectNode reply = obj().put("subject", "Re: Convoy struck at Urum al-Kubra")
                .put("text", "Claim of the Russian Federation: Russian and Syrian aircraft did not fly in that area "
                        + "at that time.")
                .put("inReplyTo", alertId);
        reply.putArray("to").add("ocha").add("us");
        s.record("ru", "message", reply, Visibility.PARTIES, "2016-09-20T09:00:00Z");
    }

    private static ObjectNode step(ArrayNode steps, String id, String title, int phase, String fulfilment,
            String... obligated) {
        ObjectNode s = steps.addObject().put("id", id).put("title", title).put("phase", phase).put("fulfilment", fulfilment);
        ArrayNode o = s.putArray("obligated");
        for (String p : obligated) {
            o.add(p);
        }
        return s;
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The parties of the demo, for printing. */
    public static List<String> partyIds() {
        return List.copyOf(PARTIES.keySet());
    }

    /** Records entries as the demo's authors, each with its next seq. Not thread-safe. */
    private static final class Script {
        private final Node node;
        private final Map<String, EntrySigner> signers = new HashMap<>();
        private final Map<String, Long> seqs = new HashMap<>();

        Script(Node node) {
            this.node = node;
            signers.put(PartyId.OPERATOR, node.operator());
            seqs.put(PartyId.OPERATOR, node.operatorSeq());
        }

        /** Records a public entry; returns its leaf hash, by which later entries refer to it. */
        String record(String author, String kind, ObjectNode body, String at) {
            return record(author, kind, body, Visibility.PUBLIC, at);
        }

        /** Runs the operator's escalation of unacknowledged notifications as it would have run at {@code at}. */
        void escalate(String at) {
            new Escalator(node, java.time.Clock.fixed(Instant.parse(at), java.time.ZoneOffset.UTC)).runOnce();
            seqs.put(PartyId.OPERATOR, node.operatorSeq());
        }

        /** Stores an evidence file as its uploader would; returns its SHA-256 in hex. */
        String evidence(String uploader, String type, byte[] data, String at) {
            String sha;
            try {
                sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            node.store().write(tx -> tx.putEvidence(new org.truce.store.StoredEvidence(sha, type, data, uploader,
                    Instant.parse(at))));
            return sha;
        }

        String record(String author, String kind, ObjectNode body, Visibility visibility, String at) {
            long seq = seqs.merge(author, 1L, Long::sum);
            long index = node.submit(signers.get(author), kind, body, visibility, seq, Instant.parse(at));
            return node.store().read(tx -> tx.entry(index)).orElseThrow().leafHash().base64();
        }
    }
}
