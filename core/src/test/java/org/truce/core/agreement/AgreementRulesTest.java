package org.truce.core.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.obj;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.access.Reader;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Visibility;
import org.truce.core.state.StateView;

/**
 * The agreement rules and the views derived from them, on the 2016 cessation of hostilities: the
 * US and Russia made it, Syria and the opposition were invited to accept it by 26 February 12:00
 * Damascus time, and the ceasefire task force monitors it.
 */
class AgreementRulesTest {
    static final Instant ANNOUNCED = Instant.parse("2016-02-22T12:00:00Z");
    static final Instant ACCEPT_BY = Instant.parse("2016-02-26T10:00:00Z");
    static final Instant IN_FORCE_BY = Instant.parse("2016-02-26T22:00:00Z");
    static final String ID = "cessation";

    private TestLog log;
    private EntrySigner hnc;
    private EntrySigner ctf;

    @BeforeEach
    void start() throws Exception {
        log = TestLog.started();
        hnc = log.key("hnc");
        log.register(hnc);
        ctf = log.key("ctf");
        log.submit(log.operator, "party", TestLog.partyBody("ctf", "monitor", ctf.vkey()), Visibility.PUBLIC);
    }

    // ---- bodies ----

    static ObjectNode step(ArrayNode steps, String id, String... obligated) {
        ObjectNode s = steps.addObject().put("id", id).put("title", "step " + id).put("fulfilment", "what " + id + " needs");
        ArrayNode o = s.putArray("obligated");
        for (String p : obligated) {
            o.add(p);
        }
        return s;
    }

    static ObjectNode at(ObjectNode step, Instant t) {
        step.putObject("deadline").put("at", t.toString());
        return step;
    }

    static ObjectNode after(ObjectNode step, String event, String ref, String offset) {
        ObjectNode d = step.putObject("deadline").put("offset", offset);
        ObjectNode a = d.putObject("after").put("event", event);
        if (ref != null) {
            a.put("step", ref);
        }
        return step;
    }

    static ObjectNode pre(ObjectNode step, String... steps) {
        ArrayNode a = step.putArray("preconditions");
        for (String s : steps) {
            a.add(s);
        }
        return step;
    }

    /** The cessation: acceptance by sy and hnc, in force once both accepted, separation 7 days after it is full. */
    static ObjectNode cessation() {
        ObjectNode b = obj().put("id", ID).put("title", "Cessation of hostilities").put("text", "The terms.")
                .put("effective", ANNOUNCED.toString()).put("timeZone", "Asia/Damascus");
        b.putArray("parties").add("us").add("ru");
        b.putArray("invited").add("sy").add("hnc");
        ArrayNode steps = b.putArray("steps");
        at(step(steps, "accept-sy", "sy"), ACCEPT_BY);
        at(step(steps, "accept-hnc", "hnc"), ACCEPT_BY);
        pre(at(step(steps, "in-force", "sy", "hnc").put("collectively", true), IN_FORCE_BY), "accept-sy", "accept-hnc");
        pre(after(step(steps, "separation", "hnc").put("phase", 2), "assessed-full", "in-force", "P7D"), "in-force");
        return b;
    }

    private TestLog.Logged record(ObjectNode agreement) throws EntryException {
        return log.submitAt(log.operator, "agreement", agreement, Visibility.PUBLIC, ANNOUNCED);
    }

    private TestLog.Logged accept(EntrySigner party, Instant t) throws EntryException {
        return log.submitAt(party, "agreement.accept", obj().put("agreement", ID), Visibility.PUBLIC, t);
    }

    private TestLog.Logged report(EntrySigner party, String step, Instant t) throws EntryException {
        ObjectNode b = obj().put("agreement", ID).put("step", step).put("statement", party.party() + " did " + step);
        b.putArray("evidence").add("0f".repeat(32));
        return log.submitAt(party, "step.report", b, Visibility.PUBLIC, t);
    }

