// The agreement board: the agreements, and for one its steps as a sequence of phases with their
// deadlines, status, preconditions and what blocks what, each party's standing, and the history of
// every deadline. A moment can be chosen; an obligated party can report a step signed in the page.
import { h, show, note, when, badge, field, query } from "../dom.js";
import { get, submit, signedIn } from "../api.js";

function atParam(q) {
  return q.at && /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(q.at) ? (q.at.length === 10 ? q.at + "T00:00:00Z" : q.at) : null;
}

function momentForm(path, at) {
  const input = h("input", { type: "text", id: "board-at", value: at || "", placeholder: "2016-09-20 or 2016-09-20T00:00:00Z" });
  return h("form", { class: "inline no-print", onsubmit: (e) => {
    e.preventDefault();
    location.hash = path + (input.value.trim() ? "?at=" + encodeURIComponent(input.value.trim()) : "");
  } }, field("As of (UTC; empty for now)", input), h("button", { type: "submit" }, "Show"));
}

export async function render(args, live) {
  const q = query();
  const at = atParam(q);
  if (args[0]) return board(args[0], at, live);
  const data = await get("/api/v1/agreements?limit=500" + (at ? "&at=" + at : ""));
  if (!live()) return;
  show("Agreements", h("h1", {}, "Agreements"), momentForm("#/agreements", q.at),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, ["Agreement", "Parties", "In effect", "Steps"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, data.agreements.map((a) => h("tr", {},
        h("td", {}, h("a", { href: `#/agreements/${encodeURIComponent(a.id)}${at ? "?at=" + at : ""}` }, a.title || a.id)),
        h("td", {}, (a.parties || []).join(", ")),
        h("td", {}, when(a.effective)),
        h("td", {}, `${a.steps} steps: `, Object.entries(a.statuses || {}).filter(([, n]) => n > 0).map(([s, n]) => [badge(s), ` ${n} `]))))))));
}

