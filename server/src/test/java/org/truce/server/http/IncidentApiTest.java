package org.truce.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Visibility;
import org.truce.core.incident.Acled;
import org.truce.core.json.Json;
import org.truce.core.kind.Kinds;
import org.truce.core.ledger.Ledger;
import org.truce.server.TestClock;
import org.truce.server.access.Sessions;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.Store;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;

/**
 * Incidents over HTTP on a real server and store of each engine: filters, the CSV export imported
 * into a second log as one batch, dry runs and bad lines, evidence by hash, and the daily report.
 */
abstract class IncidentApiTest {
    private static final Instant T0 = Instant.parse("2016-09-20T08:00:00Z");

    @TempDir
    Path tmp;

    private final SecureRandom rng = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestClock clock = new TestClock(T0);
    private final EntrySigner operator = signer(PartyId.OPERATOR);
    private final EntrySigner us = signer("us");
    private final String ruKey = NoteKeys.generate("ru", NoteKeys.TYPE_ED25519, rng).privateKey();
    private final EntrySigner ru = signerOf(ruKey);
    private final List<Node> nodes = new ArrayList<>();

    /** A new, empty store of the engine under test. */
    protected abstract Store openStore(Path dir, String name);

    private record Node(Store store, Sequencer sequencer, ApiServer server, String base) {}