    private TestLog.Logged assess(String step, int score, Instant t) throws EntryException {
        return log.submitAt(ctf, "step.assessment", obj().put("agreement", ID).put("step", step).put("score", score)
                .put("reasons", "observed " + score), Visibility.PUBLIC, t);
    }

    private TestLog.Logged extension(EntrySigner party, String step, Instant until, String proposal, Instant t)
            throws EntryException {
        ObjectNode b = obj().put("agreement", ID).put("step", step).put("until", until.toString()).put("reason", "more time");
        if (proposal != null) {
            b.put("proposal", proposal);
        }
        return log.submitAt(party, "deadline.extension", b, Visibility.PUBLIC, t);
    }

    /** Both invited parties accept on the 26th and the monitor finds both acceptances full. */
    private void accepted() throws EntryException {
        Instant t = Instant.parse("2016-02-26T08:00:00Z");
        accept(log.sy, t);
        accept(hnc, t);
        report(log.sy, "accept-sy", t);
        report(hnc, "accept-hnc", t);
        assess("accept-sy", 3, t.plusSeconds(600));
        assess("accept-hnc", 3, t.plusSeconds(600));
    }

    private ObjectNode status(Instant t) {
        return status(log.state(), Reader.PUBLIC, t);
    }

    private static ObjectNode status(StateView state, Reader reader, Instant t) {
        return new Agreements(state).status(reader, ID, t).orElseThrow();
    }

    private static JsonNode step(ObjectNode status, String id) {
        for (JsonNode s : status.get("steps")) {
            if (s.get("id").textValue().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no step " + id);
    }

    private static String stateOf(ObjectNode status, String id) {
        return step(status, id).get("status").textValue();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.textValue()));
        return out;
    }

    private static EntryException refused(Rejection reason, org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        EntryException e = refusal(c);
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        return e;
    }

    // ---- the agreement itself ----

    @Test
    void agreement_recorded_showsEveryStepDueBeforeItsDeadline() throws Exception {
        record(cessation());
        ObjectNode s = status(Instant.parse("2016-02-23T00:00:00Z"));
        assertThat(stateOf(s, "accept-sy")).isEqualTo("due");
        assertThat(step(s, "accept-sy").get("deadline").textValue()).isEqualTo("2016-02-26T10:00:00Z");
        assertThat(stateOf(s, "in-force")).isEqualTo("blocked");
        assertThat(step(s, "in-force").get("blockedOn").findValuesAsText("step")).containsExactly("accept-sy", "accept-hnc");
        assertThat(stateOf(s, "separation")).isEqualTo("blocked");
        assertThat(s.get("obligations").get("sy").get("standing").textValue()).isEqualTo("invited");
        assertThat(s.get("obligations").get("us").get("standing").textValue()).isEqualTo("party");
        assertThat(new Agreements(log.state()).status(Reader.PUBLIC, ID, ANNOUNCED.minusSeconds(1)))
                .as("not yet recorded at that moment").isEmpty();
    }

    @Test
    void agreement_stepReferringToAnUnknownStep_refusedNamingTheField() throws Exception {
        ObjectNode b = cessation();
        ((ArrayNode) b.get("steps").get(2).get("preconditions")).add("accept-fsa");
        EntryException e = refused(Rejection.INCONSISTENT_BODY, () -> record(b));
        assertThat(e).hasMessageContaining("/steps/2/preconditions/2").hasMessageContaining("accept-fsa");

        ObjectNode c = cessation();
        ((ObjectNode) c.get("steps").get(3).get("deadline").get("after")).put("step", "ceasefire");
        assertThat(refused(Rejection.INCONSISTENT_BODY, () -> record(c))).hasMessageContaining("/steps/3/deadline/after/step");
        assertThat(log.state().get(AgreementRules.AGREEMENTS, ID)).as("nothing written").isEmpty();
    }

    @Test
    void agreement_deadlineBeforeTheEffectiveTime_refusedNamingTheField() {
        ObjectNode b = cessation();
        ((ObjectNode) b.get("steps").get(0).get("deadline")).put("at", "2016-02-20T00:00:00Z");
        assertThat(refused(Rejection.INCONSISTENT_BODY, () -> record(b))).hasMessageContaining("/steps/0/deadline/at")
                .hasMessageContaining("before the agreement's effective time");
    }

