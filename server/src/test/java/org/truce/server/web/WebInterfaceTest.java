package org.truce.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.truce.server.node.Demo;
import org.truce.server.node.LocalWitnesses;
import org.truce.server.node.Node;
import org.truce.server.node.Witnessing;
import org.truce.store.StoredEntry;
import org.truce.tlog.note.CosignatureV1;
import org.truce.tlog.note.NoteKeys;

/**
 * The web interface in a real browser: Debian's chromium, headless, driven through its chromedriver
 * against a real demo server whose checkpoints two witnesses cosign, as {@code truce demo} runs it.
 * Asserts what a reader sees, and writes a screenshot of each page to
 * {@code target/screenshots/}. Skipped when chromium or chromedriver is missing, except under CI
 * ({@code CI=true}), where {@code .ci/run} installs them and their absence is a failure.
 */
class WebInterfaceTest {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("TRUCE_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("TRUCE_CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Dimension WINDOW = new Dimension(1366, 900);
    /** The subject of the demo's message from us to sy only. */
    private static final String NAMED_SUBJECT = "Access via the Castello road";
    private static final String NAMED_TEXT = "Request to confirm the opening of the Castello road";
    /** The subject of OCHA's alert, visible to every party but not to the public. */
    private static final String PARTIES_SUBJECT = "Convoy struck at Urum al-Kubra";

    @TempDir
    static Path tmp;

    private static Node node;
    private static LocalWitnesses witnesses;
    private static Witnessing witnessing;
    /** The policy file requiring both witnesses, as the demo writes it. */
    private static Path policy;
    private static Path keys;
    private static String base;
    private static WebDriver driver;
    private static int loads;
    /** What a test expects the browser to log as an error, such as a 404 it provokes. */
    private static final List<String> expectedErrors = new java.util.ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("no " + CHROMIUM + " or " + CHROMEDRIVER + "; apt-get install chromium chromium-driver");
        }
        assertThat(present).as("chromium and chromedriver are installed (.ci/run installs them)").isTrue();
        Path dir = tmp.resolve("demo");
        node = Node.init(dir, "demo.truce.example/log", "Web interface test", Clock.systemUTC());
        keys = dir.resolve("party-keys");
        Demo.load(node, keys);
        restricted();
        // Two witnesses cosign each checkpoint, as in DemoServerCommand.
        witnesses = LocalWitnesses.start(node, tmp.resolve("witnesses"), "127.0.0.1", 2);
        policy = tmp.resolve("log.policy");
        Files.writeString(policy, witnesses.policy());
        witnessing = node.witnessedBy(witnesses.parsedPolicy());
        witnessing.once();
        base = "http://127.0.0.1:" + node.serve("127.0.0.1", 0).port();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox because CI runs as root, where chromium refuses its sandbox.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1366,900", "--lang=en");
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(PATIENCE);
        Files.createDirectories(SCREENSHOTS);
    }

    /** The incident and site the tests look for, recorded by us for ru and us only. */
    private static final String RESTRICTED_INCIDENT = "Restricted strike report for ru and us";
    private static final String RESTRICTED_SITE = "Restricted clinic for ru and us";

    /** Adds an incident and a notified site that only ru and us may read. */
    private static void restricted() {
        org.truce.core.entry.EntrySigner us;
        try {
            us = org.truce.core.entry.EntrySigner.fromPrivateKey(Files.readString(keys.resolve("us.key")).strip());
        } catch (IOException | org.truce.tlog.FormatException e) {
            throw new IllegalStateException(e);
        }
        long seq = node.store().read(tx -> tx.get("key", us.keyRef()).orElseThrow().body().get("lastSeq").asLong());
        var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        var incident = json.objectNode().put("id", "restricted-strike-2016-09-18").put("title", RESTRICTED_INCIDENT);
        incident.putObject("time").put("from", "2016-09-18T10:00:00Z").put("to", "2016-09-18T11:00:00Z")
                .putObject("precision").put("scheme", "acled").put("code", 1);
        var loc = incident.putObject("location");
        loc.putArray("point").add(36.7).add(35.9);
        loc.putObject("precision").put("scheme", "acled").put("code", 1);
        loc.put("admin1", "Idlib").put("place", RESTRICTED_INCIDENT);
        incident.putObject("type").put("event", "Explosions/Remote violence").put("subEvent", "Air/drone strike");
        org.truce.core.entry.Visibility ruUs = org.truce.core.entry.Visibility.named("ru", "us");
        node.submit(us, "incident", incident, ruUs, ++seq, java.time.Instant.parse("2016-09-18T12:00:00Z"));
        var site = json.objectNode().put("id", "restricted-clinic").put("name", RESTRICTED_SITE).put("category", "hospital")
                .put("ackBy", "2016-09-18T12:00:00Z");
        site.putArray("acknowledge").add("ru");
        site.putObject("footprint").put("type", "circle").put("radius", 100).putArray("center").add(36.8).add(35.8);
        node.submit(us, "notification.site", site, ruUs, ++seq, java.time.Instant.parse("2016-09-17T12:00:00Z"));

        // Two flight volumes flying now over the desert east of Palmyra, one meeting the other: a conflict
        // that only their owners may read.
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        node.submit(us, "volume", volume("us-patrol", 38.9, now, json.arrayNode()), org.truce.core.entry.Visibility.PUBLIC,
                ++seq, now);
        String version = node.store().read(tx -> tx.get("volume", "us-patrol").orElseThrow().body().get("version").asText());
        var key = json.arrayNode();
        key.addObject().put("type", "volume").put("id", "us-patrol").put("version", version);
        org.truce.core.entry.EntrySigner ru;
        try {
            ru = org.truce.core.entry.EntrySigner.fromPrivateKey(Files.readString(keys.resolve("ru.key")).strip());
        } catch (IOException | org.truce.tlog.FormatException e) {
            throw new IllegalStateException(e);
        }
        long ruSeq = node.store().read(tx -> tx.get("key", ru.keyRef()).orElseThrow().body().get("lastSeq").asLong());
        node.submit(ru, "volume", volume("ru-patrol", 38.95, now, key), org.truce.core.entry.Visibility.PUBLIC, ruSeq + 1, now);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode volume(String id, double lon, java.time.Instant now,
            com.fasterxml.jackson.databind.node.ArrayNode key) {
        var v = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("id", id).put("state", "accepted")
                .put("purpose", "patrol");
        v.putObject("footprint").put("type", "circle").put("radius", 10000).putArray("center").add(lon).add(34.6);
        v.putObject("altitude").put("lower", 0).put("upper", 6000).put("reference", "AGL");
        v.putObject("time").put("from", now.minusSeconds(3600).toString()).put("to", now.plusSeconds(7200).toString());
        v.set("key", key);
        return v;
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (node != null) {
            node.close();
        }
        if (witnesses != null) {
            witnesses.close();
        }
    }

    /** Every test starts logged out and with no witness policy: no session cookie, a fresh page that holds no key. */
    @BeforeEach
    void signedOut() {
        open("#/map");
        driver.manage().deleteAllCookies();
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
    }

    /** No page logs a script error or a failed request to the browser's console. */
    @org.junit.jupiter.api.AfterEach
    void noErrorsInTheConsole() {
        List<String> severe = driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(e -> e.getMessage()).filter(m -> expectedErrors.stream().noneMatch(m::contains)).toList();
        expectedErrors.clear();
        assertThat(severe).as("errors in the browser's console").isEmpty();
    }

    // ---- the map ----

    @Test
    void map_showsTheDemosObjects_andTheTimeSliderChangesWhatIsShown() {
        open("#/map");
        waitFor("the map's counts", () -> text("map-counts").contains("incidents"));
        assertThat(count("path.truce-incident")).as("the four incidents, as of now").isEqualTo(4);
        assertThat(count("path.truce-incident.contested")).as("contested incidents are marked").isEqualTo(2);
        assertThat(text("map-list")).contains("Al-Quds hospital, al-Sukkari, Aleppo", "SARC warehouse, Urum al-Kubra");
        assertThat(count("path.truce-site")).as("the hospital and the warehouse, and any site a test notified")
                .isGreaterThanOrEqualTo(2);
        assertThat(count("path.truce-area")).as("the army's declared positions at Jabal Tharda").isEqualTo(1);
        assertThat(count("path.truce-movement")).as("the convoy's journey is over").isZero();
        assertThat(count("path.truce-volume")).as("the two patrols flying now").isEqualTo(2);
        assertThat(count("path.truce-conflict")).as("their conflict is for their owners only").isZero();
        assertThat(count("path.country")).as("the shipped basemap").isGreaterThan(5);
        screenshot("map");
        String now = driver.findElement(By.id("moment")).getAttribute("value");

        WebElement moment = driver.findElement(By.id("moment-text"));
        moment.sendKeys("2016-09-19T17:00", Keys.ENTER);
        waitFor("the convoy on its way back", () -> text("map-counts").contains("1 movement,"));
        assertThat(driver.findElement(By.id("moment")).getAttribute("value")).isNotEqualTo(now);
        assertThat(text("moment-label")).isEqualTo("2016-09-19 17:00 UTC");
        assertThat(count("path.truce-movement.moving")).as("the convoy on a leg").isEqualTo(1);
        assertThat(count("path.truce-incident")).as("the offensive of June and the Jabal Tharda raid; the convoy "
                + "incident was recorded at 21:00").isEqualTo(2);
        assertThat(text("map-list")).contains("UN/SARC convoy to Urum al-Kubra — return leg")
                .doesNotContain("aid convoy struck");
        driver.findElements(By.cssSelector("#map-list button")).stream()
                .filter(b -> b.getText().startsWith("UN/SARC convoy")).findFirst().orElseThrow().click();
        waitFor("the movement's details", () -> !driver.findElements(By.cssSelector(".leaflet-popup-content")).isEmpty());
        assertThat(driver.findElement(By.cssSelector(".leaflet-popup-content")).getAttribute("textContent"))
                .contains("on its return leg", "31");
        screenshot("map-2016-09-19T17-00");

        driver.findElement(By.id("moment")).sendKeys(Keys.HOME);
        waitFor("nothing before the first record", () -> text("map-counts").startsWith("0 incidents, 0 sites, 0 movements"));
        assertThat(count("path.truce-incident")).isZero();
        driver.findElement(By.id("next-event")).click();
        waitFor("the first record: OCHA's notification of the Al-Quds hospital", () -> text("map-counts")
                .startsWith("0 incidents, 1 site, 0 movements"));
        assertThat(text("moment-label")).isEqualTo("2016-02-24 10:00 UTC");
        driver.findElement(By.id("previous-event")).click();
        waitFor("nothing again", () -> text("map-counts").startsWith("0 incidents, 0 sites"));
    }

    @Test
    void map_filters_showContestedIncidentsOnly() {
        open("#/map");
        waitFor("the map's counts", () -> text("map-counts").contains("incidents"));
        driver.findElement(By.id("filter-contested")).click();
        waitFor("contested only", () -> text("map-counts").startsWith("2 incidents"));
        assertThat(count("path.truce-incident")).isEqualTo(count("path.truce-incident.contested")).isEqualTo(2);
        assertThat(text("map-list")).contains("Chemical attack at Khan Shaykhun (contested)").doesNotContain("Jabal Tharda");
    }

    // ---- an incident ----

    @Test
    void incidentPage_showsEveryClaimSideBySide_andChecksTheEvidenceHash() {
        open("#/incidents/" + Demo.CONVOY);
        waitFor("the claims", () -> driver.findElements(By.cssSelector("#claims article.claim")).size() == 3);
        List<WebElement> claims = driver.findElements(By.cssSelector("#claims article.claim"));
        assertThat(claims).extracting(e -> e.findElement(By.tagName("h3")).getText())
                .containsExactlyInAnyOrder("ru denies", "sy denies", "us alleges");
        assertThat(claims.get(0).getLocation().getY()).as("claims share a row").isEqualTo(claims.get(1).getLocation().getY());
        assertThat(claims.get(0).getLocation().getX()).as("in columns").isLessThan(claims.get(1).getLocation().getX());
        String page = driver.findElement(By.tagName("main")).getText();
        assertThat(page).contains("Claim of the Russian Federation: Russian and Syrian aircraft did not fly",
                "Claim of the United States: Russian aircraft were over the convoy",
                "Claim of SARC: its warehouse", "The attack was most likely an air strike", "(revised later)");
        driver.findElement(By.cssSelector("button.check-evidence")).click();
        waitFor("the evidence hash", () -> driver.findElement(By.tagName("main")).getText()
                .contains("the file hashes to its recorded SHA-256"));
        screenshot("incident");
    }

    // ---- signing in, acknowledging, proving ----

    @Test
    void party_signsInWithItsKeyFile_acknowledges_andTheAcknowledgementIsInTheLogWithAVerifiedProof() {
        signIn("sy");
        go("#/hotline");
        waitFor("sy's inbox", () -> driver.findElement(By.tagName("main")).getText().contains(NAMED_SUBJECT));
        By castello = By.cssSelector("article.message[aria-label='" + NAMED_SUBJECT + "']");
        WebElement message = driver.findElement(castello);
        assertThat(message.getAttribute("class")).contains("overdue");
        assertThat(message.getText()).contains(NAMED_SUBJECT, "overdue", NAMED_TEXT);
        screenshot("hotline");
        long before = node.store().read(tx -> tx.size());

        message.findElement(By.cssSelector("button.ack")).click();
        waitFor("the acknowledgement", () -> text("hotline-result").contains("Acknowledged"));
        StoredEntry ack = node.store().read(tx -> tx.entry(before)).orElseThrow();
        assertThat(ack.kind()).isEqualTo("message.ack");
        assertThat(ack.author()).isEqualTo("sy");
        assertThat(text("hotline-result")).contains("entry " + before);
        waitFor("the message acknowledged", () -> driver.findElement(castello).getText().contains("sy: acknowledged at"));
        assertThat(driver.findElement(castello).getAttribute("class")).doesNotContain("overdue");

        driver.findElement(By.id("ack-proof-link")).click();
        waitFor("the proof", () -> text("proof-result").contains("Inclusion proof verified"));
        assertThat(text("proof-result")).contains("Inclusion proof verified: entry " + before + " is in the log")
                .contains("message.ack by sy");
        String facts = text("proof-facts");
        assertThat(facts).contains("Checkpoint signature\nverified").contains("Author's signature\nverified")
                .contains("Body\nmatches");
        assertThat(driver.findElement(By.id("download-proof")).getAttribute("href")).endsWith("/log/proof/" + before);
        assertThat(text("checkpoint-signature")).startsWith("verified");
        screenshot("log-proof");
    }

    @Test
    void party_signsAClaimANotificationAcknowledgementAndANotification_inThePage() {
        signIn("hnc");
        go("#/incidents/khan-shaykhun-2017-04-04");
        waitFor("the claims", () -> driver.findElements(By.cssSelector("#claims article.claim")).size() == 3);
        WebElement form = driver.findElement(By.id("claim-form"));
        form.findElement(By.cssSelector("option[value=cannot-confirm]")).click();
        // Arabic and a quotation mark: the page's canonical JSON must hash as the server's does.
        form.findElement(By.tagName("textarea")).sendKeys("Claim of the HNC: it cannot confirm who released the agent "
                + "at \"خان شيخون\".");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor("the fourth claim", () -> driver.findElements(By.cssSelector("#claims article.claim")).size() == 4);
        assertThat(text("claims")).contains("hnc cannot confirm", "Claim of the HNC: it cannot confirm who released the agent "
                + "at \"خان شيخون\".");
        screenshot("incident-signed-claim");

        signIn("sy");
        go("#/hotline");
        waitFor("what sy has not acknowledged", () -> !driver.findElements(By.cssSelector("button.ack-notification")).isEmpty());
        int pending = count("button.ack-notification");
        driver.findElement(By.cssSelector("button.ack-notification")).click();
        waitFor("one fewer to acknowledge", () -> count("button.ack-notification") == pending - 1);
        assertThat(text("hotline-result")).startsWith("Acknowledged the site");

        signIn("ocha");
        go("#/notify");
        waitFor("the notification form", () -> !driver.findElements(By.id("notify-form")).isEmpty());
        List<WebElement> inputs = driver.findElements(By.cssSelector("#notify-form input"));
        String[] values = {"school-test-idlib", "Test school, Idlib", "36.63", "35.93", "150", "ru, sy", "2030-01-01T00:00:00Z"};
        for (int i = 0; i < values.length; i++) {
            inputs.get(i).clear();
            inputs.get(i).sendKeys(values[i]);
        }
        driver.findElement(By.cssSelector("#notify-form option[value=school]")).click();
        driver.findElement(By.cssSelector("#notify-form button[type=submit]")).click();
        waitFor("the notification", () -> text("notify-result").contains("Notified: entry"));
        go("#/map");
        waitFor("the new site on the map", () -> !driver.findElements(By.id("map-list")).isEmpty()
                && text("map-list").contains("Test school, Idlib"));
    }

    // ---- visibility ----

    @Test
    void restrictedRecords_areNotShown_toALoggedOutReader() {
        long named = messageIndex(NAMED_SUBJECT);
        for (String page : List.of("#/timeline", "#/timeline?kind=message", "#/hotline", "#/map?at=2016-09-18T13:00:00Z",
                "#/agreements", "#/incidents")) {
            open(page);
            waitFor(page, () -> !driver.findElement(By.tagName("main")).getText().contains("Loading")
                    && !mainText().isBlank() && (!page.startsWith("#/map") || text("map-counts").contains("incidents")));
            assertThat(mainText()).as(page).doesNotContain(NAMED_SUBJECT, NAMED_TEXT, PARTIES_SUBJECT, RESTRICTED_INCIDENT,
                    RESTRICTED_SITE);
        }
        expectedErrors.add("/api/v1/incidents/restricted-strike-2016-09-18 - Failed to load resource: the server responded "
                + "with a status of 404");
        open("#/incidents/restricted-strike-2016-09-18");
        waitFor("the answer", () -> mainText().contains("no incident"));
        assertThat(mainText()).doesNotContain(RESTRICTED_INCIDENT);
        open("#/timeline?kind=message");
        waitFor("the public messages", () -> text("timeline").contains("message"));
        screenshot("timeline-public-messages");
        open("#/log?index=" + named);
        waitFor("the entry", () -> text("proof-result").contains("Inclusion proof verified"));
        assertThat(text("proof-result")).contains("withheld").doesNotContain(NAMED_TEXT)
                .as("qualified: no policy rules out a split view").contains("No witness policy is loaded");
    }

    @Test
    void restrictedRecords_areNotShown_toAnotherParty() {
        long named = messageIndex(NAMED_SUBJECT);
        signIn("ru");
        go("#/hotline");
        waitFor("ru's inbox", () -> mainText().contains(PARTIES_SUBJECT));
        assertThat(mainText()).doesNotContain(NAMED_SUBJECT, NAMED_TEXT);
        WebElement thread = driver.findElement(By.cssSelector("section.thread[aria-label='Thread: " + PARTIES_SUBJECT + "']"));
        assertThat(thread.findElements(By.cssSelector("article.message"))).extracting(m -> m.getAttribute("aria-label"))
                .as("the alert, then ru's reply, in one thread").containsExactly(PARTIES_SUBJECT, "Re: " + PARTIES_SUBJECT);
        screenshot("hotline-ru");
        go("#/timeline?kind=message");
        waitFor("the messages ru may read", () -> text("timeline").contains(PARTIES_SUBJECT));
        assertThat(text("timeline")).doesNotContain(NAMED_SUBJECT);
        go("#/log?index=" + named);
        waitFor("the entry", () -> text("proof-result").contains("Inclusion proof verified"));
        assertThat(text("proof-result")).contains("withheld").doesNotContain(NAMED_TEXT);

        go("#/map?at=2016-09-18T13:00:00Z");
        waitFor("ru's map", () -> !driver.findElements(By.id("map-list")).isEmpty()
                && text("map-list").contains(RESTRICTED_INCIDENT));
        assertThat(text("map-list")).contains(RESTRICTED_SITE);
        go("#/map");
        waitFor("ru's conflict, now", () -> text("map-counts").endsWith("2 volumes, 1 area, 1 conflict"));
        assertThat(count("path.truce-conflict")).isEqualTo(1);
        assertThat(text("map-list")).contains("Conflict: volume ru-patrol meets volume us-patrol");
        screenshot("map-conflict-ru");

        signIn("sy");
        for (String page : List.of("#/map?at=2016-09-18T13:00:00Z", "#/incidents", "#/timeline")) {
            go(page);
            waitFor(page, () -> !mainText().contains("Loading") && !mainText().isBlank()
                    && (!page.startsWith("#/map") || text("map-counts").contains("incidents")));
            assertThat(mainText()).as("%s as sy", page).doesNotContain(RESTRICTED_INCIDENT, RESTRICTED_SITE);
        }

        driver.findElement(By.id("sign-out")).click();
        waitFor("signed out", () -> !driver.findElements(By.id("sign-in-link")).isEmpty());
        go("#/timeline?kind=message&signedout=1");
        waitFor("the public messages", () -> text("timeline").contains("message"));
        assertThat(text("timeline")).as("the session cookie ended with the sign-out").doesNotContain(PARTIES_SUBJECT);
    }

    // ---- every page ----

    @Test
    void everyPage_showsItsRecords() {
        open("#/agreements");
        waitFor("the agreements", () -> mainText().contains("Geneva arrangement of 9 September 2016"));
        screenshot("agreements");
        open("#/agreements/" + Demo.GENEVA + "?at=2016-09-20T00:00:00Z");
        waitFor("the board", () -> mainText().contains("Joint Implementation Centre"));
        assertThat(driver.findElement(By.id("step-jic")).getText()).contains("blocked", "Blocked on", "sy, hnc (step seven-days)");
        assertThat(driver.findElement(By.id("step-seven-days")).getText()).contains("disputed", "Holds up", "jic");
        screenshot("agreement-board");
        open("#/agreements/" + Demo.CESSATION);
        waitFor("the deadline history", () -> !driver.findElements(By.id("deadline-history")).isEmpty());
        assertThat(text("deadline-history")).contains("separation", "extension", "us", "ru");
        screenshot("agreement-deadlines");
        open("#/timeline?agreement=" + Demo.GENEVA);
        waitFor("the timeline", () -> text("timeline").contains("agreement by operator"));
        assertThat(text("timeline")).contains("step.assessment by ctf", "agreement.accept by sy",
                "UN/SARC aid convoy struck at Urum al-Kubra").doesNotContain("Khan Shaykhun");
        screenshot("timeline");
        open("#/incidents");
        waitFor("the incidents", () -> mainText().contains("Chemical attack at Khan Shaykhun"));
        screenshot("incidents");
        open("#/report?date=2016-09-19");
        waitFor("the report", () -> !driver.findElements(By.id("report-frame")).isEmpty());
        driver.switchTo().frame(driver.findElement(By.id("report-frame")));
        waitFor("the report's page", () -> driver.findElement(By.tagName("body")).getText().contains("2016"));
        driver.switchTo().defaultContent();
        screenshot("daily-report");
        open("#/log");
        waitFor("the checkpoint", () -> text("checkpoint-signature").startsWith("verified"));
        assertThat(text("log-size")).endsWith("entries");
        assertThat(text("policy-verdict")).contains("No witness policy is loaded", "split view", "not ruled out");
        screenshot("log");
        open("#/signin");
        waitFor("the sign-in form", () -> !driver.findElements(By.id("key-file")).isEmpty());
        screenshot("signin");
    }

    @Test
    void onATablet_theMapAndAnIncidentFitTheScreen() {
        driver.manage().window().setSize(new Dimension(820, 1180));
        try {
            open("#/map");
            waitFor("the map's counts", () -> text("map-counts").contains("incidents"));
            assertThat(driver.findElement(By.id("map")).getSize().getWidth()).as("the map takes the width").isGreaterThan(700);
            assertThat(horizontalOverflow()).as("no sideways scrolling").isEmpty();
            screenshot("map-tablet", new Dimension(820, 1180));
            open("#/incidents/" + Demo.CONVOY);
            waitFor("the claims", () -> driver.findElements(By.cssSelector("#claims article.claim")).size() == 3);
            assertThat(horizontalOverflow()).as("no sideways scrolling").isEmpty();
            screenshot("incident-tablet", new Dimension(820, 1180));
        } finally {
            driver.manage().window().setSize(WINDOW);
        }
    }

    // ---- the witness policy ----

    @Test
    void logPage_withTheDemosPolicy_verifiesBothWitnesses_andAcceptsTheCheckpoint() throws IOException {
        witnessing.once();
        open("#/log");
        loadPolicy(policy);
        assertThat(text("policy-verdict")).startsWith("Accepted under your policy").contains("w1, w2");
        assertThat(driver.switchTo().activeElement().getAttribute("id")).as("focus moves to the verdict").isEqualTo("policy-verdict");
        assertThat(witnessStatus("w1")).isEqualTo("verified");
        assertThat(witnessStatus("w2")).isEqualTo("verified");
        assertThat(text("witnesses")).contains("cosigned and verified");
        assertThat(text("policy-log")).startsWith("verified").doesNotContain("not the key");
        screenshot("log-policy-accepted");

        go("#/timeline");
        go("#/log?index=1");
        waitFor("the proof", () -> text("proof-result").contains("Inclusion proof verified"));
        assertThat(text("policy-loaded")).as("the policy is kept for the tab").contains("log.policy");
        assertThat(text("proof-result")).contains("under a checkpoint accepted under your policy");
        assertThat(text("proof-facts")).contains("Under your policy\naccepted");

        driver.findElement(By.id("forget-policy")).click();
        waitFor("the policy forgotten", () -> text("policy-loaded").equals("None loaded."));
        assertThat(text("policy-verdict")).contains("No witness policy is loaded");
        assertThat((Object) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return sessionStorage.length"))
                .isEqualTo(0L);
    }

    @Test
    void logPage_withAPolicyRequiringAThirdWitness_doesNotAcceptTheCheckpoint_andNamesTheMissingWitness() throws IOException {
        String third = CosignatureV1.generate("witness-3.elsewhere.example", new java.security.SecureRandom()).vkey();
        String threeWitnesses = witnesses.policy().replace("group demo-witnesses all w1 w2",
                "witness w3 " + third + "\ngroup demo-witnesses all w1 w2 w3");
        assertThat(threeWitnesses).contains("w3");
        witnessing.once();
        open("#/log");
        loadPolicy(write("three-witnesses.policy", threeWitnesses));
        assertThat(text("policy-verdict")).startsWith("Not accepted under your policy").contains("quorum demo-witnesses is not met")
                .contains("w3");
        assertThat(witnessStatus("w1")).isEqualTo("verified");
        assertThat(witnessStatus("w2")).isEqualTo("verified");
        assertThat(witnessStatus("w3")).isEqualTo("missing");
        screenshot("log-policy-not-accepted");

        go("#/log?index=1");
        waitFor("the proof", () -> text("proof-result").contains("NOT accepted under your policy"));
        assertThat(text("proof-result")).as("no unqualified verdict").doesNotContain("Inclusion proof verified");
        assertThat(text("proof-facts")).contains("Under your policy\nnot accepted");
        screenshot("log-proof-not-accepted");
    }

    @Test
    void logPage_withAPolicyWhoseLogKeyIsWrong_doesNotAcceptTheCheckpoint() throws IOException {
        String wrong = NoteKeys.generate("demo.truce.example/log", NoteKeys.TYPE_ED25519, new java.security.SecureRandom()).vkey();
        String right = node.checkpointKey().verifier().vkey();
        witnessing.once();
        open("#/log");
        loadPolicy(write("wrong-log-key.policy", witnesses.policy().replace(right, wrong)));
        assertThat(text("policy-verdict")).startsWith("Not accepted under your policy")
                .contains("not signed by your policy's key for demo.truce.example/log");
        assertThat(text("policy-log")).startsWith("missing").contains(wrong, "not the key the genesis entry declares");

        go("#/log?index=1");
        waitFor("the proof", () -> text("proof-result").contains("NOT accepted under your policy"));
        assertThat(text("proof-result")).doesNotContain("Inclusion proof verified");
    }

    @Test
    void logPage_withAMalformedPolicy_namesTheLineOfTheError_andLoadsNothing() throws IOException {
        open("#/log");
        Path bad = write("malformed.policy", "# a witness without its key\nlog " + node.checkpointKey().verifier().vkey()
                + "\nwitness w1\nquorum none\n");
        driver.findElement(By.id("policy-file")).sendKeys(bad.toAbsolutePath().toString());
        driver.findElement(By.id("load-policy")).click();
        waitFor("the error", () -> text("policy-result").contains("not loaded"));
        assertThat(text("policy-result")).contains("line 3: expected witness <name> <vkey> [<url>]");
        assertThat(text("policy-loaded")).isEqualTo("None loaded.");
        assertThat(text("policy-verdict")).contains("No witness policy is loaded");
        screenshot("log-policy-malformed");
    }

    // ---- helpers ----

    /** Loads the page afresh, so nothing is kept in memory from the previous test. */
    private static void open(String route) {
        driver.get(base + "/?load=" + (++loads) + route);
        drawn(route);
    }

    /** Waits until the page has drawn the route (the shell marks it on the body once drawn). */
    private static void drawn(String route) {
        waitFor("the page " + route, () -> route.equals(driver.findElement(By.tagName("body")).getAttribute("data-ready")),
                () -> "drawn: " + driver.findElement(By.tagName("body")).getAttribute("data-ready") + "; address: "
                        + driver.getCurrentUrl());
    }

    /** Loads a policy file on the log page, and waits for the checkpoint's verdict under it. */
    private static void loadPolicy(Path file) {
        driver.findElement(By.id("policy-file")).sendKeys(file.toAbsolutePath().toString());
        driver.findElement(By.id("load-policy")).click();
        waitFor("the verdict under " + file.getFileName(), () -> text("policy-loaded").contains(file.getFileName().toString())
                && text("policy-verdict").contains("under your policy"));
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    /** What the log page says of a witness of the loaded policy: verified, missing or failed. */
    private static String witnessStatus(String name) {
        return driver.findElement(By.cssSelector("#witnesses tr[data-witness='" + name + "']")).getAttribute("data-status");
    }

    private static void signIn(String party) {
        open("#/signin");
        waitFor("the sign-in form", () -> !driver.findElements(By.id("key-file")).isEmpty());
        driver.findElement(By.id("key-file")).sendKeys(keys.resolve(party + ".key").toAbsolutePath().toString());
        driver.findElement(By.id("sign-in")).click();
        waitFor("signed in as " + party, () -> !driver.findElements(By.id("signed-in-party")).isEmpty()
                && driver.findElement(By.id("signed-in-party")).getText().equals(party));
        assertThat(text("signin-result")).contains("Signed in as " + party);
    }

    /** Follows a link within the page, keeping the key in memory. */
    private static void go(String route) {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("location.hash = arguments[0]", route);
        drawn(route);
    }

    private long messageIndex(String subject) {
        return node.store().read(tx -> {
            for (long i = 0; i < tx.size(); i++) {
                var b = tx.body(i);
                if (b.isPresent() && new String(b.get().canonicalBody(), java.nio.charset.StandardCharsets.UTF_8)
                        .contains(subject)) {
                    return i;
                }
            }
            throw new AssertionError("no message " + subject);
        });
    }

    private static String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static String mainText() {
        return driver.findElement(By.tagName("main")).getText();
    }

    private static int count(String css) {
        return driver.findElements(By.cssSelector(css)).size();
    }

    /** Waits until the condition holds, polling; fails naming what was awaited and what the page showed. */
    private static void waitFor(String what, Supplier<Boolean> condition) {
        waitFor(what, condition, () -> "");
    }

    private static void waitFor(String what, Supplier<Boolean> condition, Supplier<String> state) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.get()) {
                    return;
                }
            } catch (org.openqa.selenium.WebDriverException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        String shown = driver.findElements(By.tagName("main")).isEmpty() ? "" : mainText();
        throw new AssertionError("waited for " + what + "; " + state.get() + "; the page shows: " + shown, last);
    }

    /** The elements wider than the window, if the page scrolls sideways; empty when it fits. */
    private static String horizontalOverflow() {
        return (String) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "const w = document.documentElement.clientWidth;"
                + "if (document.documentElement.scrollWidth <= w) return '';"
                + "return [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > w + 1)"
                + ".slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ');");
    }

    private static void screenshot(String name) {
        screenshot(name, WINDOW);
    }

    /** The whole page, up to 4,000 pixels tall: the window is stretched to the page for the picture. */
    private static void screenshot(String name, Dimension window) {
        Object height = ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("window.scrollTo(0, 0); return document.documentElement.scrollHeight");
        int h = Math.min(4000, Math.max(window.getHeight(), ((Number) height).intValue()));
        driver.manage().window().setSize(new Dimension(window.getWidth(), h));
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(window);
        }
    }
}
