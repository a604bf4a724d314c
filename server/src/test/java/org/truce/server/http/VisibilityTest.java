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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.PartyId;
import org.truce.core.entry.Visibility;
import org.truce.core.json.Json;
import org.truce.core.kind.Kinds;
import org.truce.core.ledger.Ledger;
import org.truce.server.TestClock;
import org.truce.server.access.Sessions;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.Logins;
import org.truce.store.Store;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;

/**
 * A restricted body is never returned to a reader outside its visibility: every route of
 * {@link Route#ALL}, with every entry, party, message, key, kind and tile as its parameters, called as
 * the public, with a forged token, with an expired session, and as each party and the operator.
 */
abstract class VisibilityTest {
    private static final Instant T0 = Instant.parse("2016-09-12T16:00:00Z");
    private static final String NAMED = "NAMED-ONLY-US-RU";
    private static final String PARTIES = "PARTIES-ONLY";
    private static final String PUBLIC = "PUBLIC-TEXT";

    @TempDir
    Path tmp;

    private final SecureRandom rng = new SecureRandom();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, EntrySigner> parties = new LinkedHashMap<>();
    private final List<String> messageIds = new ArrayList<>();
    private final Map<String, String> privateKeys = new LinkedHashMap<>();
    private final List<String> submissions = new ArrayList<>();
    private final TestClock clock = new TestClock(T0);
    private Store store;
    private String evidence;
    private EntrySigner operator;
    private Sequencer sequencer;
    private ApiServer server;
    private String base;

    /** A new, empty store of the engine under test. */
    protected abstract Store openStore(Path dir);

    /** Where the engine keeps login challenges and sessions: this process's memory, or the database. */
    protected abstract Logins logins(Store store);

    @BeforeEach
    void start() throws Exception {
        store = openStore(tmp);
        Signer cp = NoteKeys.parseSigner(NoteKeys.generate("truce.example/vis", NoteKeys.TYPE_ED25519, rng).privateKey());
        sequencer = new Sequencer(store, Ledger.standard(), cp, clock, Sequencer.Options.DEFAULT);
        server = new ApiServer(store, sequencer, Kinds.standard(), clock, RateLimits.Options.DEFAULT, logins(store))
                .start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
        EntrySigner op = signer(PartyId.OPERATOR);
        operator = op;
        ObjectNode g = obj().put("origin", "truce.example/vis").put("name", "Operator")
                .put("checkpointKey", cp.verifier().vkey()).put("entryKey", op.vkey());
        submit(op, "genesis", g, Visibility.PUBLIC, 1);
        long seq = 1;
        for (String id : List.of("us", "ru", "sy")) {
            EntrySigner s = signer(id);
            parties.put(id, s);
            ObjectNode b = obj().put("id", id).put("name", id.toUpperCase());
            b.putArray("roles").add("party");
            b.putArray("keys").add(s.vkey());
            submit(op, "party", b, Visibility.PUBLIC, ++seq);
        }
        messageIds.add(message("us", "ru", NAMED, Visibility.named("ru", "us"), 1));
        messageIds.add(message("ru", "us", PARTIES, Visibility.PARTIES, 1));
        messageIds.add(message("sy", "us", PUBLIC, Visibility.PUBLIC, 1));
        agreementsAndActors();
        incidents();
    }

