package org.truce.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.message;
import static org.truce.core.TestLog.obj;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.truce.core.TestLog;
import org.truce.core.entry.Leaf;
import org.truce.core.entry.Submission;
import org.truce.core.entry.Visibility;
import org.truce.core.hotline.Hotline;
import org.truce.core.hotline.HotlineRules;
import org.truce.core.state.Doc;
import org.truce.tlog.merkle.Rfc9162;

class ReaderTest {
    private static final Clock NOW = Clock.fixed(TestLog.AT.plusSeconds(60), ZoneOffset.UTC);

    private static Visibility visibility(String v) {
        return switch (v) {
            case "public" -> Visibility.PUBLIC;
            case "parties" -> Visibility.PARTIES;
            default -> Visibility.named(v.split(" "));
        };
    }

    private static Reader reader(String r) {
        return r.equals("-") ? Reader.PUBLIC : Reader.party(r);
    }

    private static List<String> ids(List<ObjectNode> messages) {
        return messages.stream().map(m -> m.get("id").textValue()).toList();
    }

    // ---- the rule ----

    @ParameterizedTest(name = "{0} reads {1} by {2}: {3}")
    @CsvSource({
        "-,  public,  us, true",
        "-,  parties, us, false",
        "-,  ru us,   us, false",
        "us, public,  us, true",
        "sy, parties, us, true",
        "ru, ru us,   us, true",
        "us, ru us,   us, true",
        "us, ru,      us, true",
        "sy, ru us,   us, false",
        "ru, sy,      us, false",
        "operator, ru, us, false",
    })
    void mayRead_visibilityAndAuthor_decide(String reader, String visibility, String author, boolean expected) {
        assertThat(reader(reader).mayRead(visibility(visibility), author)).isEqualTo(expected);
        Doc d = new Doc("message", "m1", obj(), List.of(), visibility(visibility), author, 0);
        assertThat(reader(reader).mayRead(d)).isEqualTo(expected);
    }

    @Test
    void partyId_publicReader_empty() {
        assertThat(Reader.PUBLIC.partyId()).isEmpty();
        assertThat(Reader.party("us").partyId()).contains("us");
    }

    // ---- documents in the state ----

    @Test
    void hotline_publicReader_readsPublicMessagesOnly() throws Exception {
        TestLog log = TestLog.started();
        TestLog.Logged pub = log.submit(log.us, "message", message("open", "ru"), Visibility.PUBLIC);
        TestLog.Logged parties = log.submit(log.us, "message", message("parties", "ru"), Visibility.PARTIES);
        TestLog.Logged named = log.submit(log.us, "message", message("named", "ru"), Visibility.named("ru", "us"));
        Hotline h = new Hotline(log.state(), NOW);
        assertThat(ids(h.inbox(Reader.PUBLIC, "ru", null, 10))).containsExactly(pub.id());
        assertThat(ids(h.outbox(Reader.PUBLIC, "us", null, 10))).containsExactly(pub.id());
        assertThat(h.message(Reader.PUBLIC, parties.id())).isNull();
        assertThat(h.message(Reader.PUBLIC, named.id())).isNull();
    }

    @Test
    void hotline_anyParty_readsPartiesMessagesBetweenOthers() throws Exception {
        TestLog log = TestLog.started();
        TestLog.Logged m = log.submit(log.us, "message", message("to all parties", "ru"), Visibility.PARTIES);
        Hotline h = new Hotline(log.state(), NOW);
        assertThat(ids(h.inbox(Reader.party("sy"), "ru", null, 10))).containsExactly(m.id());
        assertThat(h.message(Reader.party("sy"), m.id())).isNotNull();
    }

