package org.truce.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.access.Reader;
import org.truce.core.actor.Actors;
import org.truce.core.agreement.Agreements;
import org.truce.core.hotline.Hotline;
import org.truce.core.incident.DailyReport;
import org.truce.core.incident.Incidents;
import org.truce.core.ledger.Ledger;
import org.truce.server.rebuild.Rebuild;
import org.truce.store.StateDigest;
import org.truce.store.Store;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.merkle.Hash;

/** The demo scenario loads, audits, rebuilds to the same state, and shows what a newcomer would look for. */
class DemoTest {
    private static final List<Reader> READERS = List.of(Reader.PUBLIC, Reader.party("us"), Reader.party("ru"),
            Reader.party("sy"), Reader.party("hnc"), Reader.party("ctf"));
    private static final List<Instant> MOMENTS = List.of(Instant.parse("2016-02-26T11:00:00Z"),
            Instant.parse("2016-06-10T00:00:00Z"), Instant.parse("2016-09-20T00:00:00Z"), Instant.parse("2030-01-01T00:00:00Z"));

    @TempDir
    static Path tmp;

    private static Node node;
    private static Store store;

    @BeforeAll
    static void load() {
        Path dir = tmp.resolve("demo");
        node = Node.init(dir, "demo.truce.example/log", "Demo", Clock.systemUTC());
        Demo.load(node, dir.resolve("party-keys"));
        store = node.store();
    }

    @AfterAll
    static void close() {
        node.close();
    }

