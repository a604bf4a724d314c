package org.truce.core.hotline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.truce.core.TestLog.message;
import static org.truce.core.TestLog.obj;
import static org.truce.core.TestLog.refusal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.truce.core.TestLog;
import org.truce.core.access.Reader;
import org.truce.core.entry.EntryException;
import org.truce.core.entry.EntrySigner;
import org.truce.core.entry.Rejection;
import org.truce.core.entry.Visibility;
import org.truce.core.state.Doc;

class HotlineTest {
    private static final Instant ACK_BY = TestLog.AT.plusSeconds(3600);
    private static final Clock BEFORE = Clock.fixed(ACK_BY.minusSeconds(60), ZoneOffset.UTC);
    private static final Clock AT_DEADLINE = Clock.fixed(ACK_BY, ZoneOffset.UTC);
    private static final Clock AFTER = Clock.fixed(ACK_BY.plusSeconds(1), ZoneOffset.UTC);

    private TestLog log;

    @BeforeEach
    void start() throws Exception {
        log = TestLog.started();
    }

    private static Rejection reason(ThrowingCallable c) {
        return refusal(c).reason();
    }

    private TestLog.Logged send(EntrySigner from, ObjectNode body, Visibility v) throws EntryException {
        return log.submit(from, "message", body, v);
    }

    private TestLog.Logged ack(EntrySigner by, String messageId, Visibility v) throws EntryException {
        return log.submit(by, "message.ack", obj().put("message", messageId), v);
    }

    private static Reader party(EntrySigner p) {
        return Reader.party(p.party());
    }

    private List<String> ids(List<ObjectNode> messages) {
        return messages.stream().map(m -> m.get("id").textValue()).toList();
    }

    /** The status of {@code recipient} on a message, as {@code reader} sees it at {@code clock}. */
    private String status(Clock clock, Reader reader, String messageId, String recipient) {
        ObjectNode m = new Hotline(log.state(), clock).message(reader, messageId);
        assertThat(m).as("message visible to " + reader).isNotNull();
        for (JsonNode r : m.get("recipients")) {
            if (r.get("party").textValue().equals(recipient)) {
                return r.get("status").textValue();
            }
        }
        throw new AssertionError(recipient + " is not a recipient");
    }

    // ---- messages ----

    @Test
    void message_toRegisteredParties_inTheirInboxesAndTheSendersOutbox() throws Exception {
        TestLog.Logged m = send(log.us, message("ceasefire at 19:00", "ru", "sy"), Visibility.PARTIES);
        Hotline h = new Hotline(log.state(), BEFORE);
        assertThat(ids(h.inbox(party(log.ru), "ru", null, 10))).containsExactly(m.id());
        assertThat(ids(h.inbox(party(log.sy), "sy", null, 10))).containsExactly(m.id());
        assertThat(ids(h.outbox(party(log.us), "us", null, 10))).containsExactly(m.id());
        assertThat(h.inbox(party(log.us), "us", null, 10)).isEmpty();
        assertThat(h.outbox(party(log.ru), "ru", null, 10)).isEmpty();

        ObjectNode doc = h.message(party(log.ru), m.id());
        assertThat(doc.get("from").textValue()).isEqualTo("us");
        assertThat(doc.get("subject").textValue()).isEqualTo("ceasefire at 19:00");
        assertThat(doc.get("thread").textValue()).isEqualTo(m.id());
        assertThat(doc.get("index").longValue()).isEqualTo(m.index());
        assertThat(doc.get("at").textValue()).isEqualTo("2016-09-20T08:00:00Z");
        assertThat(doc.get("received").textValue()).isEqualTo("2016-09-20T08:00:01Z");
        assertThat(doc.get("recipients")).extracting(r -> r.get("party").textValue()).containsExactly("ru", "sy");
    }

    @Test
    void message_toUnregisteredParty_refused() {
        assertThat(reason(() -> send(log.us, message("hi", "ru", "xx"), Visibility.PUBLIC)))
                .isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(new Hotline(log.state(), BEFORE).inbox(party(log.ru), "ru", null, 10)).isEmpty();
    }

