package org.truce.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.json.Json;
import org.truce.core.kind.Kinds;
import org.truce.core.ledger.Ledger;
import org.truce.server.TestClock;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.Store;
import org.truce.tlog.audit.AuditReport;
import org.truce.tlog.audit.Auditor;
import org.truce.tlog.merkle.Rfc9162;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;
import org.truce.tlog.note.Verifiers;
import org.truce.tlog.proof.TlogProof;
import org.truce.tlog.tiles.HttpTileReader;

/** The HTTP API against a real server on a random port, over a real store of each engine. */
abstract class ApiServerTest {
    private static final Instant T0 = Instant.parse("2016-02-27T00:00:00Z");

    @TempDir
    Path tmp;

    private final SecureRandom rng = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestClock clock = new TestClock(T0);
    private Store store;
    private Sequencer sequencer;
    private ApiServer server;
    private Signer checkpointKey;
    private EntrySigner operator;
    private EntrySigner us;
    private String base;

    /** A new, empty store of the engine under test. */
    protected abstract Store openStore(Path dir);

    @BeforeEach
    void start() throws Exception {
        store = openStore(tmp);
        checkpointKey = NoteKeys.parseSigner(NoteKeys.generate("truce.example/api", NoteKeys.TYPE_ED25519, rng).privateKey());
        startServer(Sequencer.Options.DEFAULT);
        operator = EntrySigner.fromPrivateKey(NoteKeys.generate(PartyId.OPERATOR, NoteKeys.TYPE_ED25519, rng).privateKey());
        us = EntrySigner.fromPrivateKey(NoteKeys.generate("us", NoteKeys.TYPE_ED25519, rng).privateKey());
        ObjectNode g = obj().put("origin", "truce.example/api").put("name", "Operator")
                .put("checkpointKey", checkpointKey.verifier().vkey()).put("entryKey", operator.vkey());
        assertThat(post(operator.sign("genesis", g, Visibility.PUBLIC, List.of(), 1, T0)).statusCode()).isEqualTo(201);
        ObjectNode p = obj().put("id", "us").put("name", "United States");
        p.putArray("roles").add("party");
        p.putArray("keys").add(us.vkey());
        assertThat(post(operator.sign("party", p, Visibility.PUBLIC, List.of(), 2, T0)).statusCode()).isEqualTo(201);
    }