    @Test
    void agreement_dependencyCycle_refusedNamingTheCycle() {
        ObjectNode b = cessation();
        pre((ObjectNode) b.get("steps").get(0), "in-force");
        assertThat(refused(Rejection.INCONSISTENT_BODY, () -> record(b)))
                .hasMessageContaining("cycle").hasMessageContaining("accept-sy → in-force → accept-sy");

        ObjectNode viaDeadline = cessation();
        after((ObjectNode) viaDeadline.get("steps").get(1), "reported", "separation", "PT1H");
        assertThat(refused(Rejection.INCONSISTENT_BODY, () -> record(viaDeadline))).as("a relative deadline is a dependency too")
                .hasMessageContaining("cycle");

        ObjectNode self = cessation();
        pre((ObjectNode) self.get("steps").get(0), "accept-sy");
        assertThat(refused(Rejection.INCONSISTENT_BODY, () -> record(self))).hasMessageContaining("accept-sy → accept-sy");
    }

    @Test
    void agreement_unknownActorOrPartyOrObligation_refusedNamingTheField() {
        ObjectNode b = cessation();
        b.putArray("excludes").add("isil");
        assertThat(refused(Rejection.RULE_VIOLATION, () -> record(b))).hasMessageContaining("/excludes/0")
                .hasMessageContaining("isil");
        ObjectNode c = cessation();
        ((ArrayNode) c.get("invited")).add("fsa");
        assertThat(refused(Rejection.RULE_VIOLATION, () -> record(c))).hasMessageContaining("/invited/2");
        ObjectNode d = cessation();
        ((ArrayNode) d.get("steps").get(0).get("obligated")).add("ctf");
        assertThat(refused(Rejection.INCONSISTENT_BODY, () -> record(d))).hasMessageContaining("/steps/0/obligated/1");
    }

    @Test
    void agreement_sameIdTwiceOrByAStranger_refused() throws Exception {
        record(cessation());
        refused(Rejection.RULE_VIOLATION, () -> record(cessation()));
        ObjectNode b = cessation().put("id", "other");
        refused(Rejection.NOT_ALLOWED, () -> log.submitAt(log.sy, "agreement", b, Visibility.PUBLIC, ANNOUNCED));
    }

    // ---- acceptance, reports, assessments ----

    @Test
    void report_beforeThePreconditionsAreAssessedFull_refused() throws Exception {
        record(cessation());
        accept(log.sy, ANNOUNCED);
        accept(hnc, ANNOUNCED);
        EntryException e = refused(Rejection.RULE_VIOLATION, () -> report(log.sy, "in-force", ACCEPT_BY));
        assertThat(e).hasMessageContaining("precondition accept-sy").hasMessageContaining("not assessed");
        report(log.sy, "accept-sy", ANNOUNCED);
        assess("accept-sy", 2, ANNOUNCED);
        assertThat(refused(Rejection.RULE_VIOLATION, () -> report(log.sy, "in-force", ACCEPT_BY))).hasMessageContaining("score 2");
        assess("accept-sy", 3, ANNOUNCED);
        report(hnc, "accept-hnc", ANNOUNCED);
        assess("accept-hnc", 3, ANNOUNCED);
        report(log.sy, "in-force", IN_FORCE_BY);
    }

    @Test
    void report_byAPartyTheStepDoesNotObligate_refused() throws Exception {
        record(cessation());
        accept(hnc, ANNOUNCED);
        assertThat(refused(Rejection.NOT_ALLOWED, () -> report(hnc, "accept-sy", ACCEPT_BY)))
                .hasMessageContaining("not obligated by step accept-sy");
        assertThat(refused(Rejection.RULE_VIOLATION, () -> report(log.sy, "accept-syria", ACCEPT_BY)))
                .hasMessageContaining("/step");
    }