async function board(id, at, live) {
  const [a, t] = await Promise.all([get(`/api/v1/agreements/${encodeURIComponent(id)}${at ? "?at=" + at : ""}`),
    get(`/api/v1/agreements/${encodeURIComponent(id)}/timeline${at ? "?at=" + at : ""}`)]);
  if (!live()) return;
  const phases = new Map();
  for (const s of a.steps) {
    if (!phases.has(s.phase ?? 1)) phases.set(s.phase ?? 1, []);
    phases.get(s.phase ?? 1).push(s);
  }
  const blocking = new Map();
  for (const s of a.steps) for (const p of s.preconditions || []) {
    if (!blocking.has(p)) blocking.set(p, []);
    blocking.get(p).push(s.id);
  }
  const result = h("div", { "aria-live": "polite" });
  const me = signedIn();
  show(a.title,
    h("p", {}, h("a", { href: "#/agreements" }, "All agreements"), " · ",
      h("a", { href: `#/timeline?agreement=${encodeURIComponent(id)}` }, "Everything recorded against it")),
    h("h1", {}, a.title),
    h("p", {}, `As of ${when(a.asOf)}. Parties: ${a.parties.join(", ")}; invited: ${(a.invited || []).join(", ") || "none"}; `
      + `monitors: ${(a.monitors || []).join(", ") || "none"}; excludes: ${(a.excludes || []).join(", ") || "none"}. In effect from ${when(a.effective)}.`),
    momentForm(`#/agreements/${encodeURIComponent(id)}`, at),
    a.criticalPath ? note(`Critical path: phase ${a.criticalPath.phase}, waiting on ${a.criticalPath.steps.map((s) => `${s.id} (${s.status}, ${s.obligated.join(", ")})`).join("; ")} before ${a.criticalPath.next}.`) : null,
    h("h2", {}, "Steps in sequence"),
    h("div", { class: "phases", id: "steps" }, [...phases.entries()].sort((x, y) => x[0] - y[0]).map(([p, steps]) =>
      h("section", { class: "phase", "aria-label": `Phase ${p}` }, h("h3", {}, `Phase ${p}`),
        steps.map((s) => h("article", { class: `step status-${s.status}`, id: `step-${s.id}` },
          h("h4", {}, s.title, " ", badge(s.status)),
          h("dl", { class: "facts" },
            h("dt", {}, "Obligated"), h("dd", {}, s.obligated.join(", "), s.collectively ? " (together)" : ""),
            h("dt", {}, "Deadline"), h("dd", {}, s.deadline ? when(s.deadline) : s.waitingFor ? `none yet: ${s.waitingFor}` : "none"),
            (s.preconditions || []).length ? [h("dt", {}, "After"), h("dd", {}, s.preconditions.join(", "))] : null,
            (s.blockedOn || []).length ? [h("dt", {}, "Blocked on"), h("dd", {}, s.blockedOn.map((b) => `${b.parties.join(", ")} (step ${b.step})`).join("; "))] : null,
            blocking.has(s.id) ? [h("dt", {}, "Holds up"), h("dd", {}, blocking.get(s.id).join(", "))] : null,
            h("dt", {}, "Fulfilment"), h("dd", {}, s.fulfilment),
            h("dt", {}, "Reports"), h("dd", {}, String(s.reports ?? 0)),
            s.assessment ? [h("dt", {}, "Assessed"), h("dd", {}, `${s.assessment.score}/3 by ${s.assessment.by}, ${when(s.assessment.at)}: ${s.assessment.reasons || ""}`)] : null),
          me && s.obligated.includes(me) && s.status !== "fulfilled" ? reportForm(a.id, s, result, () => board(id, at, live)) : null))))),
    result,
    h("h2", {}, "Parties"),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, ["Party", "Standing", "Owes", "Holds up"].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, Object.entries(a.obligations || {}).map(([p, o]) => h("tr", {},
        h("td", {}, p), h("td", {}, o.standing, o.acceptedAt ? ` since ${when(o.acceptedAt)}` : ""),
        h("td", {}, Object.entries(o.steps || {}).map(([st, ids]) => [badge(st), ` ${ids.join(", ")} `])),
        h("td", {}, (o.blocking || []).join(", "))))))),
    h("h2", {}, "Deadline history"),
    deadlines(t.deadlines),
    (a.pendingChanges || []).length ? [h("h2", {}, "Changes awaiting a signature"),
      h("ul", {}, a.pendingChanges.map((c) => h("li", {}, JSON.stringify(c))))] : null,
    h("h2", {}, "Recorded against it"),
    h("ol", { class: "timeline" }, t.events.map((e) => h("li", {}, h("div", { class: "meta" }, when(e.at)),
      h("div", {}, e.what, e.by ? ` — ${e.by}` : "", e.statement ? h("br") : null, e.statement || "", e.reasons ? h("br") : null, e.reasons || "")))));
}

function deadlines(d) {
  const rows = Object.entries(d || {}).flatMap(([step, hist]) => (Array.isArray(hist) ? hist : hist.history || [hist]).map((x) => [step, x]));
  if (!rows.length) return h("p", {}, "No deadline has changed.");
  return h("div", { class: "table-wrap" }, h("table", { id: "deadline-history" },
    h("thead", {}, h("tr", {}, ["Step", "Deadline", "Basis", "Asked by", "Agreed by", "In effect from", "Reason"].map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map(([step, x]) => h("tr", {}, h("td", {}, step), h("td", {}, when(x.deadline)),
      h("td", {}, badge(x.basis || "")), h("td", {}, x.requestedBy || ""), h("td", {}, (x.agreedBy || []).join(", ")),
      h("td", {}, when(x.inEffectFrom)), h("td", {}, x.reason || ""))))));
}

function reportForm(agreement, s, result, refresh) {
  const statement = h("textarea", { required: true, maxlength: 4000 });
  return h("form", { class: "report-step", onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await submit("step.report", { agreement, step: s.id, statement: statement.value }, "public");
      result.replaceChildren(note(`Reported step ${s.id}: entry ${r.index} in the log.`, "ok"));
      await refresh();
    } catch (err) { result.replaceChildren(note("Not reported: " + err.message, "error")); }
  } }, field(`Report step ${s.id} as fulfilled`, statement), h("button", { type: "submit" }, "Sign and report"));
}