    private static ObjectNode status(String agreement, String at) {
        return store.read(tx -> new Agreements(tx).status(Reader.PUBLIC, agreement, Instant.parse(at))).orElseThrow();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode step(ObjectNode status, String id) {
        for (JsonNode s : status.get("steps")) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no step " + id + " in " + status);
    }

    // ---- the log ----

    @Test
    void demo_loadsEveryEntry_andTheLogAudits() throws Exception {
        assertThat(Files.list(tmp.resolve("demo/party-keys"))).hasSize(Demo.partyIds().size());
        // genesis, the parties, 4 actors, 18 entries about the cessation, 9 about Geneva, 4 on the hotline,
        // 3 notifications with 6 acknowledgements and 3 escalations, 1 declared area, 17 about incidents
        assertThat(store.read(tx -> tx.size()).longValue()).isEqualTo(1 + Demo.partyIds().size() + 4 + 18 + 9 + 4 + 12 + 1 + 17);
        AuditReport report = store.read(tx -> new Auditor(tx, node.checkpointKey().verifier()).audit(null,
                Auditor.Progress.NONE));
        assertThat(report).isInstanceOf(AuditReport.Verified.class);
    }

    @Test
    void incidents_convoyAccountsSideBySide_contested_andTheFindingRevised() throws Exception {
        ObjectNode convoy = store.read(tx -> new Incidents(tx).get(Reader.PUBLIC, Demo.CONVOY)).orElseThrow();
        assertThat(convoy.get("claims").findValuesAsText("by")).containsExactly("ru", "sy", "us");
        assertThat(convoy.get("claims").findValuesAsText("stance")).containsExactly("denies", "denies", "alleges");
        assertThat(convoy.get("contested").asBoolean()).isTrue();
        assertThat(convoy.get("observations").get(0).get("by").asText()).isEqualTo("sarc");
        assertThat(convoy.get("assessments").findValuesAsText("certainty")).containsExactly("possible", "likely");
        String sha = convoy.get("evidence").get(0).get("sha256").asText();
        byte[] file = store.<Optional<org.truce.store.StoredEvidence>>read(tx -> tx.evidence(sha)).orElseThrow().data();
        assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(file))).isEqualTo(sha);
        ObjectNode tharda = store.read(tx -> new Incidents(tx).get(Reader.PUBLIC, "jabal-tharda-2016-09-17")).orElseThrow();
        assertThat(tharda.get("contested").asBoolean()).as("the United States acknowledged the strike").isFalse();
    }

    @Test
    void notifications_convoyAcknowledgedByUsAndRu_overdueForSy() {
        Clock later = Clock.fixed(Instant.parse("2016-09-19T00:00:00Z"), ZoneOffset.UTC);
        ObjectNode convoy = store.read(tx -> new org.truce.core.notification.Notifications(tx, later)
                .get(Reader.PUBLIC, "movement", "un-sarc-convoy-2016-09-19")).orElseThrow();
        assertThat(convoy.get("acknowledgements").findValuesAsText("status")).containsExactly("acknowledged", "overdue",
                "acknowledged");
        assertThat(convoy.get("legs").findValuesAsText("name")).containsExactly("outbound", "unloading", "return");
        List<ObjectNode> syInbox = store.read(tx -> new Hotline(tx, later).inbox(Reader.party("sy"), "sy", null, 50));
        ObjectNode escalation = syInbox.stream().filter(m -> m.path("about").has("movement")).findFirst().orElseThrow();
        assertThat(escalation.get("from").asText()).isEqualTo("operator");
        assertThat(escalation.get("at").asText()).isEqualTo("2016-09-18T18:05:00Z");
        assertThat(escalation.get("text").asText()).contains("Not acknowledged by: sy.");
        assertThat(node.escalator().runOnce()).as("each notification is escalated once").isZero();
    }

    @Test
    void deconfliction_coalitionVolumeOverJabalTharda_meetsTheArmysDeclaredPositions() throws Exception {
        ObjectNode v = Demo.tharda20160917();
        var met = store.read(tx -> {
            try {
                return org.truce.core.volume.VolumeRules.meets(tx, v.get("id").asText(),
                        org.truce.core.notification.NotificationRules.footprint(v.get("footprint"), "/footprint"), v.get("altitude"),
                        Instant.parse("2016-09-17T13:00:00Z"), Instant.parse("2016-09-17T15:30:00Z"));
            } catch (org.truce.core.entry.EntryException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(met).extracting(org.truce.core.volume.VolumeRules.Entity::id).containsExactly(Demo.THARDA_POSITIONS);
        assertThat(Files.readString(tmp.resolve("demo/volume-jabal-tharda-2016-09-17.json"))).contains("coalition-deir-ez-zor");
    }

    @Test
    void dailyReport_19September_countsTheConvoyAgainstTheDayBefore() {
        ObjectNode r = store.read(tx -> DailyReport.compute(tx, Reader.PUBLIC, java.time.LocalDate.parse("2016-09-19"), null,
                java.time.LocalDate.parse("2016-02-26"), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
        assertThat(r.get("totals").toString()).isEqualTo("{\"day\":1,\"previousDay\":0,\"cumulative\":3}");
        assertThat(r.get("incidents").findValuesAsText("id")).containsExactly(Demo.CONVOY);
        for (JsonNode p : r.get("parties")) {
            if (p.get("party").asText().equals("ru")) {
                assertThat(p.get("cumulative").get("recorded").asInt()).isEqualTo(2);
                assertThat(p.get("cumulative").get("alleges").asInt()).isEqualTo(2);
                assertThat(p.get("day").get("denies").asInt()).isEqualTo(1);
            }
        }
    }

    @Test
    void demo_hotline_convoyAlertAcknowledgedByRuOverdueForUs() {
        Clock later = Clock.fixed(Instant.parse("2016-09-21T00:00:00Z"), ZoneOffset.UTC);
        List<ObjectNode> inbox = store.read(tx -> new Hotline(tx, later).inbox(Reader.party("ru"), "ru", null, 10));
        assertThat(inbox).hasSize(1);
        ObjectNode convoy = inbox.get(0);
        assertThat(convoy.get("subject").asText()).isEqualTo("Convoy struck at Urum al-Kubra");
        assertThat(convoy.get("recipients").findValuesAsText("status")).containsExactly("acknowledged", "overdue");
        assertThat(store.<List<ObjectNode>>read(tx -> new Hotline(tx, later).inbox(Reader.party("hnc"), "sy", null, 10)))
                .as("only the public escalations of public notifications").allMatch(m -> m.has("about"));
        assertThat(store.<List<ObjectNode>>read(tx -> new Hotline(tx, later).inbox(Reader.party("sy"), "sy", null, 10)))
                .filteredOn(m -> !m.has("about")).hasSize(1);
    }

    // ---- the cessation of hostilities ----

    @Test
    void cessation_beforeItStarts_acceptancesFulfilledAndTheCessationDue() {
        ObjectNode s = status(Demo.CESSATION, "2016-02-26T11:00:00Z");
        assertThat(step(s, "accept-sy").get("status").asText()).isEqualTo("fulfilled");
        assertThat(step(s, "accept-hnc").get("status").asText()).isEqualTo("fulfilled");
        assertThat(step(s, "in-force").get("status").asText()).isEqualTo("due");
        assertThat(step(s, "in-force").get("deadline").asText()).isEqualTo("2016-02-26T22:00:00Z");
        assertThat(s.get("obligations").get("hnc").get("standing").asText()).isEqualTo("accepted");
    }

    @Test
    void cessation_on10June_separationDueAtTheExtendedDeadline_requestedByUsAgreedByRu() {
        ObjectNode s = status(Demo.CESSATION, "2016-06-10T00:00:00Z");
        JsonNode separation = step(s, "separation");
        assertThat(separation.get("status").asText()).isEqualTo("due");
        assertThat(separation.get("deadline").asText()).isEqualTo("2016-06-15T21:00:00Z");
        assertThat(step(s, "in-force").get("status").asText()).as("assessed full, then revised to intermediate")
                .isEqualTo("disputed");
        assertThat(step(s, "in-force").get("assessment").get("score").asInt()).isEqualTo(2);
        assertThat(s.get("pendingChanges")).isEmpty();

        ObjectNode t = store.read(tx -> new Agreements(tx).timeline(Reader.PUBLIC, Demo.CESSATION,
                Instant.parse("2016-06-10T00:00:00Z"))).orElseThrow();
        JsonNode history = t.get("deadlines").get("separation");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("deadline").asText()).isEqualTo("2016-05-25T21:00:00Z");
        assertThat(history.get(1).get("basis").asText()).isEqualTo("extension");
        assertThat(history.get(1).get("deadline").asText()).isEqualTo("2016-06-15T21:00:00Z");
        assertThat(history.get(1).get("requestedBy").asText()).isEqualTo("us");
        assertThat(texts(history.get(1).get("agreedBy"))).containsExactly("ru");
        assertThat(history.get(1).get("inEffectFrom").asText()).isEqualTo("2016-05-25T08:00:00Z");
    }

    @Test
    void cessation_before25May_extensionAwaitsRu() {
        ObjectNode s = status(Demo.CESSATION, "2016-05-24T20:00:00Z");
        assertThat(step(s, "separation").get("deadline").asText()).isEqualTo("2016-05-25T21:00:00Z");
        assertThat(s.get("pendingChanges")).hasSize(1);
        assertThat(texts(s.get("pendingChanges").get(0).get("awaiting"))).containsExactly("ru");
    }

    @Test
    void cessation_now_showsFulfilledDisputedAndOverdueSteps() {
        ObjectNode s = status(Demo.CESSATION, "2030-01-01T00:00:00Z");
        List<String> statuses = new ArrayList<>();
        s.get("steps").forEach(step -> statuses.add(step.get("id").asText() + "=" + step.get("status").asText()));
        assertThat(statuses).containsExactly("accept-sy=fulfilled", "accept-hnc=fulfilled", "in-force=disputed",
                "separation=overdue");
        assertThat(texts(s.get("obligations").get("hnc").get("steps").get("overdue"))).containsExactly("separation");
    }

    // ---- the Geneva arrangement ----

    @Test
    void geneva_on19September_sevenDaysDisputed_jicBlockedOnSyAndHnc() {
        ObjectNode s = status(Demo.GENEVA, "2016-09-19T23:00:00Z");
        assertThat(step(s, "recommit").get("status").asText()).isEqualTo("fulfilled");
        assertThat(step(s, "recommit").get("deadline").asText()).isEqualTo("2016-09-14T16:00:00Z");
        assertThat(step(s, "castello").get("status").asText()).isEqualTo("overdue");
        JsonNode seven = step(s, "seven-days");
        assertThat(seven.get("status").asText()).isEqualTo("disputed");
        assertThat(seven.get("deadline").asText()).as("seven days after the recommitment was first assessed full")
                .isEqualTo("2016-09-21T16:00:00Z");
        assertThat(seven.get("assessment").get("score").asInt()).isEqualTo(1);
        for (String at : List.of("2016-09-19T23:00:00Z", "2016-09-20T00:00:00Z")) {
            JsonNode jic = step(status(Demo.GENEVA, at), "jic");
            assertThat(jic.get("status").asText()).isEqualTo("blocked");
            assertThat(jic.get("blockedOn").get(0).get("step").asText()).isEqualTo("seven-days");
            assertThat(texts(jic.get("blockedOn").get(0).get("parties"))).containsExactly("sy", "hnc");
        }
        assertThat(step(s, "delineation").get("status").asText()).isEqualTo("blocked");
        assertThat(texts(s.get("obligations").get("hnc").get("blocking"))).containsExactly("jic");
        assertThat(s.get("criticalPath").get("phase").asInt()).isEqualTo(1);
        assertThat(s.get("criticalPath").get("steps").findValuesAsText("id")).containsExactly("seven-days");
    }

    @Test
    void geneva_beforeTheRecommitmentIsAssessed_sevenDaysPendingOnIt() {
        JsonNode seven = step(status(Demo.GENEVA, "2016-09-13T00:00:00Z"), "seven-days");
        assertThat(seven.get("status").asText()).isEqualTo("pending");
        assertThat(seven.get("waitingFor").asText()).isEqualTo("step recommit assessed full");
    }

    // ---- actors ----

    @Test
    void actors_nusraRenamedAndExcluded_foundByEveryName() {
        ObjectNode before = store.read(tx -> new Actors(tx).get(Reader.PUBLIC, "jabhat-al-nusra",
                Instant.parse("2016-02-25T00:00:00Z"))).orElseThrow();
        assertThat(before.get("status").asText()).isEqualTo("unknown");
        ObjectNode after = store.read(tx -> new Actors(tx).get(Reader.PUBLIC, "jabhat-al-nusra",
                Instant.parse("2016-08-01T00:00:00Z"))).orElseThrow();
        assertThat(after.get("currentName").asText()).isEqualTo("Jabhat Fatah al-Sham");
        assertThat(texts(after.get("knownAs"))).containsExactlyInAnyOrder("al-Nusra Front", "Jabhat al-Nusra");
        assertThat(after.get("status").asText()).isEqualTo("excluded");
        assertThat(after.get("statuses").get(0).get("source").asText())
                .isEqualTo("UN Security Council designation; terms of the cessation of hostilities, 2016-02-22");
        assertThat(store.<List<String>>read(tx -> new Actors(tx).named(Reader.PUBLIC, "jabhat fatah al-sham"))).containsExactly("jabhat-al-nusra");
        assertThat(store.<List<String>>read(tx -> new Actors(tx).named(Reader.PUBLIC, "Daesh"))).containsExactly("isil");
        ObjectNode saa = store.read(tx -> new Actors(tx).get(Reader.PUBLIC, "syrian-arab-army", Instant.parse("2016-03-01T00:00:00Z")))
                .orElseThrow();
        assertThat(saa.get("status").asText()).isEqualTo("party");
        assertThat(saa.get("affiliation").get("party").asText()).isEqualTo("sy");
    }

    // ---- where to look ----

    @Test
    void views_everyPlaceTheDemoPrints_answersOnTheRunningServer() throws Exception {
        String base = "http://127.0.0.1:" + node.serve("127.0.0.1", 0).port();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (Demo.View v : Demo.views()) {
            java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + v.path())).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("%s %s: %s", v.what(), v.path(), r.body()).isEqualTo(200);
        }
    }

    // ---- rebuild ----

    @Test
    void rebuild_reachesTheSameStateDigest_andTheSameAgreementAndActorViews() throws Exception {
        Hash live = store.read(StateDigest::of);
        try (Store replay = Store.sqlite(tmp.resolve("replay"))) {
            new Rebuild(Ledger.standard()).run(store, replay, (d, t) -> { });
            assertThat(replay.<Hash>read(StateDigest::of)).isEqualTo(live);
            for (Reader reader : READERS) {
                for (Instant at : MOMENTS) {
                    List<String> ids = store.read(tx -> new Agreements(tx).ids(reader, at));
                    assertThat(replay.<List<String>>read(tx -> new Agreements(tx).ids(reader, at))).isEqualTo(ids);
                    for (String id : List.of(Demo.CESSATION, Demo.GENEVA)) {
                        Optional<ObjectNode> status = store.read(tx -> new Agreements(tx).status(reader, id, at));
                        assertThat(replay.<Optional<ObjectNode>>read(tx -> new Agreements(tx).status(reader, id, at)))
                                .as("status of %s at %s for %s", id, at, reader).isEqualTo(status);
                        Optional<ObjectNode> timeline = store.read(tx -> new Agreements(tx).timeline(reader, id, at));
                        assertThat(replay.<Optional<ObjectNode>>read(tx -> new Agreements(tx).timeline(reader, id, at)))
                                .as("timeline of %s at %s for %s", id, at, reader).isEqualTo(timeline);
                    }
                    for (String actor : store.<List<String>>read(tx -> new Actors(tx).ids(reader))) {
                        assertThat(replay.<Optional<ObjectNode>>read(tx -> new Actors(tx).get(reader, actor, at)))
                                .isEqualTo(store.<Optional<ObjectNode>>read(tx -> new Actors(tx).get(reader, actor, at)));
                    }
                }
            }
        }
    }
}