    @Test
    void report_byAnInvitedPartyThatHasNotAccepted_refused() throws Exception {
        record(cessation());
        assertThat(refused(Rejection.RULE_VIOLATION, () -> report(log.sy, "accept-sy", ACCEPT_BY)))
                .hasMessageContaining("has not accepted");
    }

    @Test
    void accept_byAStrangerOrTwice_refused() throws Exception {
        record(cessation());
        EntrySigner ocha = log.key("ocha");
        log.register(ocha);
        refused(Rejection.NOT_ALLOWED, () -> accept(ocha, ANNOUNCED));
        accept(log.sy, ANNOUNCED);
        refused(Rejection.RULE_VIOLATION, () -> accept(log.sy, ANNOUNCED));
        assertThat(status(ACCEPT_BY).get("obligations").get("sy").get("standing").textValue()).isEqualTo("accepted");
    }

    @Test
    void assessment_byAPartyThatIsNotAMonitor_refused() throws Exception {
        record(cessation());
        assertThat(refused(Rejection.NOT_ALLOWED, () -> log.submitAt(log.us, "step.assessment", obj().put("agreement", ID)
                .put("step", "accept-sy").put("score", 3).put("reasons", "we say so"), Visibility.PUBLIC, ACCEPT_BY)))
                .hasMessageContaining("not a monitor");
    }

    @Test
    void steps_reportedThenAssessed_areReportedFulfilledOrDisputed() throws Exception {
        record(cessation());
        accept(log.sy, ANNOUNCED);
        accept(hnc, ANNOUNCED);
        report(log.sy, "accept-sy", Instant.parse("2016-02-26T08:00:00Z"));
        report(hnc, "accept-hnc", Instant.parse("2016-02-26T09:00:00Z"));
        Instant t = Instant.parse("2016-02-26T09:30:00Z");
        assertThat(stateOf(status(t), "accept-sy")).isEqualTo("reported");
        assess("accept-sy", 3, t);
        assess("accept-hnc", 1, t);
        ObjectNode s = status(t);
        assertThat(stateOf(s, "accept-sy")).isEqualTo("fulfilled");
        assertThat(stateOf(s, "accept-hnc")).as("the monitor disagrees with the report").isEqualTo("disputed");
        assertThat(step(s, "accept-hnc").get("assessment").get("score").asInt()).isEqualTo(1);
        assertThat(stateOf(s, "in-force")).isEqualTo("blocked");
        assertThat(step(s, "in-force").get("blockedOn").findValuesAsText("step")).containsExactly("accept-hnc");
        assertThat(texts(s.get("obligations").get("hnc").get("blocking"))).containsExactly("in-force", "separation");
        assertThat(texts(s.get("obligations").get("sy").get("blocking"))).as("through in-force, which it owes with hnc")
                .containsExactly("separation");
        report(hnc, "accept-hnc", t.plusSeconds(60));
        assertThat(stateOf(status(t.plusSeconds(60)), "accept-hnc")).as("reported again after the assessment").isEqualTo("reported");
    }

    @Test
    void step_pastItsDeadlineWithoutAReport_isOverdue_andSeenEarlierIsDue() throws Exception {
        record(cessation());
        assertThat(stateOf(status(ACCEPT_BY), "accept-sy")).isEqualTo("due");
        ObjectNode later = status(ACCEPT_BY.plusSeconds(1));
        assertThat(stateOf(later, "accept-sy")).isEqualTo("overdue");
        assertThat(later.get("obligations").get("sy").get("steps").get("overdue").get(0).textValue()).isEqualTo("accept-sy");
    }

    @Test
    void view_atAnEarlierMoment_ignoresWhatWasRecordedLater() throws Exception {
        record(cessation());
        accepted();
        assertThat(stateOf(status(Instant.parse("2016-02-26T08:05:00Z")), "accept-sy")).isEqualTo("reported");
        assertThat(stateOf(status(Instant.parse("2016-02-26T07:00:00Z")), "accept-sy")).isEqualTo("due");
        assertThat(stateOf(status(Instant.parse("2016-02-26T09:00:00Z")), "accept-sy")).isEqualTo("fulfilled");
    }

