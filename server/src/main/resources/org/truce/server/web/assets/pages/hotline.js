// The hotline of the signed-in party: inbox and outbox as threads, each recipient's acknowledgement,
// overdue ones marked, acknowledging and writing signed in the page.
import { h, show, note, when, badge, field } from "../dom.js";
import { get, submit, signedIn, named } from "../api.js";

export async function render(_, live) {
  const party = signedIn();
  if (!party) {
    show("Hotline", h("h1", {}, "Hotline"),
      note("The hotline is between parties: sign in with your party's key to read and answer your messages."),
      h("p", {}, h("a", { href: "#/signin" }, "Sign in as a party")));
    return;
  }
  const [inbox, outbox, sites, movements] = await Promise.all([
    get(`/api/v1/hotline/${party}/inbox?limit=500`), get(`/api/v1/hotline/${party}/outbox?limit=500`),
    get(`/api/v1/notifications/sites?party=${party}&unacknowledged=true`),
    get(`/api/v1/notifications/movements?party=${party}&unacknowledged=true`)]);
  const pending = [...sites.sites, ...movements.movements];
  if (!live()) return;
  const result = h("div", { id: "hotline-result", "aria-live": "polite" });
  const threads = new Map();
  for (const [box, m] of [...inbox.messages.map((m) => ["in", m]), ...outbox.messages.map((m) => ["out", m])]) {
    if (!threads.has(m.thread)) threads.set(m.thread, new Map());
    threads.get(m.thread).set(m.id, { box, m });
  }
  const mine = (m) => (m.recipients || []).find((r) => r.party === party);
  const overdueIn = inbox.messages.filter((m) => mine(m)?.status === "overdue").length;

  async function acknowledge(m, button) {
    button.disabled = true;
    result.replaceChildren(note("Signing the acknowledgement…"));
    try {
      // Seen by the sender, as the rules require, and by no one else the acknowledger did not choose.
      const r = await submit("message.ack", { message: m.id }, named(m.from, party));
      result.replaceChildren(note(`Acknowledged "${m.subject}": entry ${r.index} in the log.`, "ok"),
        h("p", {}, h("a", { href: `#/log?index=${r.index}`, id: "ack-proof-link" }, `Check the inclusion proof of entry ${r.index}`)));
      await render(_, live);
      document.getElementById("hotline-result")?.replaceWith(result);
    } catch (e) {
      result.replaceChildren(note("Not acknowledged: " + e.message, "error"));
      button.disabled = false;
    }
  }

  function message({ box, m }) {
    const me = mine(m);
    const status = me?.status;
    return h("article", { class: `message ${status === "overdue" ? "overdue" : ""}`, "aria-label": `${m.subject}`, dataset: { box } },
      h("h3", {}, m.subject, " ", status ? badge(status) : null),
      h("p", { class: "meta" }, box === "in" ? `From ${m.from}` : `To ${m.to.join(", ")}`, " · ", when(m.at),
        m.ackBy ? ` · acknowledge by ${when(m.ackBy)}` : "", " · ", h("a", { href: `#/log?index=${m.index}` }, `entry ${m.index}`)),
      h("p", {}, m.text),
      h("ul", { class: "recipients" }, (m.recipients || []).map((r) => h("li", {}, `${r.party}: `, badge(r.status),
        r.ackAt ? ` at ${when(r.ackAt)} (entry ${r.ackIndex})` : ""))),
      box === "in" && (status === "awaiting" || status === "overdue" || status === "no_ack_required")
        ? h("button", { type: "button", class: "ack", "data-message": m.id, onclick: (e) => acknowledge(m, e.target) },
          `Acknowledge "${m.subject}"`) : null,
      h("button", { type: "button", class: "secondary", onclick: () => compose.prefill(m) }, "Reply"));
  }

  async function acknowledgeNotification(n, button) {
    button.disabled = true;
    try {
      const r = await submit("notification.ack", { [n.type]: n.id }, "public");
      result.replaceChildren(note(`Acknowledged the ${n.type} "${n.name}": entry ${r.index} in the log.`, "ok"),
        h("p", {}, h("a", { href: `#/log?index=${r.index}` }, `Check the inclusion proof of entry ${r.index}`)));
      await render(_, live);
      document.getElementById("hotline-result")?.replaceWith(result);
    } catch (e) {
      result.replaceChildren(note("Not acknowledged: " + e.message, "error"));
      button.disabled = false;
    }
  }

  const compose = composer(party, result, () => render(_, live));
  const boxSelect = h("select", { id: "hotline-box", onchange: () => {
    for (const t of document.querySelectorAll("#threads .message")) {
      t.hidden = boxSelect.value !== "all" && t.dataset.box !== boxSelect.value;
    }
    for (const t of document.querySelectorAll("#threads .thread")) t.hidden = !t.querySelector(".message:not([hidden])");
  } }, h("option", { value: "all" }, "inbox and outbox"), h("option", { value: "in" }, "inbox: received"),
    h("option", { value: "out" }, "outbox: sent"));
  show("Hotline",
    h("h1", {}, `Hotline of ${party}`),
    h("p", {}, `${inbox.messages.length} received, ${outbox.messages.length} sent`,
      overdueIn ? [", ", badge(`${overdueIn} overdue`, "b-overdue")] : null),
    result,
    pending.length ? h("section", { "aria-labelledby": "pending-h" },
      h("h2", { id: "pending-h" }, `Notifications awaiting your acknowledgement (${pending.length})`),
      h("ul", {}, pending.map((n) => {
        const mineAck = n.acknowledgements.find((a) => a.party === party);
        return h("li", {}, `${n.type} `, h("strong", {}, n.name), ` notified by ${n.by} at ${when(n.at)}, acknowledge by ${when(n.ackBy)} `,
          badge(mineAck?.status || "awaiting"), " ",
          h("button", { type: "button", class: "secondary ack-notification", onclick: (e) => acknowledgeNotification(n, e.target) },
            `Acknowledge ${n.type} "${n.name}"`));
      }))) : null,
    h("h2", {}, "Threads"),
    h("div", { class: "field" }, h("label", { for: "hotline-box" }, "Show"), boxSelect),
    h("div", { id: "threads" }, threads.size ? [...threads.values()]
      .map((t) => [...t.values()].sort((x, y) => x.m.index - y.m.index))
      .sort((x, y) => y[y.length - 1].m.index - x[x.length - 1].m.index)
      .map((t) => h("section", { class: "thread", "aria-label": `Thread: ${t[0].m.subject}` }, t.map(message)))
      : h("p", {}, "No messages.")),
    compose.form);
}