    @Test
    void message_toItsAuthor_refused() {
        assertThat(reason(() -> send(log.us, message("note to self", "us"), Visibility.PUBLIC)))
                .isEqualTo(Rejection.RULE_VIOLATION);
    }

    @Test
    void message_namedVisibilityOmittingARecipient_refused() throws Exception {
        EntryException e = refusal(() -> send(log.us, message("hi", "ru", "sy"), Visibility.named("ru", "us")));
        assertThat(e.reason()).isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(e).hasMessageContaining("visibility");
        // Naming every recipient is enough; the author reads its own messages anyway.
        send(log.us, message("hi", "ru", "sy"), Visibility.named("ru", "sy"));
    }

    @Test
    void message_ackByNotAfterItsTime_refused() {
        assertThat(reason(() -> send(log.us, message("hi", "ru").put("ackBy", "2016-09-20T08:00:00Z"),
                Visibility.PUBLIC))).isEqualTo(Rejection.RULE_VIOLATION);
        assertThat(reason(() -> send(log.us, message("hi", "ru").put("ackBy", "2016-09-20T07:00:00Z"),
                Visibility.PUBLIC))).isEqualTo(Rejection.RULE_VIOLATION);
    }

    // Regression: the schema checks only the shape of ackBy, so "2016-02-30T00:00:00Z" passed it and
    // Instant.parse then threw DateTimeParseException out of Ledger.apply instead of a refusal.
    @Test
    void message_ackByImpossibleDate_refusedAsSchemaViolation() {
        EntryException e = refusal(() -> send(log.us, message("hi", "ru").put("ackBy", "2016-02-30T00:00:00Z"),
                Visibility.PUBLIC));
        assertThat(e.reason()).isEqualTo(Rejection.SCHEMA_VIOLATION);
        assertThat(e).hasMessageContaining("ackBy");
    }

    // ---- threads ----

    @Test
    void reply_byRecipient_staysInTheThreadOfTheFirstMessage() throws Exception {
        TestLog.Logged q = send(log.us, message("question", "ru"), Visibility.PUBLIC);
        TestLog.Logged a = send(log.ru, message("answer", "us").put("inReplyTo", q.id()), Visibility.PUBLIC);
        TestLog.Logged b = send(log.us, message("follow-up", "ru", "sy").put("inReplyTo", a.id()), Visibility.PUBLIC);
        Hotline h = new Hotline(log.state(), BEFORE);
        assertThat(h.message(Reader.PUBLIC, a.id()).get("thread").textValue()).isEqualTo(q.id());
        assertThat(h.message(Reader.PUBLIC, a.id()).get("inReplyTo").textValue()).isEqualTo(q.id());
        assertThat(h.message(Reader.PUBLIC, b.id()).get("thread").textValue()).isEqualTo(q.id());
        assertThat(h.message(Reader.PUBLIC, q.id()).has("inReplyTo")).isFalse();
        List<String> thread = log.state().find(HotlineRules.MESSAGES, "thread:" + q.id(), null, 10).stream()
                .map(Doc::id).toList();
        assertThat(thread).containsExactlyInAnyOrder(q.id(), a.id(), b.id());
    }

    @Test
    void reply_bySenderToOwnMessage_allowed() throws Exception {
        TestLog.Logged q = send(log.us, message("question", "ru"), Visibility.PUBLIC);
        TestLog.Logged again = send(log.us, message("reminder", "ru").put("inReplyTo", q.id()), Visibility.PUBLIC);
        assertThat(new Hotline(log.state(), BEFORE).message(Reader.PUBLIC, again.id()).get("thread").textValue())
                .isEqualTo(q.id());
    }

    @Test
    void reply_byOutsider_notAllowed() throws Exception {
        TestLog.Logged q = send(log.us, message("question", "ru"), Visibility.PUBLIC);
        assertThat(reason(() -> send(log.sy, message("me too", "us").put("inReplyTo", q.id()), Visibility.PUBLIC)))
                .isEqualTo(Rejection.NOT_ALLOWED);
        assertThat(new Hotline(log.state(), BEFORE).inbox(party(log.us), "us", null, 10)).isEmpty();
    }