    // ---- relative deadlines ----

    @Test
    void deadlineRelativeToAnAssessment_laterRevised_waitsAgainAndMovesWithTheNewAssessment() throws Exception {
        record(cessation());
        accepted();
        Instant full = Instant.parse("2016-02-27T12:00:00Z");
        report(log.sy, "in-force", Instant.parse("2016-02-27T00:00:00Z"));
        ObjectNode before = status(full);
        assertThat(stateOf(before, "separation")).isEqualTo("blocked");

        assess("in-force", 3, full);
        ObjectNode s = status(full);
        assertThat(step(s, "separation").get("deadline").textValue()).isEqualTo("2016-03-05T12:00:00Z");
        assertThat(stateOf(s, "separation")).isEqualTo("due");

        Instant revised = Instant.parse("2016-03-01T00:00:00Z");
        assess("in-force", 2, revised);
        ObjectNode r = status(revised);
        assertThat(step(r, "separation").get("deadline").isNull()).as("the event it counted from is undone").isTrue();
        assertThat(stateOf(r, "in-force")).isEqualTo("disputed");
        assertThat(stateOf(r, "separation")).isEqualTo("blocked");

        Instant again = Instant.parse("2016-03-03T00:00:00Z");
        assess("in-force", 3, again);
        assertThat(step(status(again), "separation").get("deadline").textValue()).isEqualTo("2016-03-10T00:00:00Z");
        assertThat(step(status(revised.minusSeconds(1)), "separation").get("deadline").textValue())
                .as("seen before the revision, the first deadline stands").isEqualTo("2016-03-05T12:00:00Z");
    }

    @Test
    void deadlineRelativeToAnEventThatHasNotHappened_isPending() throws Exception {
        ObjectNode b = cessation();
        ArrayNode steps = (ArrayNode) b.get("steps");
        after(step(steps, "monitoring", "us", "ru"), "reported", "in-force", "PT48H");
        after(step(steps, "hotline", "us", "ru"), "effective", null, "PT24H");
        record(b);
        ObjectNode s = status(ANNOUNCED.plusSeconds(3600));
        assertThat(stateOf(s, "monitoring")).isEqualTo("pending");
        assertThat(step(s, "monitoring").get("waitingFor").textValue()).isEqualTo("step in-force reported");
        assertThat(step(s, "hotline").get("deadline").textValue()).isEqualTo("2016-02-23T12:00:00Z");
        assertThat(stateOf(status(Instant.parse("2016-02-24T00:00:00Z")), "hotline")).isEqualTo("overdue");
    }

    // ---- extensions, pauses, withdrawal ----

    @Test
    void extension_signedByOnlySomeParties_isNotInEffect_untilEveryPartySigns() throws Exception {
        record(cessation());
        Instant until = Instant.parse("2016-03-01T10:00:00Z");
        TestLog.Logged request = extension(log.us, "accept-sy", until, null, Instant.parse("2016-02-25T00:00:00Z"));
        ObjectNode s = status(Instant.parse("2016-02-27T00:00:00Z"));
        assertThat(stateOf(s, "accept-sy")).as("one of two parties signed").isEqualTo("overdue");
        assertThat(step(s, "accept-sy").get("deadline").textValue()).isEqualTo("2016-02-26T10:00:00Z");
        assertThat(s.get("pendingChanges").get(0).get("awaiting").get(0).textValue()).isEqualTo("ru");

        Instant agreed = Instant.parse("2016-02-27T06:00:00Z");
        extension(log.ru, "accept-sy", until, request.id(), agreed);
        ObjectNode after = status(agreed);
        assertThat(step(after, "accept-sy").get("deadline").textValue()).isEqualTo("2016-03-01T10:00:00Z");
        assertThat(stateOf(after, "accept-sy")).isEqualTo("due");
        assertThat(after.get("pendingChanges")).isEmpty();
        assertThat(stateOf(status(agreed.minusSeconds(1)), "accept-sy")).as("not in effect before the last signature")
                .isEqualTo("overdue");

        JsonNode history = new Agreements(log.state()).timeline(Reader.PUBLIC, ID, agreed).orElseThrow()
                .get("deadlines").get("accept-sy");
        assertThat(history.findValuesAsText("basis")).containsExactly("original", "extension");
        assertThat(history.get(1).get("requestedBy").textValue()).isEqualTo("us");
        assertThat(history.get(1).get("agreedBy").get(0).textValue()).isEqualTo("ru");
        assertThat(history.get(1).get("inEffectFrom").textValue()).isEqualTo("2016-02-27T06:00:00Z");
        JsonNode events = new Agreements(log.state()).timeline(Reader.PUBLIC, ID, agreed).orElseThrow().get("events");
        assertThat(events.findValuesAsText("what")).contains("requested an extension of step accept-sy",
                "agreed to the extension requested by us", "the extension requested by us is in effect");
        assertThat(events.findValuesAsText("reason")).contains("more time");
    }

