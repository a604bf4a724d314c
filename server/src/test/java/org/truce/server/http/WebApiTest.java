package org.truce.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.truce.core.entry.Visibility;
import org.truce.core.json.Json;
import org.truce.server.access.Sessions;
import org.truce.server.node.Demo;
import org.truce.server.node.Node;
import org.truce.tlog.note.NoteKeys;

/** The routes of the web interface, its pages and their assets, against the demo scenario. */
class WebApiTest {
    @TempDir
    static Path tmp;

    private static Node node;
    private static String base;
    private static Path keys;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Path dir = tmp.resolve("demo");
        node = Node.init(dir, "demo.truce.example/log", "Web API test", Clock.systemUTC());
        keys = dir.resolve("party-keys");
        Demo.load(node, keys);
        long seq = node.operatorSeq();
        node.submit(node.operator(), "area.declaration", control("east-a", "syrian-arab-army", 40.0, "2016-10-01T00:00:00Z",
                "2016-12-01T00:00:00Z"), Visibility.PUBLIC, ++seq, Instant.parse("2016-10-01T00:00:00Z"));
        node.submit(node.operator(), "area.declaration", control("east-b", "jaysh-al-islam", 40.05, "2016-11-01T00:00:00Z",
                null), Visibility.PUBLIC, ++seq, Instant.parse("2016-11-01T00:00:00Z"));
        node.submit(node.operator(), "area.declaration", control("east-c", "syrian-arab-army", 40.02, "2016-11-15T00:00:00Z",
                null), Visibility.PUBLIC, ++seq, Instant.parse("2016-11-15T00:00:00Z"));
        base = "http://127.0.0.1:" + node.serve("127.0.0.1", 0).port();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ObjectNode control(String id, String actor, double west, String from, @Nullable String to) {
        ObjectNode d = JsonNodeFactory.instance.objectNode().put("id", id).put("actor", actor).put("claim", "control")
                .put("from", from).put("source", "test");
        if (to != null) {
            d.put("to", to);
        }
        ArrayNode ring = d.putObject("footprint").put("type", "polygon").putArray("coordinates");
        for (double[] p : new double[][] {{west, 35.0}, {west + 0.1, 35.0}, {west + 0.1, 35.1}, {west, 35.1}, {west, 35.0}}) {
            ring.addArray().add(p[0]).add(p[1]);
        }
        return d;
    }

    // ---- the map ----

    @Test
    void map_asThePublic_holdsEveryPublicObjectWithItsTimes() throws Exception {
        JsonNode map = get("/api/v1/map", null);
        assertThat(map.get("incidents")).hasSize(4);
        assertThat(ids(map.get("incidents"))).contains(Demo.CONVOY, "khan-shaykhun-2017-04-04");
        JsonNode convoy = find(map.get("incidents"), Demo.CONVOY);
        assertThat(convoy.get("contested").asBoolean()).isTrue();
        assertThat(convoy.get("claims").asInt()).isEqualTo(3);
        assertThat(convoy.get("point").toString()).isEqualTo("[36.95,36.15]");
        assertThat(convoy.get("at").asText()).isEqualTo("2016-09-19T21:00:00Z");
        assertThat(map.get("incidentsCut").asBoolean()).isFalse();
        assertThat(ids(map.get("sites"))).containsExactly("al-quds-hospital-aleppo", "sarc-warehouse-urum-al-kubra");
        assertThat(map.get("movements").get(0).get("legs")).hasSize(3);
        assertThat(map.get("volumes")).isEmpty();
        assertThat(map.get("conflicts")).isEmpty();
    }