    private static EntrySigner signerOf(String privateKey) {
        try {
            return EntrySigner.fromPrivateKey(privateKey);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private EntrySigner signer(String id) {
        return signerOf(NoteKeys.generate(id, NoteKeys.TYPE_ED25519, rng).privateKey());
    }

    /** A log with its genesis and the parties us and ru, with the same keys in every log of this test. */
    private Node start(String name) throws Exception {
        Store store = openStore(tmp.resolve(name), name);
        Signer cp = NoteKeys.parseSigner(NoteKeys.generate("truce.example/" + name, NoteKeys.TYPE_ED25519, rng).privateKey());
        Sequencer seq = new Sequencer(store, Ledger.standard(), cp, clock, Sequencer.Options.DEFAULT);
        ApiServer server = new ApiServer(store, seq, Kinds.standard(), clock).start("127.0.0.1", 0);
        Node n = new Node(store, seq, server, "http://127.0.0.1:" + server.port());
        nodes.add(n);
        ObjectNode g = obj().put("origin", "truce.example/" + name).put("name", "Operator")
                .put("checkpointKey", cp.verifier().vkey()).put("entryKey", operator.vkey());
        submit(n, operator, "genesis", g, Visibility.PUBLIC, 1);
        long s = 1;
        for (EntrySigner p : List.of(us, ru)) {
            ObjectNode b = obj().put("id", p.party()).put("name", p.party().toUpperCase());
            b.putArray("roles").add("party");
            b.putArray("keys").add(p.vkey());
            submit(n, operator, "party", b, Visibility.PUBLIC, ++s);
        }
        return n;
    }

    private Node a;

    @BeforeEach
    void startA() throws Exception {
        a = start("a");
    }

    @AfterEach
    void stop() {
        for (Node n : nodes) {
            n.server().close();
            n.sequencer().close();
            n.store().close();
        }
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    private JsonNode submit(Node n, EntrySigner s, String kind, ObjectNode body, Visibility v, long seq) throws Exception {
        HttpResponse<String> r = send(n, "POST", "/api/v1/entries", s.sign(kind, body, v, List.of(), seq, T0).toJson().toString(),
                null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    private HttpResponse<String> send(Node n, String method, String path, String body, String contentType, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.base() + path));
        b = method.equals("GET") ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> upload(Node n, byte[] data, String type, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.base() + "/api/v1/evidence"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).header("Content-Type", type);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private String login(Node n, String party, String privateKey) throws Exception {
        String challenge = json(send(n, "POST", "/api/v1/login/challenge", "{}", null, null)).get("challenge").asText();
        byte[] sig = NoteKeys.parseSigner(privateKey).sign(Sessions.signedMessage(challenge));
        ObjectNode req = obj().put("key", EntrySigner.fromPrivateKey(privateKey).keyRef()).put("challenge", challenge)
                .put("sig", java.util.Base64.getEncoder().encodeToString(sig));
        return json(send(n, "POST", "/api/v1/login", req.toString(), null, null)).get("token").asText();
    }

    private static ObjectNode incident(String id, String from, double lon, double lat, String admin1) {
        ObjectNode b = obj().put("id", id).put("title", "Incident " + id);
        b.putObject("time").put("from", from).put("to", Instant.parse(from).plusSeconds(3600).toString())
                .putObject("precision").put("scheme", "acled").put("code", 1);
        ObjectNode loc = b.putObject("location");
        loc.putArray("point").add(lon).add(lat);
        loc.putObject("precision").put("scheme", "acled").put("code", 1);
        loc.put("country", "Syria").put("admin1", admin1).put("place", "Place of " + id);
        b.putObject("type").put("event", "Explosions/Remote violence").put("subEvent", "Air/drone strike");
        b.putObject("casualties").putObject("killed").put("low", 10).put("best", 14).put("high", 20);
        b.putArray("sources").add("a source");
        return b;
    }

    private List<String> ids(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("incidents").findValuesAsText("id").stream().filter(s -> s.startsWith("i-")).toList();
    }

    // ---- filters ----

    @Test
    void list_filtersByEventTimeBboxAndContested_andBadFiltersNameTheParameter() throws Exception {
        submit(a, us, "incident", incident("i-aleppo", "2016-09-19T17:00:00Z", 36.96, 36.15, "Aleppo"), Visibility.PUBLIC, 1);
        submit(a, us, "incident", incident("i-deir", "2016-09-17T14:00:00Z", 40.19, 35.29, "Deir ez-Zor"), Visibility.PUBLIC, 2);
        ObjectNode denial = obj().put("incident", "i-aleppo").put("stance", "denies");
        ObjectNode blame = obj().put("incident", "i-aleppo").put("stance", "alleges");
        blame.putObject("perpetrator").put("party", "ru");
        submit(a, us, "incident.claim", blame, Visibility.PUBLIC, 3);
        submit(a, ru, "incident.claim", denial, Visibility.PUBLIC, 1);
        assertThat(ids(send(a, "GET", "/api/v1/incidents?from=2016-09-17T00:00:00Z&to=2016-09-18T00:00:00Z", "", null, null)))
                .containsExactly("i-deir");
        assertThat(ids(send(a, "GET", "/api/v1/incidents?bbox=36.5,35.9,37.5,36.5", "", null, null))).containsExactly("i-aleppo");
        assertThat(ids(send(a, "GET", "/api/v1/incidents?contested=true", "", null, null))).containsExactly("i-aleppo");
        assertThat(ids(send(a, "GET", "/api/v1/incidents?region=deir%20ez-zor", "", null, null))).containsExactly("i-deir");
        JsonNode one = json(send(a, "GET", "/api/v1/incidents/i-aleppo", "", null, null));
        assertThat(one.get("claims").findValuesAsText("stance")).containsExactly("alleges", "denies");
        for (String[] bad : new String[][] {{"bbox=1,2,3", "bbox"}, {"from=yesterday", "from"}, {"contested=maybe", "contested"},
            {"from=2016-09-18T00:00:00Z&to=2016-09-17T00:00:00Z", "before"}}) {
            HttpResponse<String> r = send(a, "GET", "/api/v1/incidents?" + bad[0], "", null, null);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(json(r).get("detail").asText()).as(bad[0]).contains(bad[1]);
        }
        assertThat(send(a, "GET", "/api/v1/incidents/No_Such", "", null, null).statusCode()).isEqualTo(400);
        assertThat(send(a, "GET", "/api/v1/incidents/no-such", "", null, null).statusCode()).isEqualTo(404);
    }

    // ---- export and import ----

    @Test
    void csvExport_importedIntoAnotherLog_givesTheSameIncidents() throws Exception {
        for (int i = 0; i < 25; i++) {
            submit(a, i % 2 == 0 ? us : ru, "incident", incident(String.format("i-%02d", i), "2016-09-%02dT10:00:00Z".formatted(1 + i),
                    36 + i / 10.0, 35 + i / 20.0, i % 3 == 0 ? "Aleppo" : "Idlib"), Visibility.PUBLIC, 1 + i / 2);
        }
        submit(a, us, "incident", incident("i-secret", "2016-09-10T10:00:00Z", 36, 35, "Aleppo"), Visibility.named("us"), 50);
        HttpResponse<String> csv = send(a, "GET", "/api/v1/exports/incidents.csv", "", null, null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()).as("restricted to us").doesNotContain("i-secret");
        HttpResponse<String> geo = send(a, "GET", "/api/v1/exports/incidents.geojson?region=Aleppo", "", null, null);
        assertThat(geo.headers().firstValue("Content-Type").orElse("")).startsWith("application/geo+json");
        List<String> featureIds = new ArrayList<>();
        json(geo).get("features").forEach(f -> featureIds.add(f.get("id").asText()));
        assertThat(featureIds).containsExactly("i-00", "i-03", "i-06", "i-09", "i-12",
                "i-15", "i-18", "i-21", "i-24");

        Node b = start("b");
        List<String> lines = new ArrayList<>();
        long[] seq = {100};
        Acled.read(new StringReader(csv.body()), row -> lines.add(us.sign("incident", row.incident(), Visibility.PUBLIC, List.of(),
                seq[0]++, T0).toJson().toString()), bad -> { throw new AssertionError(bad.toString()); });
        assertThat(lines).hasSize(25);
        HttpResponse<String> dry = send(b, "POST", "/api/v1/entries/batch?dryRun=true", String.join("\n", lines),
                "application/x-ndjson", null);
        assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
        assertThat(json(dry).get("accepted").asInt()).isEqualTo(25);
        assertThat(ids(send(b, "GET", "/api/v1/incidents?limit=500", "", null, null))).as("a dry run writes nothing").isEmpty();
        long sizeBefore = b.store().<Long>read(tx -> tx.size());
        HttpResponse<String> imported = send(b, "POST", "/api/v1/entries/batch", String.join("\n", lines), "application/x-ndjson",
                null);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        assertThat(json(imported).get("firstIndex").asLong()).isEqualTo(sizeBefore);
        assertThat(json(imported).get("lastIndex").asLong()).isEqualTo(sizeBefore + 24);
        JsonNode fromA = json(send(a, "GET", "/api/v1/incidents?limit=500", "", null, null)).get("incidents");
        JsonNode fromB = json(send(b, "GET", "/api/v1/incidents?limit=500", "", null, null)).get("incidents");
        assertThat(fromB).hasSize(25);
        for (int i = 0; i < 25; i++) {
            ObjectNode x = (ObjectNode) fromA.get(i);
            ObjectNode y = (ObjectNode) fromB.get(i);
            for (String f : List.of("id", "title", "time", "location", "type", "casualties", "sources")) {
                assertThat(canonical(y.get(f))).as("%s of %s", f, x.get("id")).isEqualTo(canonical(x.get(f)));
            }
        }
    }

    private static String canonical(JsonNode n) {
        return new String(Json.canonical(n), StandardCharsets.UTF_8);
    }

    @Test
    void batch_badLinesAreRefusedByNumber_andTheOthersSequencedTogether() throws Exception {
        String good1 = us.sign("incident", incident("i-one", "2016-09-19T10:00:00Z", 36, 35, "Aleppo"), Visibility.PUBLIC,
                List.of(), 1, T0).toJson().toString();
        ObjectNode badBody = incident("i-two", "2016-09-19T10:00:00Z", 36, 35, "Aleppo");
        ((ObjectNode) badBody.get("casualties").get("killed")).put("low", 50);
        String inconsistent = us.sign("incident", badBody, Visibility.PUBLIC, List.of(), 2, T0).toJson().toString();
        String good2 = us.sign("incident", incident("i-three", "2016-09-19T10:00:00Z", 36, 35, "Aleppo"), Visibility.PUBLIC,
                List.of(), 3, T0).toJson().toString();
        String body = String.join("\n", good1, "{not json", "", inconsistent, good2);
        HttpResponse<String> r = send(a, "POST", "/api/v1/entries/batch", body, "application/x-ndjson", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode j = json(r);
        assertThat(j.get("accepted").asInt()).isEqualTo(2);
        assertThat(j.get("refused").findValuesAsText("line")).containsExactly("2", "4");
        assertThat(j.get("refused").get(1).get("type").asText()).isEqualTo("inconsistent-body");
        assertThat(ids(send(a, "GET", "/api/v1/incidents", "", null, null))).containsExactly("i-one", "i-three");
        HttpResponse<String> again = send(a, "POST", "/api/v1/entries/batch", good1, "application/x-ndjson", null);
        assertThat(json(again).get("duplicates").asInt()).isEqualTo(1);
    }

    // ---- evidence ----

    @Test
    void evidence_uploadedByHash_downloadedOnlyByThoseWhoMayReadAnEntryReferringToIt() throws Exception {
        String usKey = NoteKeys.generate("us", NoteKeys.TYPE_ED25519, rng).privateKey();
        EntrySigner usSecond = EntrySigner.fromPrivateKey(usKey);
        ObjectNode addKey = obj().put("party", "us").put("action", "add").put("vkey", usSecond.vkey());
        submit(a, operator, "party.key", addKey, Visibility.PUBLIC, 10);
        String token = login(a, "us", usKey);
        byte[] png = new byte[2048];
        rng.nextBytes(png);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, png, 0, 8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));

        assertThat(upload(a, png, "image/png", null).statusCode()).as("not signed in").isEqualTo(401);
        assertThat(upload(a, png, "image/gif", token).statusCode()).as("not on the allowlist").isEqualTo(415);
        assertThat(upload(a, png, "application/pdf", token).statusCode()).as("not a PDF").isEqualTo(415);
        assertThat(upload(a, new byte[EvidenceApi.MAX_SIZE + 1], "text/plain", token).statusCode()).isEqualTo(413);
        HttpResponse<byte[]> up = upload(a, png, "image/png", token);
        assertThat(up.statusCode()).isEqualTo(201);
        assertThat(Json.parse(up.body()).get("sha256").asText()).isEqualTo(sha);
        assertThat(upload(a, png, "image/png", token).statusCode()).as("stored once").isEqualTo(200);

        HttpResponse<byte[]> mine = http.send(HttpRequest.newBuilder(URI.create(a.base() + "/api/v1/evidence/" + sha))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.body()).isEqualTo(png);
        assertThat(mine.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(send(a, "GET", "/api/v1/evidence/" + sha, "", null, null).statusCode()).as("no entry refers to it yet")
                .isEqualTo(404);

        ObjectNode inc = incident("i-photo", "2016-09-19T10:00:00Z", 36, 35, "Aleppo");
        inc.putArray("evidence").addObject().put("sha256", sha).put("type", "image/png").put("size", png.length);
        submit(a, us, "incident", inc, Visibility.named("us"), 1);
        assertThat(send(a, "GET", "/api/v1/evidence/" + sha, "", null, null).statusCode()).as("restricted to us").isEqualTo(404);
        ObjectNode claim = obj().put("incident", "i-photo").put("stance", "alleges");
        claim.putObject("perpetrator").put("party", "ru");
        claim.putArray("evidence").addObject().put("sha256", sha).put("type", "image/png").put("size", png.length);
        submit(a, us, "incident", incident("i-open", "2016-09-19T10:00:00Z", 36, 35, "Aleppo"), Visibility.PUBLIC, 2);
        claim.put("incident", "i-open");
        submit(a, us, "incident.claim", claim, Visibility.PUBLIC, 3);
        HttpResponse<byte[]> pub = http.send(HttpRequest.newBuilder(URI.create(a.base() + "/api/v1/evidence/" + sha)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pub.statusCode()).as("a public claim refers to it").isEqualTo(200);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pub.body()))).isEqualTo(sha);
        assertThat(send(a, "GET", "/api/v1/evidence/" + "AB".repeat(32), "", null, null).statusCode()).isEqualTo(400);
    }

    // ---- CAP ----

    /** A notified site (a circle) or movement (a corridor with one leg), to be acknowledged by ru. */
    static ObjectNode notification(String type, String id) {
        ObjectNode n = obj().put("id", id).put("name", "Notified " + id).put("ackBy", "2016-09-19T00:00:00Z");
        if (type.equals("site")) {
            n.put("from", "2016-09-01T00:00:00Z");
        }
        n.putArray("acknowledge").add("ru");
        if (type.equals("site")) {
            n.put("category", "hospital");
            n.putObject("footprint").put("type", "circle").put("radius", 100).putArray("center").add(37.15).add(36.2);
        } else {
            ObjectNode route = n.putObject("route").put("type", "corridor").put("halfWidth", 100);
            route.putArray("coordinates").add(obj().arrayNode().add(36.72).add(36.2)).add(obj().arrayNode().add(36.95).add(36.15));
            n.putArray("legs").addObject().put("name", "outbound").put("from", "2016-09-19T06:00:00Z")
                    .put("to", "2016-09-19T12:00:00Z");
        }
        return n;
    }

    @Test
    void cap_forAnIncidentTouchingANotifiedMovement_updateRefersToThePreviousVersion() throws Exception {
        submit(a, operator, "notification.movement", notification("movement", "un-sarc-convoy"), Visibility.PUBLIC, 10);
        submit(a, operator, "notification.site", notification("site", "hospital"), Visibility.PUBLIC, 11);
        ObjectNode b = incident("i-convoy", "2016-09-19T17:00:00Z", 36.95, 36.15, "Aleppo");
        b.putArray("movements").add("un-sarc-convoy");
        JsonNode v1 = submit(a, us, "incident", b, Visibility.PUBLIC, 1);
        HttpResponse<String> first = send(a, "GET", "/api/v1/incidents/i-convoy/cap", "", null, null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type").orElse("")).startsWith("application/cap+xml");
        assertThat(first.body()).contains("<identifier>truce-i-convoy-v1</identifier>", "<sender>truce.example/a</sender>",
                "<msgType>Alert</msgType>", "<scope>Public</scope>", "<circle>36.15,36.95 0</circle>");
        submit(a, us, "incident", b.deepCopy().put("supersedes", v1.get("leafHash").asText()).put("title", "Convoy struck"),
                Visibility.PUBLIC, 2);
        String second = send(a, "GET", "/api/v1/incidents/i-convoy/cap", "", null, null).body();
        assertThat(second).contains("<identifier>truce-i-convoy-v2</identifier>", "<msgType>Update</msgType>",
                "<references>truce.example/a,truce-i-convoy-v1,2016-09-20T08:00:00-00:00</references>");
        submit(a, us, "incident", incident("i-plain", "2016-09-19T17:00:00Z", 36.95, 36.15, "Aleppo"), Visibility.PUBLIC, 3);
        assertThat(send(a, "GET", "/api/v1/incidents/i-plain/cap", "", null, null).statusCode()).isEqualTo(422);
        ObjectNode secret = incident("i-secret", "2016-09-19T17:00:00Z", 36.95, 36.15, "Aleppo");
        secret.putArray("sites").add("hospital");
        submit(a, us, "incident", secret, Visibility.named("ru"), 4);
        assertThat(send(a, "GET", "/api/v1/incidents/i-secret/cap", "", null, null).statusCode()).isEqualTo(404);
    }

    // ---- near notified objects ----

    @Test
    void incidentNearANotifiedSiteWhileItStood_isFlaggedOnBoth() throws Exception {
        submit(a, operator, "notification.site", notification("site", "hospital"), Visibility.PUBLIC, 10);
        submit(a, us, "incident", incident("i-near", "2016-09-19T17:00:00Z", 37.155, 36.2, "Aleppo"), Visibility.PUBLIC, 1);
        submit(a, us, "incident", incident("i-far", "2016-09-19T17:00:00Z", 37.3, 36.2, "Aleppo"), Visibility.PUBLIC, 2);
        JsonNode near = json(send(a, "GET", "/api/v1/incidents/i-near", "", null, null));
        assertThat(near.get("notifiedNear").findValuesAsText("id")).containsExactly("hospital");
        double gap = near.get("notifiedNear").get(0).get("gap").asDouble();
        assertThat(gap).as("447 m between the centres less the 100 m radius").isBetween(340.0, 360.0);
        assertThat(json(send(a, "GET", "/api/v1/incidents/i-near?near=300", "", null, null)).get("notifiedNear")).isEmpty();
        assertThat(json(send(a, "GET", "/api/v1/incidents/i-far", "", null, null)).get("notifiedNear")).isEmpty();
        JsonNode site = json(send(a, "GET", "/api/v1/notifications/sites/hospital", "", null, null));
        assertThat(site.get("incidentsNear").findValuesAsText("id")).containsExactly("i-near");
        assertThat(site.get("acknowledgements").get(0).get("status").asText()).as("due 2016-09-19, now the 20th")
                .isEqualTo("overdue");
        assertThat(send(a, "GET", "/api/v1/incidents/i-near?near=-1", "", null, null).statusCode()).isEqualTo(400);
        JsonNode owed = json(send(a, "GET", "/api/v1/notifications/sites?party=ru&unacknowledged=true", "", null, null));
        assertThat(owed.get("sites").findValuesAsText("id")).containsExactly("hospital");
    }

    // ---- deconfliction ----

    private static ObjectNode volume(String id) {
        ObjectNode b = obj().put("id", id).put("state", "accepted");
        b.putObject("footprint").put("type", "circle").put("radius", 3_000).putArray("center").add(37.15).add(36.2);
        b.putObject("altitude").put("lower", 0).put("upper", 3_000).put("reference", "W84");
        b.putObject("time").put("from", "2016-09-20T10:00:00Z").put("to", "2016-09-20T12:00:00Z");
        b.putArray("key");
        return b;
    }

    @Test
    void deconflict_answersTheKey_theVolumeSignedWithItIsAccepted_withoutItRefused() throws Exception {
        submit(a, operator, "notification.site", notification("site", "hospital"), Visibility.PUBLIC, 10);
        ObjectNode patrol = volume("ru-patrol");
        patrol.set("key", json(send(a, "POST", "/api/v1/deconflict", patrol.toString(), "application/json", null)).get("key"));
        assertThat(patrol.get("key").findValuesAsText("id")).containsExactly("hospital");
        submit(a, ru, "volume", patrol, Visibility.PUBLIC, 1);
        ObjectNode mine = volume("us-escort");
        JsonNode check = json(send(a, "POST", "/api/v1/deconflict", mine.toString(), "application/json", null));
        assertThat(check.get("meets").findValuesAsText("id")).containsExactlyInAnyOrder("ru-patrol", "hospital");
        assertThat(check.get("meets").findValuesAsText("owner")).containsExactlyInAnyOrder("ru", "operator");
        HttpResponse<String> refused = send(a, "POST", "/api/v1/entries", us.sign("volume", mine, Visibility.PUBLIC, List.of(), 1, T0)
                .toJson().toString(), null, null);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused).get("detail").asText()).contains("volume ru-patrol at version", "site hospital at version");
        mine.set("key", check.get("key"));
        submit(a, us, "volume", mine, Visibility.PUBLIC, 2);
        JsonNode forRu = json(send(a, "GET", "/api/v1/parties/ru/conflicts", "", null, login(a, "ru", ruKey)));
        assertThat(forRu.get("conflicts").findValuesAsText("volume")).as("its own patrol over the hospital, and the escort")
                .containsExactly("ru-patrol", "us-escort");
        assertThat(json(send(a, "GET", "/api/v1/parties/ru/conflicts", "", null, null)).get("conflicts")).as("public").isEmpty();
        assertThat(json(send(a, "GET", "/api/v1/volumes/us-escort", "", null, null)).get("meets")).hasSize(2);
        assertThat(send(a, "POST", "/api/v1/deconflict", "{}", "application/json", null).statusCode()).isEqualTo(422);
    }

    // ---- daily report ----

    @Test
    void dailyReport_countsSinceTheGivenStart_andRefusesABadDate() throws Exception {
        submit(a, us, "incident", incident("i-19", "2016-09-19T17:00:00Z", 36.96, 36.15, "Aleppo"), Visibility.PUBLIC, 1);
        submit(a, us, "incident", incident("i-18", "2016-09-18T17:00:00Z", 36.96, 36.15, "Aleppo"), Visibility.PUBLIC, 2);
        submit(a, us, "incident", incident("i-05", "2016-09-05T17:00:00Z", 36.96, 36.15, "Aleppo"), Visibility.PUBLIC, 3);
        HttpResponse<String> r = send(a, "GET", "/api/v1/reports/daily?date=2016-09-19&since=2016-09-12", "", null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.get("totals").toString()).isEqualTo("{\"day\":1,\"previousDay\":1,\"cumulative\":2}");
        assertThat(j.get("log").get("size").asLong()).isEqualTo(a.store().<Long>read(tx -> tx.size()));
        assertThat(json(send(a, "GET", "/api/v1/reports/daily?date=2016-09-19", "", null, null)).get("since").asText())
                .as("no agreement: the day itself").isEqualTo("2016-09-19");
        HttpResponse<String> html = send(a, "GET", "/api/v1/reports/daily?date=2016-09-19&since=2016-09-12&format=html", "", null,
                null);
        assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(html.body()).contains("<h1", "Incident i-19", "/incidents/i-19").doesNotContain("Incident i-05");
        HttpResponse<String> svg = send(a, "GET", "/api/v1/reports/daily?date=2016-09-19&format=svg", "", null, null);
        assertThat(svg.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        assertThat(svg.body()).contains("<svg", "Aleppo");
        assertThat(send(a, "GET", "/api/v1/reports/daily?date=2016-09-19&format=pdf", "", null, null).statusCode()).isEqualTo(400);
        assertThat(send(a, "GET", "/api/v1/reports/daily?date=2016-02-30", "", null, null).statusCode()).isEqualTo(400);
        assertThat(send(a, "GET", "/api/v1/reports/daily", "", null, null).statusCode()).isEqualTo(400);
        assertThat(send(a, "GET", "/api/v1/reports/daily?date=2016-09-19&since=2016-09-20", "", null, null).statusCode())
                .isEqualTo(400);
    }
}