    /**
     * A public incident with a public claim, a claim for the parties and one for us and ru that refers
     * to an evidence file; an incident for us and ru and one for the parties.
     */
    private void incidents() throws Exception {
        EntrySigner us = parties.get("us");
        EntrySigner ru = parties.get("ru");
        EntrySigner sy = parties.get("sy");
        String token = login("us");
        HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/evidence"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(NAMED + " evidence file")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        evidence = Json.parse(up.body().getBytes(StandardCharsets.UTF_8)).get("sha256").asText();
        submit(operator, "notification.site",
                IncidentApiTest.notification("site", "hospital"), Visibility.PUBLIC, 5);
        submit(us, "incident", incident("open-incident", PUBLIC + " incident"), Visibility.PUBLIC, 9);
        submit(us, "incident", incident("secret-incident", NAMED + " incident"), Visibility.named("ru", "us"), 10);
        submit(ru, "incident", incident("party-incident", PARTIES + " incident"), Visibility.PARTIES, 5);
        ObjectNode denial = obj().put("incident", "open-incident").put("stance", "denies").put("statement", NAMED + " claim");
        denial.putArray("evidence").addObject().put("sha256", evidence).put("type", "text/plain").put("size", 30);
        submit(ru, "incident.claim", denial, Visibility.named("ru", "us"), 6);
        ObjectNode blame = obj().put("incident", "open-incident").put("stance", "alleges").put("statement", PUBLIC + " claim");
        blame.putObject("perpetrator").put("party", "ru");
        submit(sy, "incident.claim", blame, Visibility.PUBLIC, 2);
        ObjectNode second = obj().put("incident", "open-incident").put("stance", "alleges").put("statement", PARTIES + " claim");
        second.putObject("perpetrator").put("party", "ru");
        submit(us, "incident.claim", second, Visibility.PARTIES, 11);
        ObjectNode secretSite = IncidentApiTest.notification("site", "secret-site").put("name", NAMED + " site");
        submit(us, "notification.site", secretSite, Visibility.named("ru", "us"), 12);
        ObjectNode hidden = obj().put("id", "hidden-area").put("actor", "open-group").put("claim", "control")
                .put("from", "2016-09-01T00:00:00Z").put("note", NAMED + " area");
        hidden.set("footprint", IncidentApiTest.notification("site", "x").get("footprint"));
        submit(us, "area.declaration", hidden, Visibility.named("ru", "us"), 13);
    }

    private static ObjectNode incident(String id, String title) {
        ObjectNode b = obj().put("id", id).put("title", title);
        b.putObject("time").put("from", "2016-09-12T15:00:00Z").put("to", "2016-09-12T15:30:00Z").putObject("precision")
                .put("scheme", "acled").put("code", 1);
        ObjectNode loc = b.putObject("location");
        loc.putArray("point").add(37.1).add(36.2);
        loc.putObject("precision").put("scheme", "acled").put("code", 1);
        loc.put("admin1", "Aleppo").put("place", title);
        b.putObject("type").put("event", "Explosions/Remote violence").put("subEvent", "Air/drone strike");
        b.putArray("sites").add("hospital");
        b.put("summary", title);
        return b;
    }

    /**
     * A public agreement with a report and an extension request restricted to us and ru and a report for
     * every party; an agreement restricted to us and ru and one to the parties; a public actor with an
     * alias for the parties and a status for us and ru, and an actor restricted to us and ru.
     */
    private void agreementsAndActors() throws Exception {
        EntrySigner us = parties.get("us");
        EntrySigner ru = parties.get("ru");
        submit(us, "agreement", agreement("open-terms", PUBLIC + " terms"), Visibility.PUBLIC, 2);
        submit(us, "agreement", agreement("secret-terms", NAMED + " terms"), Visibility.named("ru", "us"), 3);
        submit(ru, "agreement", agreement("party-terms", PARTIES + " terms"), Visibility.PARTIES, 2);
        submit(us, "step.report", obj().put("agreement", "open-terms").put("step", "s1").put("statement", NAMED + " report"),
                Visibility.named("ru", "us"), 4);
        submit(ru, "step.report", obj().put("agreement", "open-terms").put("step", "s1").put("statement", PARTIES + " report"),
                Visibility.PARTIES, 3);
        submit(us, "deadline.extension", obj().put("agreement", "open-terms").put("step", "s1")
                .put("until", "2016-09-20T00:00:00Z").put("reason", NAMED + " reason"), Visibility.named("ru", "us"), 5);
        submit(us, "actor", obj().put("id", "open-group").put("name", "Open Group").put("type", "armed-group")
                .put("source", PUBLIC + " source"), Visibility.PUBLIC, 6);
        submit(us, "actor", obj().put("id", "hidden-group").put("name", "Hidden Group").put("type", "militia")
                .put("source", NAMED + " source"), Visibility.named("ru", "us"), 7);
        submit(ru, "actor.name", obj().put("actor", "open-group").put("name", PARTIES + " alias").put("change", "alias")
                .put("source", "a party"), Visibility.PARTIES, 4);
        submit(us, "actor.status", obj().put("actor", "open-group").put("status", "excluded").put("from", T0.toString())
                .put("agreement", "open-terms").put("source", NAMED + " status"), Visibility.named("ru", "us"), 8);
    }