    private void startServer(Sequencer.Options options) {
        sequencer = new Sequencer(store, Ledger.standard(), checkpointKey, clock, options);
        server = new ApiServer(store, sequencer, Kinds.standard(), clock).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    private void stopServer() {
        server.close();
        sequencer.close();
    }

    @AfterEach
    void stop() {
        stopServer();
        store.close();
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    private HttpResponse<String> post(Submission s) throws Exception {
        return postRaw(s.toJson().toString().getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> postRaw(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/entries"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode partyBody(String id) {
        ObjectNode p = obj().put("id", id).put("name", id.toUpperCase());
        p.putArray("roles").add("party");
        p.putArray("keys");
        return p;
    }

    // ---- submissions ----

    @Test
    void post_entry_answers201WithIndexLeafHashAndCheckpoint_andResendAnswers200SameIndex() throws Exception {
        Submission s = operator.sign("party", partyBody("ru"), Visibility.PUBLIC, List.of(), 3, T0);
        HttpResponse<String> r = post(s);
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode j = json(r);
        assertThat(j.get("index").asLong()).isEqualTo(2);
        assertThat(j.get("checkpoint").asText()).startsWith("truce.example/api\n3\n");
        HttpResponse<String> again = post(s);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("index").asLong()).isEqualTo(2);
    }

    @Test
    void post_badInput_answersTheDocumentedProblemAndChangesNothing() throws Exception {
        long before = store.read(tx -> tx.size());
        assertProblem(postRaw("{not json".getBytes(StandardCharsets.UTF_8)), 400, "malformed-entry");
        assertProblem(postRaw(new byte[ApiServer.MAX_BODY + 10]), 413, "too-large");
        ObjectNode bad = partyBody("ru").put("colour", "red");
        assertProblem(post(operator.sign("party", bad, Visibility.PUBLIC, List.of(), 3, T0)), 422, "schema-violation");
        assertProblem(post(operator.sign("party", partyBody("ru"), Visibility.PUBLIC, List.of(), 2, T0)), 409, "replayed-seq");
        assertProblem(post(us.sign("party", partyBody("ru"), Visibility.PUBLIC, List.of(), 1, T0)), 403, "not-allowed");
        EntrySigner stranger = EntrySigner.fromPrivateKey(NoteKeys.generate("xx", NoteKeys.TYPE_ED25519, rng).privateKey());
        assertProblem(post(stranger.sign("party", partyBody("ru"), Visibility.PUBLIC, List.of(), 1, T0)), 401, "unknown-key");
        assertThat(store.read(tx -> tx.size()).longValue()).isEqualTo(before);
    }

    private static void assertProblem(HttpResponse<String> r, int status, String slug) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode p = json(r);
        assertThat(p.get("type").asText()).isEqualTo(Problems.TYPE_BASE + slug);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asText()).isNotBlank();
    }

    // ---- the log over HTTP ----

    @Test
    void log_auditedOverHttp_verifiesAndProvesAnEntryOffline() throws Exception {
        for (int i = 0; i < 300; i++) {
            assertThat(post(operator.sign("party", partyBody("p" + i), Visibility.PUBLIC, List.of(), 3 + i, T0)).statusCode())
                    .isEqualTo(201);
        }
        HttpResponse<String> cp = get("/log/checkpoint");
        assertThat(cp.statusCode()).isEqualTo(200);
        assertThat(cp.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(get("/log/tile/0/000").headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        AuditReport report = new Auditor(new HttpTileReader(URI.create(base + "/log/"), Duration.ofSeconds(10)),
                checkpointKey.verifier()).audit(null, Auditor.Progress.NONE);
        assertThat(report).isInstanceOf(AuditReport.Verified.class);
        assertThat(((AuditReport.Verified) report).checkpoint().checkpoint().size()).isEqualTo(302);

        HttpResponse<String> proof = get("/log/proof/150");
        assertThat(proof.statusCode()).isEqualTo(200);
        TlogProof p = TlogProof.parse(proof.body().getBytes(StandardCharsets.UTF_8));
        p.verifyExtra(checkpointKey.verifier(), Verifiers.of(checkpointKey.verifier()));
        assertThat(p.index()).isEqualTo(150);
        assertThat(Rfc9162.leafHash(p.extra())).isNotNull();
    }

    @Test
    void get_entry_answersTheLeafThatHashesToItsLeafHash_andTheBodyOnlyToThoseWhoMayReadIt() throws Exception {
        register("ru", 3);
        ObjectNode open = obj().put("subject", "Crossing").put("text", "Bab al-Hawa open at 06:00 \u00ab\u0628\u0627\u0628\u00bb, \"quoted\"");
        open.putArray("to").add("ru");
        ObjectNode closed = obj().put("subject", "Route").put("text", "Between us two.");
        closed.putArray("to").add("ru");
        long openIndex = json(post(us.sign("message", open, Visibility.PUBLIC, List.of(), 1, T0))).get("index").asLong();
        long closedIndex = json(post(us.sign("message", closed, Visibility.named("us", "ru"), List.of(), 2, T0))).get("index").asLong();

        HttpResponse<String> r = get("/api/v1/entries/" + openIndex);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode e = json(r);
        assertThat(e.get("index").asLong()).isEqualTo(openIndex);
        assertThat(e.get("leafHash").asText()).isEqualTo(Rfc9162.leafHash(Json.canonical(e.get("leaf"))).base64());
        assertThat(e.get("leaf").get("entry").get("kind").asText()).isEqualTo("message");
        assertThat(e.get("body")).isEqualTo(open);
        assertThat(e.has("bodyWithheld")).isFalse();

        JsonNode hidden = json(get("/api/v1/entries/" + closedIndex));
        assertThat(hidden.get("leafHash").asText()).isEqualTo(Rfc9162.leafHash(Json.canonical(hidden.get("leaf"))).base64());
        assertThat(hidden.has("body")).isFalse();
        assertThat(hidden.get("bodyWithheld").asBoolean()).isTrue();

        assertProblem(get("/api/v1/entries/" + (closedIndex + 1)), 404, "not-found");
        assertProblem(get("/api/v1/entries/-1"), 400, "bad-index");
    }

    @Test
    void get_schemasAndUnknownPaths_answerSchemaOrProblem() throws Exception {
        HttpResponse<String> s = get("/api/v1/schemas/message");
        assertThat(s.statusCode()).isEqualTo(200);
        assertThat(json(s).get("title").asText()).isEqualTo("message");
        assertProblem(get("/api/v1/schemas/strike"), 404, "unknown-kind");
        assertProblem(get("/log/tile/0/x000/001"), 400, "bad-tile-path");
        assertProblem(get("/log/tile/0/999"), 404, "not-found");
        assertProblem(get("/log/proof/12345"), 404, "not-found");
        assertProblem(get("/log/proof/abc"), 400, "bad-index");
        assertThat(get("/healthz").body()).isEqualTo("ok\n");
        HttpResponse<String> openapi = get("/api/v1/openapi.json");
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(json(openapi).get("openapi").asText()).startsWith("3.1.");
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("truce_entries_sequenced_total", "truce_submit_seconds", "jvm_memory_used_bytes");
    }

    // ---- the hotline over HTTP ----

    /** Registers a party with a fresh key, signed by the operator with the given seq. */
    private EntrySigner register(String id, long seq) throws Exception {
        EntrySigner s = EntrySigner.fromPrivateKey(NoteKeys.generate(id, NoteKeys.TYPE_ED25519, rng).privateKey());
        ObjectNode p = partyBody(id);
        ((com.fasterxml.jackson.databind.node.ArrayNode) p.get("keys")).add(s.vkey());
        assertThat(post(operator.sign("party", p, Visibility.PUBLIC, List.of(), seq, T0)).statusCode()).isEqualTo(201);
        return s;
    }

    private List<String> statuses(String messageId) throws Exception {
        HttpResponse<String> r = get("/api/v1/hotline/message?id=" + URLEncoder.encode(messageId, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("recipients").findValuesAsText("status");
    }

    @Test
    void hotline_acknowledgedOverHttp_andOverdueOnceTheClockPassesTheDeadline() throws Exception {
        EntrySigner ru = register("ru", 3);
        EntrySigner sy = register("sy", 4);
        ObjectNode m = obj().put("subject", "Convoy route").put("text", "Confirm the route by 06:00.")
                .put("ackBy", "2016-02-27T06:00:00Z");
        m.putArray("to").add("ru").add("sy");
        HttpResponse<String> sent = post(us.sign("message", m, Visibility.PUBLIC, List.of(), 1, T0));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        String id = json(sent).get("leafHash").asText();
        assertThat(statuses(id)).containsExactly("awaiting", "awaiting");

        clock.advance(Duration.ofHours(1));
        HttpResponse<String> ack = post(ru.sign("message.ack", obj().put("message", id), Visibility.PUBLIC, List.of(), 1,
                clock.instant()));
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(201);
        assertThat(statuses(id)).containsExactly("acknowledged", "awaiting");

        clock.advance(Duration.ofHours(6));
        assertThat(statuses(id)).containsExactly("acknowledged", "overdue");
        JsonNode inbox = json(get("/api/v1/hotline/sy/inbox"));
        assertThat(inbox.get("messages").findValuesAsText("id")).containsExactly(id);
        assertThat(json(get("/api/v1/hotline/us/outbox")).get("messages").get(0).get("recipients").get(1).get("status")
                .asText()).isEqualTo("overdue");
        HttpResponse<String> late = post(sy.sign("message.ack", obj().put("message", id), Visibility.PUBLIC, List.of(), 1,
                clock.instant()));
        assertThat(late.statusCode()).as("a late acknowledgement is still recorded").isEqualTo(201);
        assertThat(statuses(id)).containsExactly("acknowledged", "acknowledged");
    }

    // ---- agreements and actors over HTTP ----

    private String submit(EntrySigner s, String kind, ObjectNode body, long seq, Instant at) throws Exception {
        HttpResponse<String> r = post(s.sign(kind, body, Visibility.PUBLIC, List.of(), seq, at));
        assertThat(r.statusCode()).as("%s: %s", kind, r.body()).isEqualTo(201);
        return json(r).get("leafHash").asText();
    }

    /** The ids of the objects of an array, not of anything nested in them. */
    private static List<String> ids(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return json(r);
    }

    /**
     * Records, by T0 + 2 h: ru and sy registered, ctf the monitor; agreement "a1" between us and ru inviting
     * sy, whose acceptance step sy has reported and ctf assessed full, and a step us and ru owe together
     * 24 hours after that; agreement "a2" between us and ru with one step due at T0 + 1 h; actor isil.
     */
    private void agreements() throws Exception {
        EntrySigner ru = register("ru", 3);
        EntrySigner sy = register("sy", 4);
        EntrySigner ctf = register("ctf", 5);
        ObjectNode a1 = obj().put("id", "a1").put("title", "Cessation").put("text", "The terms.")
                .put("effective", "2016-02-27T00:00:00Z").put("timeZone", "Asia/Damascus");
        a1.putArray("parties").add("us").add("ru");
        a1.putArray("invited").add("sy");
        a1.putArray("monitors").add("ctf");
        ObjectNode accept = a1.putArray("steps").addObject().put("id", "accept").put("title", "Acceptance")
                .put("fulfilment", "sy confirms");
        accept.putArray("obligated").add("sy");
        accept.putObject("deadline").put("at", "2016-02-27T01:00:00Z");
        ObjectNode jic = ((com.fasterxml.jackson.databind.node.ArrayNode) a1.get("steps")).addObject().put("id", "jic")
                .put("title", "Joint centre").put("fulfilment", "set up").put("phase", 2).put("collectively", true);
        jic.putArray("obligated").add("us").add("ru");
        jic.putArray("preconditions").add("accept");
        jic.putObject("deadline").put("offset", "PT24H").putObject("after").put("event", "assessed-full").put("step", "accept");
        submit(us, "agreement", a1, 1, T0);
        ObjectNode a2 = obj().put("id", "a2").put("title", "Flights").put("text", "Safe distances.")
                .put("effective", "2016-02-27T00:00:00Z");
        a2.putArray("parties").add("us").add("ru");
        ObjectNode line = a2.putArray("steps").addObject().put("id", "line").put("title", "Communication line")
                .put("fulfilment", "a line");
        line.putArray("obligated").add("ru");
        line.putObject("deadline").put("at", "2016-02-27T01:00:00Z");
        submit(ru, "agreement", a2, 1, T0);
        submit(sy, "agreement.accept", obj().put("agreement", "a1"), 1, T0.plusSeconds(600));
        String report = submit(sy, "step.report", obj().put("agreement", "a1").put("step", "accept")
                .put("statement", "Claim of sy: accepted."), 2, T0.plusSeconds(900));
        submit(ctf, "step.assessment", obj().put("agreement", "a1").put("step", "accept").put("score", 3)
                .put("reasons", "confirmed").put("report", report), 1, T0.plusSeconds(1800));
        ObjectNode isil = obj().put("id", "isil").put("name", "Islamic State").put("type", "armed-group")
                .put("source", "UN Security Council designation");
        isil.putArray("aliases").add("Daesh");
        submit(operator, "actor", isil, 6, T0);
        submit(operator, "actor.status", obj().put("actor", "isil").put("status", "excluded").put("from", "2016-02-27T01:00:00Z")
                .put("agreement", "a1").put("source", "the terms"), 7, T0.plusSeconds(3600));
        clock.advance(Duration.ofHours(2));
    }

    @Test
    void agreements_listed_withTheirTermsAndStepsCountedByStatus_inPages() throws Exception {
        agreements();
        JsonNode all = getJson("/api/v1/agreements");
        assertThat(all.get("asOf").asText()).isEqualTo("2016-02-27T02:00:00Z");
        assertThat(ids(all.get("agreements"))).containsExactly("a1", "a2");
        JsonNode a1 = all.get("agreements").get(0);
        assertThat(a1.get("parties").toString()).isEqualTo("[\"us\",\"ru\"]");
        assertThat(a1.get("invited").toString()).isEqualTo("[\"sy\"]");
        assertThat(a1.get("effective").asText()).isEqualTo("2016-02-27T00:00:00Z");
        assertThat(a1.get("steps").asInt()).isEqualTo(2);
        assertThat(a1.get("statuses").get("fulfilled").asInt()).isEqualTo(1);
        assertThat(a1.get("statuses").get("due").asInt()).isEqualTo(1);
        assertThat(a1.get("statuses").get("overdue").asInt()).isZero();
        assertThat(all.get("agreements").get(1).get("statuses").get("overdue").asInt()).isEqualTo(1);
        assertThat(all.has("next")).isFalse();

        JsonNode first = getJson("/api/v1/agreements?limit=1");
        assertThat(ids(first.get("agreements"))).containsExactly("a1");
        assertThat(first.get("next").asText()).isEqualTo("a1");
        JsonNode second = getJson("/api/v1/agreements?limit=1&after=a1");
        assertThat(ids(second.get("agreements"))).containsExactly("a2");
        assertThat(second.has("next")).isFalse();
        assertThat(getJson("/api/v1/agreements?at=2016-02-26T23:59:59Z").get("agreements")).isEmpty();
    }

    @Test
    void agreement_statusAndTimeline_asOfAMoment() throws Exception {
        agreements();
        JsonNode before = getJson("/api/v1/agreements/a1?at=2016-02-27T00:05:00Z");
        assertThat(before.get("steps").findValuesAsText("status")).containsExactly("due", "blocked");
        assertThat(before.get("steps").get(1).get("blockedOn").get(0).get("step").asText()).isEqualTo("accept");
        assertThat(before.get("obligations").get("sy").get("blocking").get(0).asText()).isEqualTo("jic");

        JsonNode now = getJson("/api/v1/agreements/a1");
        assertThat(now.get("asOf").asText()).isEqualTo("2016-02-27T02:00:00Z");
        assertThat(now.get("steps").findValuesAsText("status")).containsExactly("fulfilled", "due");
        assertThat(now.get("steps").get(1).get("deadline").asText()).isEqualTo("2016-02-28T00:30:00Z");
        assertThat(now.get("obligations").get("sy").get("standing").asText()).isEqualTo("accepted");
        assertThat(now.get("criticalPath").get("phase").asInt()).isEqualTo(2);

        JsonNode t = getJson("/api/v1/agreements/a1/timeline?at=2016-02-27T02:00:00.5Z");
        assertThat(t.get("events").findValuesAsText("what")).contains("agreement recorded", "accepted",
                "reported step accept", "assessed step accept: 3");
        assertThat(t.get("deadlines").get("jic").get(0).get("rule").asText()).isEqualTo("PT24H after step accept is assessed full");
    }

    @Test
    void obligations_ofAParty_groupedByStatus_perAgreementNamingIt() throws Exception {
        agreements();
        JsonNode ru = getJson("/api/v1/parties/ru/obligations");
        assertThat(ru.get("party").asText()).isEqualTo("ru");
        assertThat(ids(ru.get("agreements"))).containsExactly("a1", "a2");
        JsonNode a1 = ru.get("agreements").get(0);
        assertThat(a1.get("standing").asText()).isEqualTo("party");
        assertThat(ids(a1.get("steps").get("due"))).containsExactly("jic");
        assertThat(a1.get("steps").get("fulfilled")).isEmpty();
        assertThat(ids(ru.get("agreements").get(1).get("steps").get("overdue"))).containsExactly("line");

        JsonNode sy = getJson("/api/v1/parties/sy/obligations?at=2016-02-27T00:05:00Z");
        assertThat(ids(sy.get("agreements"))).containsExactly("a1");
        assertThat(sy.get("agreements").get(0).get("standing").asText()).isEqualTo("invited");
        assertThat(ids(sy.get("agreements").get(0).get("steps").get("due"))).containsExactly("accept");
        assertThat(sy.get("agreements").get(0).get("blocking").get(0).asText()).isEqualTo("jic");
        JsonNode us = getJson("/api/v1/parties/us/obligations?at=2016-02-27T00:05:00Z");
        JsonNode blocked = us.get("agreements").get(0).get("steps").get("blocked").get(0);
        assertThat(blocked.get("id").asText()).isEqualTo("jic");
        assertThat(blocked.get("blockedOn").get(0).get("parties").get(0).asText()).isEqualTo("sy");
        assertThat(getJson("/api/v1/parties/us/obligations?limit=1").get("next").asText()).isEqualTo("a1");
    }

    @Test
    void actors_foundByAnyName_andShownAsOfAMoment() throws Exception {
        agreements();
        assertThat(getJson("/api/v1/actors").get("actors").toString()).isEqualTo("[\"isil\"]");
        assertThat(getJson("/api/v1/actors?name=daesh").get("actors").toString()).isEqualTo("[\"isil\"]");
        assertThat(getJson("/api/v1/actors?name=" + URLEncoder.encode("Islamic State", StandardCharsets.UTF_8))
                .get("actors")).hasSize(1);
        assertThat(getJson("/api/v1/actors?name=nobody").get("actors")).isEmpty();
        JsonNode isil = getJson("/api/v1/actors/isil");
        assertThat(isil.get("currentName").asText()).isEqualTo("Islamic State");
        assertThat(isil.get("status").asText()).isEqualTo("excluded");
        assertThat(isil.get("asOf").asText()).isEqualTo("2016-02-27T02:00:00Z");
        assertThat(getJson("/api/v1/actors/isil?at=2016-02-27T00:30:00Z").get("status").asText()).isEqualTo("unknown");
    }

    @Test
    void agreementAndActorRoutes_badOrUnknownParameters_answerProblemsNamingTheParameter() throws Exception {
        agreements();
        for (String path : List.of("/api/v1/agreements?at=yesterday", "/api/v1/agreements/a1?at=2016-02-30T00:00:00Z",
                "/api/v1/agreements/a1/timeline?at=2016-02-27T24:00:00Z", "/api/v1/agreements/a1?at=2016-02-27T00:00:00%2B03:00",
                "/api/v1/parties/us/obligations?at=", "/api/v1/actors/isil?at=2016-02-27")) {
            assertProblem(get(path), 400, "bad-time");
            assertThat(json(get(path)).get("detail").asText()).as(path).startsWith("at: ");
        }
        assertProblem(get("/api/v1/agreements/A1"), 400, "bad-agreement");
        assertThat(json(get("/api/v1/agreements/A1/timeline")).get("detail").asText()).startsWith("agreement: ");
        assertProblem(get("/api/v1/agreements/" + "a".repeat(65)), 400, "bad-agreement");
        assertProblem(get("/api/v1/agreements/nope"), 404, "not-found");
        assertProblem(get("/api/v1/agreements/nope/timeline"), 404, "not-found");
        assertProblem(get("/api/v1/agreements/a1?at=2016-02-26T00:00:00Z"), 404, "not-found");
        assertProblem(get("/api/v1/agreements?limit=0"), 400, "bad-limit");
        assertProblem(get("/api/v1/agreements?after=Not%20an%20id"), 400, "bad-cursor");
        assertProblem(get("/api/v1/parties/US/obligations"), 400, "bad-party");
        assertProblem(get("/api/v1/parties/zz/obligations"), 404, "not-found");
        assertProblem(get("/api/v1/parties/us/obligations?limit=501"), 400, "bad-limit");
        assertProblem(get("/api/v1/actors/Isil"), 400, "bad-actor");
        assertProblem(get("/api/v1/actors/hamas"), 404, "not-found");
        assertThat(json(get("/api/v1/actors/hamas")).get("detail").asText()).startsWith("actor: ");
        assertProblem(get("/api/v1/actors?name="), 400, "bad-name");
        assertProblem(get("/api/v1/actors?name=" + "x".repeat(201)), 400, "bad-name");
        assertProblem(get("/api/v1/actors?name=a%0Ab"), 400, "bad-name");
        assertProblem(get("/api/v1/actors?after=ISIL"), 400, "bad-cursor");
    }

    // ---- back-pressure ----

    @Test
    void post_whileTheQueueIsFull_answers503WithRetryAfter_andTheAcceptedEntriesLandOnceItDrains() throws Exception {
        List<EntrySigner> senders = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            senders.add(register("p" + i, 3 + i));
        }
        stopServer();
        startServer(new Sequencer.Options(1, Duration.ZERO, 1));
        long before = store.read(tx -> tx.size());
        java.util.concurrent.Semaphore release = new java.util.concurrent.Semaphore(0);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        Thread blocker = new Thread(() -> store.write(tx -> {
            holding.countDown();
            release.acquireUninterruptibly();
            return null;
        }));
        blocker.start();
        holding.await();

        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
        List<Submission> sent = new java.util.ArrayList<>();
        for (EntrySigner s : senders) {
            ObjectNode m = obj().put("subject", "s").put("text", "t");
            m.putArray("to").add("us");
            Submission sub = s.sign("message", m, Visibility.PUBLIC, List.of(), 1, T0);
            sent.add(sub);
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/entries"))
                    .POST(HttpRequest.BodyPublishers.ofString(sub.toJson().toString())).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // The writer holds at most one entry and the queue one more: the other four are refused at once.
        while (answers.stream().filter(java.util.concurrent.CompletableFuture::isDone).count() < 4) {
            Thread.sleep(10);
        }
        release.release();
        blocker.join();
        // Every accepted entry is answered once durable: after all answers are in, the queue is empty,
        // so a retry cannot meet an entry accepted earlier that is still waiting for the writer.
        List<HttpResponse<String>> answered = new java.util.ArrayList<>();
        for (java.util.concurrent.CompletableFuture<HttpResponse<String>> a : answers) {
            answered.add(a.get());
        }
        int accepted = 0;
        for (int i = 0; i < answered.size(); i++) {
            HttpResponse<String> r = answered.get(i);
            if (r.statusCode() == 503) {
                assertProblem(r, 503, "overloaded");
                assertThat(r.headers().firstValue("Retry-After")).contains("1");
                HttpResponse<String> retry = post(sent.get(i));
                assertThat(retry.statusCode()).as("the retry after the queue drained").isEqualTo(201);
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                accepted++;
            }
        }
        assertThat(accepted).isBetween(1, 2);
        assertThat(store.read(tx -> tx.size()).longValue()).isEqualTo(before + 6);
    }
}