    @Test
    void map_areas_listThePeriodsInWhichAnotherActorClaimedControlOfAnAreaThatMeetsThem() throws Exception {
        JsonNode areas = get("/api/v1/map", null).get("areas");
        assertThat(find(areas, Demo.THARDA_POSITIONS).get("disputes")).as("presence is never disputed").isEmpty();
        JsonNode a = find(areas, "east-a").get("disputes");
        assertThat(a).hasSize(1);
        assertThat(a.get(0).get("with").asText()).isEqualTo("east-b");
        assertThat(a.get(0).get("from").asText()).isEqualTo("2016-11-01T00:00:00Z");
        assertThat(a.get(0).get("to").asText()).isEqualTo("2016-12-01T00:00:00Z");
        JsonNode b = find(areas, "east-b").get("disputes");
        assertThat(ids(b, "with")).containsExactlyInAnyOrder("east-a", "east-c");
        JsonNode withC = find(b, "east-c", "with");
        assertThat(withC.get("from").asText()).isEqualTo("2016-11-15T00:00:00Z");
        assertThat(withC.has("to")).as("both open-ended").isFalse();
        assertThat(ids(find(areas, "east-c").get("disputes"), "with")).as("the same actor does not dispute itself")
                .containsExactly("east-b");
    }

    // ---- the timeline ----

    @Test
    void timeline_asThePublic_listsReadableRecordsInLogOrder_andLeavesOutRestrictedOnes() throws Exception {
        JsonNode all = get("/api/v1/timeline?limit=500", null).get("records");
        List<Long> indexes = new ArrayList<>();
        all.forEach(r -> indexes.add(r.get("index").asLong()));
        assertThat(indexes).isSorted().contains(0L);
        assertThat(all.toString()).doesNotContain("Access via the Castello road", "Convoy struck at Urum al-Kubra")
                .contains("Geneva arrangement of 9 September 2016");
        JsonNode first = all.get(1);
        assertThat(first.get("kind").asText()).isEqualTo("party");
        assertThat(first.get("leafHash").asText()).hasSize(44);
    }

    @Test
    void timeline_asAParty_showsWhatItMayRead() throws Exception {
        String ru = login("ru");
        String text = get("/api/v1/timeline?kind=message&limit=500", ru).toString();
        assertThat(text).contains("Convoy struck at Urum al-Kubra").doesNotContain("Access via the Castello road");
        assertThat(get("/api/v1/timeline?kind=message&limit=500", login("sy")).toString()).contains("Access via the Castello road");
    }

    @Test
    void timeline_filters_byKindPartyAgreementAndTime() throws Exception {
        for (JsonNode r : get("/api/v1/timeline?kind=incident&limit=500", null).get("records")) {
            assertThat(r.get("kind").asText()).startsWith("incident");
        }
        assertThat(get("/api/v1/timeline?kind=incident.claim&limit=500", null).get("records")).allSatisfy(r ->
                assertThat(r.get("kind").asText()).isEqualTo("incident.claim"));
        JsonNode sy = get("/api/v1/timeline?party=sy&limit=500", null).get("records");
        assertThat(sy).isNotEmpty();
        assertThat(sy.toString()).contains("\"author\":\"sy\"");
        JsonNode geneva = get("/api/v1/timeline?agreement=" + Demo.GENEVA + "&limit=500", null).get("records");
        assertThat(ids(geneva, "subject")).contains(Demo.GENEVA, "jabal-tharda-2016-09-17", Demo.CONVOY)
                .doesNotContain("khan-shaykhun-2017-04-04", Demo.CESSATION);
        JsonNode window = get("/api/v1/timeline?from=2016-09-19T00:00:00Z&to=2016-09-20T00:00:00Z&limit=500", null).get("records");
        assertThat(window).isNotEmpty().allSatisfy(r -> assertThat(r.get("at").asText()).startsWith("2016-09-19"));
    }

    @Test
    void timeline_pages_continueAfterTheCursor() throws Exception {
        JsonNode page = get("/api/v1/timeline?limit=5", null);
        assertThat(page.get("records")).hasSize(5);
        String next = page.get("next").asText();
        JsonNode more = get("/api/v1/timeline?limit=5&after=" + next, null).get("records");
        assertThat(more.get(0).get("index").asLong()).isGreaterThan(Long.parseLong(next));
    }

    @Test
    void timeline_badParameters_areRefusedNamingWhatIsWrong() throws Exception {
        assertProblem("/api/v1/timeline?kind=Incident", "bad-kind", "kind");
        assertProblem("/api/v1/timeline?party=US", "bad-party", "party");
        assertProblem("/api/v1/timeline?agreement=-x", "bad-agreement", "agreement");
        assertProblem("/api/v1/timeline?after=abc", "bad-cursor", "after");
        assertProblem("/api/v1/timeline?limit=0", "bad-limit", "limit");
        assertProblem("/api/v1/timeline?from=2016-09-20T00:00:00Z&to=2016-09-19T00:00:00Z", "bad-window", "to");
        assertProblem("/api/v1/timeline?from=yesterday", "bad-time", "from");
    }