    @Test
    void extension_byAnInvitedParty_orAgreementToOtherTerms_orSignedTwice_refused() throws Exception {
        record(cessation());
        accept(log.sy, ANNOUNCED);
        Instant until = Instant.parse("2016-03-01T10:00:00Z");
        refused(Rejection.NOT_ALLOWED, () -> extension(log.sy, "accept-sy", until, null, ANNOUNCED));
        TestLog.Logged request = extension(log.us, "accept-sy", until, null, ANNOUNCED);
        assertThat(refused(Rejection.RULE_VIOLATION, () -> extension(log.ru, "accept-sy", until.plusSeconds(3600),
                request.id(), ANNOUNCED))).hasMessageContaining("/until");
        refused(Rejection.RULE_VIOLATION, () -> extension(log.us, "accept-sy", until, request.id(), ANNOUNCED));
        assertThat(refused(Rejection.RULE_VIOLATION, () -> extension(log.us, "accept-sy", Instant.parse("2016-01-01T00:00:00Z"),
                null, ANNOUNCED))).hasMessageContaining("effective");
    }

    @Test
    void pause_agreedByBothParties_shiftsLaterDeadlinesAndPausesWhatIsDue() throws Exception {
        record(cessation());
        ObjectNode p = obj().put("agreement", ID).put("from", "2016-02-25T00:00:00Z").put("until", "2016-02-27T00:00:00Z")
                .put("reason", "talks in Geneva");
        TestLog.Logged request = log.submitAt(log.us, "pause", p, Visibility.PUBLIC, ANNOUNCED);
        assertThat(step(status(ANNOUNCED), "accept-sy").get("deadline").textValue()).isEqualTo("2016-02-26T10:00:00Z");
        log.submitAt(log.ru, "pause", p.deepCopy().put("proposal", request.id()), Visibility.PUBLIC, ANNOUNCED);
        ObjectNode s = status(Instant.parse("2016-02-26T12:00:00Z"));
        assertThat(step(s, "accept-sy").get("deadline").textValue()).isEqualTo("2016-02-28T10:00:00Z");
        assertThat(stateOf(s, "accept-sy")).isEqualTo("paused");
        assertThat(s.get("pausedUntil").textValue()).isEqualTo("2016-02-27T00:00:00Z");
        assertThat(stateOf(status(Instant.parse("2016-02-28T10:00:01Z")), "accept-sy")).isEqualTo("overdue");
        ObjectNode bad = p.deepCopy().put("until", "2016-02-24T00:00:00Z");
        refused(Rejection.INCONSISTENT_BODY, () -> log.submitAt(log.us, "pause", bad, Visibility.PUBLIC, ANNOUNCED));
    }