    @Test
    void reply_toUnknownMessage_refused() {
        String nothing = org.truce.tlog.merkle.Rfc9162.leafHash(new byte[] {42}).base64();
        assertThat(reason(() -> send(log.ru, message("answer", "us").put("inReplyTo", nothing), Visibility.PUBLIC)))
                .isEqualTo(Rejection.RULE_VIOLATION);
    }

    // ---- acknowledgements ----

    @Test
    void ack_byRecipient_recorded() throws Exception {
        TestLog.Logged m = send(log.us, message("q", "ru").put("ackBy", ACK_BY.toString()), Visibility.PARTIES);
        TestLog.Logged a = ack(log.ru, m.id(), Visibility.PARTIES);
        Doc doc = log.doc(HotlineRules.ACKS, m.id() + "/ru");
        assertThat(doc.body().get("by").textValue()).isEqualTo("ru");
        assertThat(doc.body().get("index").longValue()).isEqualTo(a.index());
        ObjectNode r = (ObjectNode) new Hotline(log.state(), AFTER).message(party(log.us), m.id()).get("recipients").get(0);
        assertThat(r.get("status").textValue()).isEqualTo("acknowledged");
        assertThat(r.get("ackIndex").longValue()).isEqualTo(a.index());
        assertThat(r.get("ackAt").textValue()).isEqualTo("2016-09-20T08:00:00Z");
    }

    @Test
    void ack_byNonRecipient_notAllowed() throws Exception {
        TestLog.Logged m = send(log.us, message("q", "ru"), Visibility.PARTIES);
        assertThat(reason(() -> ack(log.sy, m.id(), Visibility.PARTIES))).isEqualTo(Rejection.NOT_ALLOWED);
        assertThat(reason(() -> ack(log.us, m.id(), Visibility.PARTIES))).isEqualTo(Rejection.NOT_ALLOWED);
    }

    @Test
    void ack_twice_refused() throws Exception {
        TestLog.Logged m = send(log.us, message("q", "ru"), Visibility.PARTIES);
        ack(log.ru, m.id(), Visibility.PARTIES);
        assertThat(reason(() -> ack(log.ru, m.id(), Visibility.PARTIES))).isEqualTo(Rejection.RULE_VIOLATION);
    }

    @Test
    void ack_namedVisibilityWithoutTheSender_refused() throws Exception {
        TestLog.Logged m = send(log.us, message("q", "ru"), Visibility.PARTIES);
        assertThat(reason(() -> ack(log.ru, m.id(), Visibility.named("ru", "sy")))).isEqualTo(Rejection.RULE_VIOLATION);
        ack(log.ru, m.id(), Visibility.named("us"));
    }

    @Test
    void ack_unknownMessage_refused() {
        String nothing = org.truce.tlog.merkle.Rfc9162.leafHash(new byte[] {42}).base64();
        assertThat(reason(() -> ack(log.ru, nothing, Visibility.PARTIES))).isEqualTo(Rejection.RULE_VIOLATION);
    }

    // ---- view: acknowledgement status ----

    @Test
    void status_beforeAndAfterAckBy_awaitingThenOverdue() throws Exception {
        TestLog.Logged m = send(log.us, message("q", "ru").put("ackBy", ACK_BY.toString()), Visibility.PARTIES);
        assertThat(status(BEFORE, party(log.us), m.id(), "ru")).isEqualTo("awaiting");
        assertThat(status(AT_DEADLINE, party(log.us), m.id(), "ru")).isEqualTo("awaiting");
        assertThat(status(AFTER, party(log.us), m.id(), "ru")).isEqualTo("overdue");
        assertThat(new Hotline(log.state(), AFTER).message(party(log.us), m.id()).get("ackBy").textValue())
                .isEqualTo(ACK_BY.toString());
    }