    private static ObjectNode agreement(String id, String text) {
        ObjectNode a = obj().put("id", id).put("title", "Terms " + id).put("text", text).put("effective", T0.toString());
        a.putArray("parties").add("us").add("ru");
        a.putArray("invited").add("sy");
        ObjectNode s1 = a.putArray("steps").addObject().put("id", "s1").put("title", "Step one").put("fulfilment", "done");
        s1.putArray("obligated").add("us").add("ru");
        s1.putObject("deadline").put("at", "2016-09-13T16:00:00Z");
        return a;
    }

    @AfterEach
    void stop() {
        server.close();
        sequencer.close();
        store.close();
    }

    private EntrySigner signer(String id) throws Exception {
        String key = NoteKeys.generate(id, NoteKeys.TYPE_ED25519, rng).privateKey();
        privateKeys.put(id, key);
        return EntrySigner.fromPrivateKey(key);
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    private JsonNode submit(EntrySigner s, String kind, ObjectNode body, Visibility v, long seq) throws Exception {
        String submission = s.sign(kind, body, v, List.of(), seq, T0).toJson().toString();
        submissions.add(submission);
        HttpResponse<String> r = post("/api/v1/entries", submission);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private String message(String from, String to, String text, Visibility v, long seq) throws Exception {
        ObjectNode b = obj().put("subject", "subject " + text).put("text", text);
        b.putArray("to").add(to);
        return submit(parties.get(from), "message", b, v, seq).get("leafHash").asText();
    }

    private String login(String party) throws Exception {
        String challenge = Json.parse(post("/api/v1/login/challenge", "{}").body().getBytes(StandardCharsets.UTF_8))
                .get("challenge").asText();
        byte[] sig = NoteKeys.parseSigner(privateKeys.get(party)).sign(Sessions.signedMessage(challenge));
        ObjectNode req = obj().put("key", privateKeyRef(party)).put("challenge", challenge)
                .put("sig", Base64.getEncoder().encodeToString(sig));
        HttpResponse<String> r = post("/api/v1/login", req.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Set-Cookie").orElse("")).contains("HttpOnly", "SameSite=Strict");
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("token").asText();
    }


    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(Route route, String path, String body, @Nullable String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        b = route.method() == Route.Method.GET ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every value this log has for each parameter a route can take. */
    private Map<String, List<String>> parameterValues() {
        long size = store.read(tx -> tx.size());
        List<String> indexes = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            indexes.add(Long.toString(i));
        }
        List<String> keyRefs = new ArrayList<>();
        keyRefs.add(privateKeyRef(PartyId.OPERATOR));
        parties.values().forEach(p -> keyRefs.add(p.keyRef()));
        Map<String, List<String>> v = new LinkedHashMap<>();
        v.put("index", indexes);
        v.put("party", List.of(PartyId.OPERATOR, "us", "ru", "sy"));
        v.put("kind", List.copyOf(Kinds.standard().names()));
        v.put("ref", keyRefs);
        v.put("path", List.of("0/000.p/" + size, "entries/000.p/" + size));
        v.put("id", messageIds.stream().map(id -> URLEncoder.encode(id, StandardCharsets.UTF_8)).toList());
        v.put("agreement", List.of("open-terms", "secret-terms", "party-terms", "no-such-terms"));
        v.put("actor", List.of("open-group", "hidden-group", "no-such-group"));
        v.put("incident", List.of("open-incident", "secret-incident", "party-incident", "no-such-incident"));
        v.put("sha256", List.of(evidence, "00".repeat(32)));
        v.put("site", List.of("hospital", "secret-site", "no-such-site"));
        v.put("movement", List.of("no-such-movement"));
        v.put("volume", List.of("no-such-volume"));
        return v;
    }

    /** Every value the walk gives a query parameter: a real cursor of each kind, times around the records, names. */
    private Map<String, List<String>> queryValues(Map<String, List<String>> values) {
        Map<String, List<String>> v = new LinkedHashMap<>();
        v.put("id", values.get("id"));
        List<String> after = new ArrayList<>(values.get("id"));
        after.addAll(List.of("open-terms", "secret-terms", "open-group", "hidden-group", "open-incident"));
        v.put("after", after);
        v.put("limit", List.of("1", "500"));
        v.put("at", List.of("2016-09-12T15:00:00Z", "2016-09-13T00:00:00Z", "2030-01-01T00:00:00Z"));
        v.put("name", List.of("Open%20Group", "Hidden%20Group", URLEncoder.encode(PARTIES + " alias", StandardCharsets.UTF_8)));
        v.put("actor", values.get("actor"));
        v.put("party", values.get("party"));
        v.put("from", List.of("2016-09-12T00:00:00Z"));
        v.put("to", List.of("2016-09-13T00:00:00Z"));
        v.put("bbox", List.of("36,35,38,37", "170,-10,-170,10"));
        v.put("type", List.of("Air%2Fdrone%20strike", "battles"));
        v.put("region", List.of("Aleppo"));
        for (String flag : List.of("hasClaims", "contested", "notified", "dryRun")) {
            v.put(flag, List.of("true", "false"));
        }
        v.put("date", List.of("2016-09-12", "2016-09-13"));
        v.put("since", List.of("2016-09-01"));
        v.put("format", List.of("json", "html", "svg"));
        v.put("near", List.of("0", "50000"));
        v.put("unacknowledged", List.of("true", "false"));
        v.put("point", List.of("37.1,36.2", "0,0"));
        v.put("radius", List.of("0", "50000"));
        v.put("kind", List.of("incident", "message", "agreement", "area.declaration"));
        v.put("agreement", values.get("agreement"));
        return v;
    }

    private String privateKeyRef(String party) {
        try {
            return EntrySigner.fromPrivateKey(privateKeys.get(party)).keyRef();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request bodies a route is walked with: for submissions, every entry of the log sent again. */
    private List<String> bodies(Route route) {
        if (route.equals(Route.SUBMIT)) {
            return submissions;
        }
        if (route.equals(Route.SUBMIT_BATCH)) {
            return List.of(String.join("\n", submissions));
        }
        if (route.equals(Route.LOGIN)) {
            return List.of(obj().put("key", parties.get("us").keyRef()).put("challenge", "x").put("sig", "AAAA").toString());
        }
        return List.of("{}");
    }

    /** Every concrete request of every route: each path parameter over every value, each query parameter too. */
    private List<String> paths(Route route, Map<String, List<String>> values) {
        List<String> paths = List.of(route.path());
        for (String param : route.pathParams()) {
            assertThat(values).as("the walk has no values for {%s} of %s", param, route.path()).containsKey(param);
            List<String> next = new ArrayList<>();
            for (String p : paths) {
                for (String value : values.get(param)) {
                    next.add(p.replace("{" + param + "}", value).replace("<" + param + ">", value));
                }
            }
            paths = next;
        }
        List<String> out = new ArrayList<>(paths);
        Map<String, List<String>> queryValues = queryValues(values);
        for (String q : route.query()) {
            List<String> given = queryValues.get(q);
            assertThat(given).as("the walk has no values for ?%s of %s", q, route.path()).isNotNull();
            for (String p : paths) {
                for (String value : given) {
                    out.add(p + "?" + q + "=" + value);
                }
            }
        }
        if (route.query().contains("id")) {
            out.removeAll(paths);
        }
        return out;
    }

    /** Everything every route answers to one role, concatenated. */
    private String everything(@Nullable String token) throws Exception {
        Map<String, List<String>> values = parameterValues();
        StringBuilder sb = new StringBuilder();
        int calls = 0;
        for (Route route : Route.ALL) {
            for (String path : paths(route, values)) {
                for (String body : bodies(route)) {
                    HttpResponse<String> r = call(route, path, body, token);
                    assertThat(r.statusCode()).as("%s %s", route.method(), path).isLessThan(500);
                    assertThat(r.body()).as("%s %s is served", route.method(), path).doesNotContain("no such resource");
                    sb.append(r.body()).append('\n');
                    calls++;
                }
            }
        }
        assertThat(calls).isGreaterThan(Route.ALL.size());
        return sb.toString();
    }

    @Test
    void everyRoute_asEveryRole_returnsBodiesOnlyWithinTheirVisibility() throws Exception {
        assertThat(everything(null)).contains(PUBLIC).doesNotContain(NAMED).doesNotContain(PARTIES);
        assertThat(everything("not-a-token")).contains(PUBLIC).doesNotContain(NAMED).doesNotContain(PARTIES);
        assertThat(everything(login("us"))).contains(PUBLIC, PARTIES, NAMED);
        assertThat(everything(login("ru"))).contains(PUBLIC, PARTIES, NAMED);
        assertThat(everything(login("sy"))).contains(PUBLIC, PARTIES).doesNotContain(NAMED);
        assertThat(everything(login(PartyId.OPERATOR))).contains(PUBLIC, PARTIES).doesNotContain(NAMED);
    }

    @Test
    void agreementAndActorRoutes_showRestrictedRecordsToTheirReadersOnly() throws Exception {
        String us = login("us");
        String sy = login("sy");
        for (String path : List.of("/api/v1/agreements/open-terms", "/api/v1/agreements/open-terms/timeline",
                "/api/v1/actors/open-group", "/api/v1/actors/hidden-group", "/api/v1/agreements/secret-terms")) {
            assertThat(call(Route.AGREEMENT, path, "", us).body()).as(path).contains(NAMED);
            String forSy = call(Route.AGREEMENT, path, "", sy).body();
            String forPublic = call(Route.AGREEMENT, path, "", null).body();
            assertThat(forSy).as(path).doesNotContain(NAMED);
            assertThat(forPublic).as(path).doesNotContain(NAMED).doesNotContain(PARTIES);
        }
        assertThat(call(Route.AGREEMENTS, "/api/v1/agreements", "", sy).body()).contains("party-terms")
                .doesNotContain("secret-terms");
        assertThat(call(Route.AGREEMENTS, "/api/v1/agreements", "", null).body()).contains("open-terms")
                .doesNotContain("party-terms").doesNotContain("secret-terms");
        assertThat(call(Route.ACTORS, "/api/v1/actors?name=Hidden%20Group", "", us).body()).contains("hidden-group");
        assertThat(call(Route.ACTORS, "/api/v1/actors?name=Hidden%20Group", "", sy).body()).doesNotContain("hidden-group");
        assertThat(call(Route.ACTORS, "/api/v1/actors", "", null).body()).doesNotContain("hidden-group");
        assertThat(call(Route.OBLIGATIONS, "/api/v1/parties/us/obligations", "", us).body()).contains("secret-terms");
        assertThat(call(Route.OBLIGATIONS, "/api/v1/parties/us/obligations", "", sy).body()).contains("party-terms")
                .doesNotContain("secret-terms");
        assertThat(call(Route.OBLIGATIONS, "/api/v1/parties/sy/obligations", "", null).body()).contains("open-terms")
                .doesNotContain("party-terms").doesNotContain("secret-terms");
    }

    @Test
    void session_afterItExpires_readsAsThePublic() throws Exception {
        String token = login("us");
        clock.advance(Sessions.SESSION_TTL.plusSeconds(1));
        assertThat(everything(token)).contains(PUBLIC).doesNotContain(NAMED).doesNotContain(PARTIES);
    }

    @Test
    void session_afterItsKeyIsRevoked_readsAsThePublic() throws Exception {
        String sy = login("sy");
        assertThat(call(Route.AGREEMENTS, "/api/v1/agreements", "", sy).body()).contains("party-terms");
        ObjectNode revoke = obj().put("party", "sy").put("action", "revoke").put("vkey", parties.get("sy").vkey());
        submit(operator, "party.key", revoke, Visibility.PUBLIC, 6);
        assertThat(call(Route.AGREEMENTS, "/api/v1/agreements", "", sy).body()).contains("open-terms")
                .doesNotContain("party-terms");
    }

    @Test
    void login_wrongKeyOrReusedChallenge_refused() throws Exception {
        String challenge = Json.parse(post("/api/v1/login/challenge", "{}").body().getBytes(StandardCharsets.UTF_8))
                .get("challenge").asText();
        byte[] sigBySy = NoteKeys.parseSigner(privateKeys.get("sy")).sign(Sessions.signedMessage(challenge));
        ObjectNode asUs = obj().put("key", parties.get("us").keyRef()).put("challenge", challenge)
                .put("sig", Base64.getEncoder().encodeToString(sigBySy));
        HttpResponse<String> r = post("/api/v1/login", asUs.toString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("login-failed");
        ObjectNode asSy = obj().put("key", parties.get("sy").keyRef()).put("challenge", challenge)
                .put("sig", Base64.getEncoder().encodeToString(sigBySy));
        assertThat(post("/api/v1/login", asSy.toString()).statusCode()).as("a challenge is single-use").isEqualTo(401);
    }
}