    @Test
    void withdrawal_marksThePartysStepsWithdrawn_andRefusesItsLaterReports() throws Exception {
        record(cessation());
        accept(hnc, ANNOUNCED);
        Instant out = Instant.parse("2016-02-24T00:00:00Z");
        log.submitAt(hnc, "agreement.withdraw", obj().put("agreement", ID).put("reason", "violations"), Visibility.PUBLIC, out);
        ObjectNode s = status(out);
        assertThat(stateOf(s, "accept-hnc")).isEqualTo("withdrawn");
        assertThat(s.get("obligations").get("hnc").get("standing").textValue()).isEqualTo("withdrawn");
        assertThat(s.get("parties").toString()).as("the terms still say who made it").isEqualTo("[\"us\",\"ru\"]");
        assertThat(s.get("invited").toString()).isEqualTo("[\"sy\",\"hnc\"]");
        assertThat(stateOf(status(out.minusSeconds(1)), "accept-hnc")).isEqualTo("due");
        assertThat(refused(Rejection.RULE_VIOLATION, () -> report(hnc, "accept-hnc", out))).hasMessageContaining("withdrawn");
        refused(Rejection.RULE_VIOLATION, () -> log.submitAt(hnc, "agreement.withdraw", obj().put("agreement", ID)
                .put("reason", "again"), Visibility.PUBLIC, out));
    }

    // ---- the critical path, visibility, replay ----

    @Test
    void criticalPath_followsTheUnfinishedStepsWithTheLatestDeadlines() throws Exception {
        record(cessation());
        JsonNode path = status(ANNOUNCED).get("criticalPath");
        assertThat(path.get("phase").asInt()).isEqualTo(1);
        assertThat(path.get("next").textValue()).isEqualTo("phase 2");
        assertThat(path.get("steps").findValuesAsText("id")).containsExactly("accept-sy", "in-force");
        accepted();
        report(log.sy, "in-force", IN_FORCE_BY);
        assess("in-force", 3, IN_FORCE_BY);
        JsonNode next = status(IN_FORCE_BY).get("criticalPath");
        assertThat(next.get("phase").asInt()).isEqualTo(2);
        assertThat(next.get("next").textValue()).isEqualTo("completion");
        assertThat(next.get("steps").findValuesAsText("id")).containsExactly("separation");
    }

    @Test
    void restrictedReport_visibleOnlyWithinItsVisibility() throws Exception {
        record(cessation());
        accept(log.sy, ANNOUNCED);
        ObjectNode b = obj().put("agreement", ID).put("step", "accept-sy").put("statement", "CONFIDENTIAL acceptance");
        log.submitAt(log.sy, "step.report", b, Visibility.named("ru", "sy"), ANNOUNCED);
        assertThat(stateOf(status(log.state(), Reader.party("ru"), ANNOUNCED), "accept-sy")).isEqualTo("reported");
        assertThat(stateOf(status(log.state(), Reader.party("us"), ANNOUNCED), "accept-sy")).isEqualTo("due");
        String seenByUs = new Agreements(log.state()).timeline(Reader.party("us"), ID, ANNOUNCED).orElseThrow().toString();
        assertThat(seenByUs).doesNotContain("CONFIDENTIAL");
        assertThat(new Agreements(log.state()).timeline(Reader.party("ru"), ID, ANNOUNCED).orElseThrow().toString())
                .contains("CONFIDENTIAL");
    }

    @Test
    void views_afterReplayingTheLog_areIdentical() throws Exception {
        record(cessation());
        accepted();
        TestLog.Logged request = extension(log.us, "in-force", Instant.parse("2016-03-01T00:00:00Z"), null, ANNOUNCED);
        extension(log.ru, "in-force", Instant.parse("2016-03-01T00:00:00Z"), request.id(), ANNOUNCED);
        List<Instant> moments = new ArrayList<>(List.of(ANNOUNCED, ACCEPT_BY, IN_FORCE_BY, Instant.parse("2016-03-02T00:00:00Z")));
        StateView replayed = log.replayState();
        for (Instant t : moments) {
            for (Reader r : List.of(Reader.PUBLIC, Reader.party("sy"))) {
                assertThat(status(replayed, r, t)).isEqualTo(status(log.state(), r, t));
                assertThat(new Agreements(replayed).timeline(r, ID, t)).isEqualTo(new Agreements(log.state()).timeline(r, ID, t));
            }
        }
    }
}
