package org.truce.core.actor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.obj;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.access.Reader;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Visibility;

/** The actor registry: one actor under several names over time, and its status history. */
class ActorRulesTest {
    static final Instant REGISTERED = Instant.parse("2016-02-22T12:00:00Z");
    static final Instant RENAMED = Instant.parse("2016-07-28T00:00:00Z");

    private TestLog log;

    @BeforeEach
    void start() throws Exception {
        log = TestLog.started();
    }

    private TestLog.Logged nusra() throws EntryException {
        ObjectNode b = obj().put("id", "nusra").put("name", "Jabhat al-Nusra").put("type", "armed-group")
                .put("source", "UN Security Council resolution 2170 (2014)");
        b.putArray("aliases").add("al-Nusra Front");
        return log.submitAt(log.operator, "actor", b, Visibility.PUBLIC, REGISTERED);
    }

    private TestLog.Logged rename(String name, Instant from) throws EntryException {
        return log.submitAt(log.us, "actor.name", obj().put("actor", "nusra").put("name", name).put("change", "renamed")
                .put("from", from.toString()).put("source", "the group's announcement"), Visibility.PUBLIC, from);
    }

    private TestLog.Logged status(EntrySigner by, String status, Instant from, String source) throws EntryException {
        return log.submitAt(by, "actor.status", obj().put("actor", "nusra").put("status", status).put("from", from.toString())
                .put("source", source), Visibility.PUBLIC, from);
    }

    private ObjectNode at(Instant t) {
        return new Actors(log.state()).get(Reader.PUBLIC, "nusra", t).orElseThrow();
    }

    @Test
    void actor_renamedTwice_isStillOneActor_foundByEveryName() throws Exception {
        nusra();
        rename("Jabhat Fatah al-Sham", RENAMED);
        rename("Hay'at Tahrir al-Sham", Instant.parse("2017-01-28T00:00:00Z"));
        Actors actors = new Actors(log.state());
        for (String name : new String[] {"Jabhat al-Nusra", "al-nusra front", "Jabhat Fatah al-Sham", "HAY'AT TAHRIR AL-SHAM"}) {
            assertThat(actors.named(Reader.PUBLIC, name)).as(name).containsExactly("nusra");
        }
        assertThat(at(Instant.parse("2016-03-01T00:00:00Z")).get("currentName").textValue()).isEqualTo("Jabhat al-Nusra");
        ObjectNode late2016 = at(Instant.parse("2016-12-01T00:00:00Z"));
        assertThat(late2016.get("currentName").textValue()).isEqualTo("Jabhat Fatah al-Sham");
        assertThat(late2016.get("knownAs").toString()).contains("Jabhat al-Nusra", "al-Nusra Front");
        assertThat(at(Instant.parse("2017-06-01T00:00:00Z")).get("currentName").textValue()).isEqualTo("Hay'at Tahrir al-Sham");
        assertThat(actors.ids(Reader.PUBLIC)).containsExactly("nusra");
    }

    @Test
    void status_history_eachChangeWithItsSourceAndAuthor() throws Exception {
        nusra();
        assertThat(at(REGISTERED).get("status").textValue()).isEqualTo("unknown");
        status(log.operator, "excluded", Instant.parse("2016-02-27T00:00:00Z"), "the cessation's terms");
        status(log.ru, "excluded", Instant.parse("2016-09-12T16:00:00Z"), "the Geneva arrangement");
        ObjectNode a = at(Instant.parse("2016-10-01T00:00:00Z"));
        assertThat(a.get("status").textValue()).isEqualTo("excluded");
        assertThat(a.get("statuses").findValuesAsText("by")).containsExactly("operator", "ru");
        assertThat(a.get("statuses").findValuesAsText("source")).containsExactly("the cessation's terms", "the Geneva arrangement");
        assertThat(at(Instant.parse("2016-02-26T00:00:00Z")).get("statuses")).as("not yet in force").isEmpty();
    }

    @Test
    void unknownActor_duplicateId_orStranger_refusedAndNothingWritten() throws Exception {
        EntryException e = refusal(() -> rename("Jabhat Fatah al-Sham", RENAMED));
        assertThat(e.reason()).isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(e).hasMessageContaining("/actor").hasMessageContaining("nusra");
        nusra();
        assertThat(refusal(this::nusra).reason()).isEqualTo(Rejection.RULE_VIOLATION);
        EntrySigner stranger = log.key("xx");
        assertThat(refusal(() -> status(stranger, "party", REGISTERED, "me")).reason()).isIn(Rejection.UNKNOWN_KEY,
                Rejection.NOT_ALLOWED);
        ObjectNode affiliated = obj().put("id", "saa").put("name", "Syrian Arab Army").put("type", "state-force")
                .put("source", "s");
        affiliated.putObject("affiliation").put("actor", "syrian-armed-forces");
        assertThat(refusal(() -> log.submitAt(log.operator, "actor", affiliated, Visibility.PUBLIC, REGISTERED)))
                .hasMessageContaining("/affiliation/actor");
        assertThat(log.state().get(ActorRules.ACTORS, "saa")).isEmpty();
    }

    @Test
    void restrictedName_notFoundByOthers() throws Exception {
        nusra();
        log.submitAt(log.us, "actor.name", obj().put("actor", "nusra").put("name", "Codename Falcon").put("change", "alias")
                .put("source", "intelligence"), Visibility.named("us"), REGISTERED);
        assertThat(new Actors(log.state()).named(Reader.party("ru"), "Codename Falcon")).isEmpty();
        assertThat(new Actors(log.state()).named(Reader.party("us"), "Codename Falcon")).containsExactly("nusra");
        assertThat(new Actors(log.state()).get(Reader.PUBLIC, "nusra", REGISTERED).orElseThrow().toString())
                .doesNotContain("Falcon");
    }
}
