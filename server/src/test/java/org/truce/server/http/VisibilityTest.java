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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
import org.truce.server.access.Sessions;
import org.truce.server.sequencer.Sequencer;
import org.truce.store.Store;
import org.truce.tlog.note.NoteKeys;
import org.truce.tlog.note.Signer;

/**
 * A restricted body is never returned to a reader outside its visibility: every read route, with
 * every entry, party and message as its parameter, read as the public and as each party.
 */
class VisibilityTest {
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
    private Store store;
    private Sequencer sequencer;
    private ApiServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        store = Store.sqlite(tmp);
        Signer cp = NoteKeys.parseSigner(NoteKeys.generate("truce.example/vis", NoteKeys.TYPE_ED25519, rng).privateKey());
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        sequencer = new Sequencer(store, Ledger.standard(), cp, clock, Sequencer.Options.DEFAULT);
        server = new ApiServer(store, sequencer, Kinds.standard(), clock).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
        EntrySigner op = signer(PartyId.OPERATOR);
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
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/entries"))
                .POST(HttpRequest.BodyPublishers.ofString(s.sign(kind, body, v, List.of(), seq, T0).toJson().toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
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
        ObjectNode req = obj().put("key", parties.get(party).keyRef()).put("challenge", challenge)
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

    private String get(String path, @Nullable String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Every read route with every parameter this log has. */
    private List<String> readRoutes() {
        List<String> routes = new ArrayList<>();
        long size = store.read(tx -> tx.size());
        for (long i = 0; i < size; i++) {
            routes.add("/api/v1/entries/" + i);
            routes.add("/log/proof/" + i);
        }
        for (String p : List.of("operator", "us", "ru", "sy")) {
            routes.add("/api/v1/hotline/" + p + "/inbox");
            routes.add("/api/v1/hotline/" + p + "/outbox");
        }
        for (String id : messageIds) {
            routes.add("/api/v1/hotline/message?id=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        }
        routes.add("/log/checkpoint");
        routes.add("/log/tile/0/000.p/" + size);
        routes.add("/log/tile/entries/000.p/" + size);
        for (String k : Kinds.standard().names()) {
            routes.add("/api/v1/schemas/" + k);
        }
        return routes;
    }

    private String everything(@Nullable String token) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String r : readRoutes()) {
            sb.append(get(r, token)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void everyReadRoute_asEveryRole_returnsBodiesOnlyWithinTheirVisibility() throws Exception {
        assertThat(everything(null)).contains(PUBLIC).doesNotContain(NAMED).doesNotContain(PARTIES);
        assertThat(everything("not-a-token")).contains(PUBLIC).doesNotContain(NAMED).doesNotContain(PARTIES);
        assertThat(everything(login("us"))).contains(PUBLIC, PARTIES, NAMED);
        assertThat(everything(login("ru"))).contains(PUBLIC, PARTIES, NAMED);
        assertThat(everything(login("sy"))).contains(PUBLIC, PARTIES).doesNotContain(NAMED);
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