    @Test
    void hotline_namedVisibility_readableByTheNamedAndTheAuthorOnly() throws Exception {
        TestLog log = TestLog.started();
        TestLog.Logged m = log.submit(log.us, "message", message("between us", "ru"), Visibility.named("ru"));
        Hotline h = new Hotline(log.state(), NOW);
        assertThat(h.message(Reader.party("ru"), m.id())).isNotNull();
        assertThat(h.message(Reader.party("us"), m.id())).isNotNull();
        assertThat(h.message(Reader.party("sy"), m.id())).isNull();
        assertThat(h.message(Reader.PUBLIC, m.id())).isNull();
    }

    @Test
    void inbox_restrictedMessage_neverShownOutsideItsVisibility() throws Exception {
        TestLog log = TestLog.started();
        TestLog.Logged secret = log.submit(log.us, "message", message("between us", "ru"), Visibility.named("ru", "us"));
        Hotline h = new Hotline(log.state(), NOW);
        assertThat(ids(h.inbox(Reader.party("ru"), "ru", null, 10))).containsExactly(secret.id());
        assertThat(ids(h.outbox(Reader.party("us"), "us", null, 10))).containsExactly(secret.id());
        assertThat(h.inbox(Reader.party("sy"), "ru", null, 10)).isEmpty();
        assertThat(h.inbox(Reader.PUBLIC, "ru", null, 10)).isEmpty();
        assertThat(h.outbox(Reader.party("sy"), "us", null, 10)).isEmpty();
        assertThat(h.outbox(Reader.PUBLIC, "us", null, 10)).isEmpty();
        assertThat(h.message(Reader.party("sy"), secret.id())).isNull();
        // The thread index is no way round the filter either.
        assertThat(log.state().find(HotlineRules.MESSAGES, "thread:" + secret.id(), null, 10))
                .noneMatch(Reader.party("sy")::mayRead);
    }

    @Test
    void inbox_manyHiddenMessagesBeforeAVisibleOne_stillFindsItWithASmallLimit() throws Exception {
        // Filtering happens after paging through the index: a page of hidden messages must not end the view.
        TestLog log = TestLog.started();
        List<String> hidden = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            hidden.add(log.submit(log.us, "message", message("s" + i, "ru"), Visibility.named("ru", "us")).id());
        }
        // Ids are leaf hashes; pick the visible message so that at least half the hidden ones sort before it.
        Submission open = null;
        for (int i = 0; open == null && i < 100; i++) {
            Submission candidate = log.sign(log.sy, "message", message("open " + i, "ru"), Visibility.PARTIES,
                    log.next(log.sy));
            String id = Rfc9162.leafHash(Leaf.encode(candidate.header(), TestLog.RECEIVED)).base64();
            if (hidden.stream().filter(h -> h.compareTo(id) < 0).count() >= 6) {
                open = candidate;
            }
        }
        String openId = log.submit(open).id();
        Hotline h = new Hotline(log.state(), NOW);
        assertThat(ids(h.inbox(Reader.party("sy"), "ru", null, 2))).containsExactly(openId);
        assertThat(ids(h.inbox(Reader.party("ru"), "ru", null, 100))).hasSize(13);
        assertThat(ids(h.inbox(Reader.party("ru"), "ru", null, 2))).hasSize(2);
    }

    @Test
    void acknowledgement_restricted_notRevealedToOthersReadingTheMessage() throws Exception {
        TestLog log = TestLog.started();
        TestLog.Logged m = log.submit(log.us, "message", message("q", "ru").put("ackBy", "2016-09-20T09:00:00Z"),
                Visibility.PUBLIC);
        log.submit(log.ru, "message.ack", obj().put("message", m.id()), Visibility.named("ru", "us"));
        Hotline h = new Hotline(log.state(), NOW);
        assertThat(h.message(Reader.party("us"), m.id()).get("recipients").get(0).get("status").textValue())
                .isEqualTo("acknowledged");
        assertThat(h.message(Reader.party("sy"), m.id()).get("recipients").get(0).get("status").textValue())
                .isEqualTo("awaiting");
        assertThat(h.message(Reader.PUBLIC, m.id()).get("recipients").get(0).has("ackIndex")).isFalse();
    }
}