function composer(party, result, refresh) {
  const to = h("input", { type: "text", required: true, placeholder: "ru, us", pattern: "[a-z0-9, \\-]+" });
  const subject = h("input", { type: "text", required: true, maxlength: 200 });
  const text = h("textarea", { required: true, maxlength: 10000 });
  const ackBy = h("input", { type: "text", placeholder: "2016-09-20T06:00:00Z (optional)" });
  const vis = h("select", {}, h("option", { value: "named" }, "the recipients and me"),
    h("option", { value: "parties" }, "every party"), h("option", { value: "public" }, "everyone (public)"));
  let inReplyTo = null;
  const replying = h("p", { class: "meta" });
  const form = h("form", { class: "card", onsubmit: async (e) => {
    e.preventDefault();
    const recipients = to.value.split(/[ ,]+/).filter(Boolean);
    const body = { to: recipients, subject: subject.value, text: text.value };
    if (ackBy.value.trim()) body.ackBy = ackBy.value.trim();
    if (inReplyTo) body.inReplyTo = inReplyTo;
    const visibility = vis.value === "named" ? named(recipients, party) : vis.value;
    try {
      const r = await submit("message", body, visibility);
      result.replaceChildren(note(`Sent: entry ${r.index} in the log.`, "ok"));
      await refresh();
    } catch (err) { result.replaceChildren(note("Not sent: " + err.message, "error")); }
  } },
    h("h2", {}, "Write a message"), replying,
    field("To (party ids)", to), field("Subject", subject), field("Text", text),
    field("Acknowledge by (UTC)", ackBy), field("Who may read it", vis),
    h("button", { type: "submit" }, "Sign and send"));
  return { form, prefill(m) {
    inReplyTo = m.id;
    to.value = [m.from, ...m.to].filter((p) => p !== party).join(", ");
    subject.value = m.subject.startsWith("Re: ") ? m.subject : "Re: " + m.subject;
    replying.textContent = `Replying to "${m.subject}"`;
    subject.focus();
  } };
}