    @Test
    void status_afterTheAck_acknowledgedEvenWhenLate() throws Exception {
        TestLog.Logged m = send(log.us, message("q", "ru", "sy").put("ackBy", ACK_BY.toString()), Visibility.PARTIES);
        ack(log.ru, m.id(), Visibility.PARTIES);
        assertThat(status(AFTER, party(log.us), m.id(), "ru")).isEqualTo("acknowledged");
        assertThat(status(AFTER, party(log.us), m.id(), "sy")).isEqualTo("overdue");
        assertThat(status(BEFORE, party(log.us), m.id(), "sy")).isEqualTo("awaiting");
    }

    @Test
    void status_withoutAckBy_noAckRequiredUntilAcknowledged() throws Exception {
        TestLog.Logged m = send(log.us, message("fyi", "ru", "sy"), Visibility.PUBLIC);
        assertThat(status(AFTER, Reader.PUBLIC, m.id(), "ru")).isEqualTo("no_ack_required");
        ack(log.sy, m.id(), Visibility.PUBLIC);
        assertThat(status(AFTER, Reader.PUBLIC, m.id(), "sy")).isEqualTo("acknowledged");
        assertThat(status(AFTER, Reader.PUBLIC, m.id(), "ru")).isEqualTo("no_ack_required");
    }

    @Test
    void inboxAndOutbox_pastAckBy_showOverdue() throws Exception {
        send(log.us, message("q", "ru").put("ackBy", ACK_BY.toString()), Visibility.PARTIES);
        Hotline h = new Hotline(log.state(), AFTER);
        assertThat(h.inbox(party(log.ru), "ru", null, 10).get(0).get("recipients").get(0).get("status").textValue())
                .isEqualTo("overdue");
        assertThat(h.outbox(party(log.us), "us", null, 10).get(0).get("recipients").get(0).get("status").textValue())
                .isEqualTo("overdue");
    }

    @Test
    void message_unknownId_null() {
        assertThat(new Hotline(log.state(), BEFORE).message(Reader.PUBLIC, "nothing")).isNull();
    }

    // ---- view: paging ----

    @Test
    void inbox_pagedWithACursor_returnsEveryMessageOnce() throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sent.add(send(log.us, message("m" + i, "ru"), Visibility.PARTIES).id());
        }
        Hotline h = new Hotline(log.state(), BEFORE);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            List<String> got = ids(h.inbox(party(log.ru), "ru", cursor, 3));
            assertThat(got).hasSizeLessThanOrEqualTo(3);
            if (got.isEmpty()) {
                break;
            }
            seen.addAll(got);
            cursor = got.get(got.size() - 1);
        }
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
        assertThat(h.inbox(party(log.ru), "ru", null, 0)).isEmpty();
    }

    // Regression: the inbox came back in the order of the messages' ids (leaf hashes), which is
    // random, not in the order they were sent.
    @Test
    void inbox_manyMessagesSomeRestricted_oldestFirstAndPagedWithoutGapsOrRepeats() throws Exception {
        List<String> sent = new java.util.ArrayList<>();
        List<String> visibleToSy = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Visibility v = i % 3 == 0 ? Visibility.named("ru", "us") : Visibility.PARTIES;
            TestLog.Logged m = send(log.us, message("m" + i, "ru"), v);
            sent.add(m.id());
            if (v == Visibility.PARTIES) {
                visibleToSy.add(m.id());
            }
        }
        Hotline h = new Hotline(log.state(), BEFORE);
        assertThat(ids(h.inbox(party(log.ru), "ru", null, 100))).containsExactlyElementsOf(sent);
        for (int pageSize : new int[] {1, 5, 7}) {
            List<String> paged = new java.util.ArrayList<>();
            String cursor = null;
            while (true) {
                List<ObjectNode> page = h.inbox(party(log.sy), "ru", cursor, pageSize);
                paged.addAll(ids(page));
                if (page.size() < pageSize) {
                    break;
                }
                cursor = page.get(page.size() - 1).get("id").textValue();
            }
            assertThat(paged).as("pages of %d", pageSize).containsExactlyElementsOf(visibleToSy);
        }
    }
}