    // ---- signing out ----

    /** Signing out of the page once forgot the key but kept the HttpOnly cookie, which still read as the party. */
    @Test
    void logout_endsTheSessionOfTheToken_andClearsTheCookie() throws Exception {
        String ru = login("ru");
        assertThat(get("/api/v1/timeline?kind=message&limit=500", ru).toString()).contains("Convoy struck at Urum al-Kubra");
        HttpResponse<String> out = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/logout"))
                .header("Authorization", "Bearer " + ru).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElse("")).startsWith("truce_session=;").contains("Max-Age=0");
        assertThat(get("/api/v1/timeline?kind=message&limit=500", ru).toString()).doesNotContain("Convoy struck at Urum al-Kubra");
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/logout"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).as("without a session").isEqualTo(204);
    }

    // ---- the pages and their assets ----

    @Test
    void page_isNeverCached_andLoadsItsAssetsUnderTheirVersion() throws Exception {
        HttpResponse<String> page = raw("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        String version = org.truce.server.web.WebAssets.load().version();
        assertThat(page.body()).contains("/web/" + version + "/app.js").doesNotContain("{{version}}");

        HttpResponse<String> js = raw("/web/" + version + "/app.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(js.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(raw("/web/" + version + "/leaflet/leaflet.js").statusCode()).isEqualTo(200);
        assertThat(raw("/web/" + version + "/basemap.geojson").body()).contains("\"Syria\"");
    }

    @Test
    void assets_ofAnotherVersion_areServedUncached_andUnknownOnesAreNotFound() throws Exception {
        HttpResponse<String> stale = raw("/web/000000000000/app.js");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String version = org.truce.server.web.WebAssets.load().version();
        assertThat(raw("/web/" + version + "/no-such.js").statusCode()).isEqualTo(404);
        assertThat(raw("/web/" + version + "/index.html").statusCode()).as("the page only at /").isEqualTo(404);
        assertThat(raw("/web/" + version + "/../../api/v1/map").statusCode()).isNotEqualTo(500);
    }

    @Test
    void assets_areEveryFileOfTheWebFolder() throws Exception {
        Path folder = Path.of("src/main/resources/org/truce/server/web/assets");
        List<String> onDisk;
        try (var walk = Files.walk(folder)) {
            onDisk = walk.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/')).toList();
        }
        assertThat(org.truce.server.web.WebAssets.load().names()).containsAll(onDisk).contains("leaflet/leaflet.css");
    }

    // ---- helpers ----

    private static void assertProblem(String path, String slug, String param) throws Exception {
        HttpResponse<String> r = raw(path);
        assertThat(r.statusCode()).as(path).isEqualTo(400);
        JsonNode p = Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
        assertThat(p.get("type").asText()).as(path).endsWith("/" + slug);
        assertThat(p.get("detail").asText()).as(path).contains(param);
    }

    private static List<String> ids(JsonNode items) {
        return ids(items, "id");
    }

    private static List<String> ids(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path(field).asText()));
        return out;
    }

    private static JsonNode find(JsonNode items, String id) {
        return find(items, id, "id");
    }

    private static JsonNode find(JsonNode items, String id, String field) {
        for (JsonNode i : items) {
            if (i.path(field).asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no " + id + " in " + items);
    }

    private static HttpResponse<String> raw(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(String path, @Nullable String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String login(String party) throws Exception {
        String key = Files.readString(keys.resolve(party + ".key")).strip();
        var signer = NoteKeys.parseSigner(key);
        String challenge = post("/api/v1/login/challenge", "{}").get("challenge").asText();
        String sig = Base64.getEncoder().encodeToString(signer.sign(Sessions.signedMessage(challenge)));
        ObjectNode req = JsonNodeFactory.instance.objectNode()
                .put("key", party + "+" + String.format("%08x", signer.keyId())).put("challenge", challenge).put("sig", sig);
        return post("/api/v1/login", req.toString()).get("token").asText();
    }

    private static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }
}
