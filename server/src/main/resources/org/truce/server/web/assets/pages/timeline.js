// The timeline of every record the reader may read, oldest first, filterable by party, kind,
// agreement and time; each links to its page and to its inclusion proof.
import { h, show, when, field, query, badge } from "../dom.js";
import { get } from "../api.js";

const KINDS = ["", "agreement", "step", "deadline", "incident", "notification", "message", "area", "volume", "actor", "party"];

function link(r) {
  if (r.kind.startsWith("incident") && r.subject) return `#/incidents/${encodeURIComponent(r.subject)}`;
  if ((r.kind.startsWith("agreement") || r.kind.startsWith("step") || r.kind === "deadline.extension" || r.kind === "pause") && r.subject) {
    return `#/agreements/${encodeURIComponent(r.subject)}`;
  }
  if (r.kind.startsWith("message")) return "#/hotline";
  return null;
}

export async function render(_, live) {
  const q = query();
  const params = new URLSearchParams();
  for (const k of ["party", "kind", "agreement", "from", "to"]) if (q[k]) params.set(k, q[k]);
  params.set("limit", "200");
  const list = h("ol", { class: "timeline", id: "timeline" });
  const more = h("div");
  async function load(after) {
    if (after) params.set("after", after);
    const page = await get("/api/v1/timeline?" + params);
    for (const r of page.records) {
      const href = link(r);
      list.append(h("li", { class: "kind-" + r.kind.replace(".", "-") },
        h("div", { class: "meta" }, when(r.at), h("br"), h("a", { href: `#/log?index=${r.index}` }, `entry ${r.index}`)),
        h("div", {}, h("strong", {}, r.kind), ` by ${r.author}`, r.visibility !== "public" ? [" ", badge("restricted")] : "",
          r.subject ? [" · ", href ? h("a", { href }, r.subject) : r.subject] : "", r.step ? ` (step ${r.step})` : "",
          h("br"), r.summary)));
    }
    more.replaceChildren(page.next ? h("button", { type: "button", class: "secondary", onclick: () => load(page.next) }, "Show more") : "");
    if (!list.children.length) list.append(h("li", {}, "No record matches."));
  }
  await load();
  if (!live()) return;
  const party = h("input", { type: "text", name: "party", value: q.party || "", placeholder: "us" });
  const kind = h("select", { name: "kind" }, KINDS.map((k) => h("option", { value: k, selected: k === (q.kind || "") }, k || "every kind")));
  const agreement = h("input", { type: "text", name: "agreement", value: q.agreement || "", placeholder: "geneva-2016-09" });
  const from = h("input", { type: "text", name: "from", value: q.from || "", placeholder: "2016-09-01T00:00:00Z" });
  const to = h("input", { type: "text", name: "to", value: q.to || "", placeholder: "2016-10-01T00:00:00Z" });
  show("Timeline", h("h1", {}, "Timeline"),
    h("form", { class: "inline card", onsubmit: (e) => {
      e.preventDefault();
      const p = new URLSearchParams();
      for (const el of [party, kind, agreement, from, to]) if (el.value.trim()) p.set(el.name, el.value.trim());
      location.hash = "#/timeline?" + p;
    } }, field("Party", party), field("Kind", kind), field("Agreement", agreement), field("From (UTC)", from), field("To (UTC)", to),
      h("button", { type: "submit" }, "Filter")),
    list, more);
}
