// Incidents: the list, and one incident with every party's claim side by side, observations,
// assessments, evidence checked against its SHA-256 in the page, and the history of its versions.
import { h, show, note, when, badge, field, query } from "../dom.js";
import { get, bytes, submit, signedIn } from "../api.js";
import { sha256, hex } from "../crypto.js";

export async function render(args, live) {
  if (args[0]) return incident(args[0], live);
  const q = query();
  const params = new URLSearchParams();
  if (q.contested) params.set("contested", "true");
  const data = await get("/api/v1/incidents?limit=500&" + params);
  if (!live()) return;
  show("Incidents", h("h1", {}, "Incidents"),
    h("p", {}, h("a", { href: q.contested ? "#/incidents" : "#/incidents?contested=true" },
      q.contested ? "Show every incident" : "Show contested incidents only")),
    h("div", { class: "table-wrap" }, h("table", {},
      h("caption", { class: "visually-hidden" }, "Incidents"),
      h("thead", {}, h("tr", {}, ["When", "Incident", "Where", "Type", "Accounts"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, data.incidents.map((i) => h("tr", {},
        h("td", {}, when(i.time.from)),
        h("td", {}, h("a", { href: `#/incidents/${encodeURIComponent(i.id)}` }, i.title)),
        h("td", {}, [i.location.place, i.location.admin1].filter(Boolean).join(", ")),
        h("td", {}, `${i.type.event} / ${i.type.subEvent}`),
        h("td", {}, `${i.claims.length} claim(s) `, i.contested ? badge("contested") : null)))))));
}

function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function figures(f) {
  if (!f) return null;
  return Object.entries(f).map(([k, v]) => `${k}: ${[v.low, v.best, v.high].filter((x) => x !== undefined).join(" / ")}`).join("; ");
}

function entryLink(x) {
  return h("a", { href: `#/log?index=${x.index}` }, `entry ${x.index}`);
}

async function incident(id, live) {
  const i = await get(`/api/v1/incidents/${encodeURIComponent(id)}`);
  if (!live()) return;
  const result = h("div", { "aria-live": "polite" });
  show(i.title,
    h("p", {}, h("a", { href: "#/incidents" }, "All incidents")),
    h("h1", {}, i.title, " ", i.contested ? badge("contested") : null),
    facts([
      ["When", `${when(i.time.from)} – ${when(i.time.to)} (precision ${i.time.precision?.code})`],
      ["Where", `${[i.location.place, i.location.admin2, i.location.admin1, i.location.country].filter(Boolean).join(", ")} `
        + `(${i.location.point[1]}, ${i.location.point[0]}; precision ${i.location.precision?.code})`],
      ["Type", `${i.type.event} / ${i.type.subEvent}`],
      ["Casualties", figures(i.casualties)],
      ["Actors", (i.actors || []).join(", ")],
      ["Touches", [...(i.sites || []).map((s) => "site " + s), ...(i.movements || []).map((m) => "movement " + m)].join(", ")],
      ["Agreements", (i.agreements || []).map((a) => h("a", { href: `#/agreements/${a}` }, a))],
      ["Recorded", [`by ${i.by} at ${when(i.at)}, `, entryLink(i), `, version ${i.version}`]],
      ["Sources", (i.sources || []).join("; ")],
    ]),
    i.summary ? h("p", {}, i.summary) : null,

    h("section", { "aria-labelledby": "claims-h" },
      h("h2", { id: "claims-h" }, `Claims side by side (${i.claims.length})`),
      i.claims.length ? h("div", { class: "claims", id: "claims" }, i.claims.map((c) =>
        h("article", { class: `claim stance-${c.stance}`, "aria-label": `Claim of ${c.by}` },
          h("h3", {}, c.by, " ", badge(c.stance)),
          h("p", {}, c.statement),
          facts([
            ["Alleged perpetrator", c.perpetrator ? (c.perpetrator.party ? `party ${c.perpetrator.party}` : `actor ${c.perpetrator.actor}`) : null],
            ["Explanation", c.explanation],
            ["Figures claimed", figures(c.figures)],
            ["Sources", (c.sources || []).join("; ")],
            ["Recorded", [when(c.at), ", ", entryLink(c)]],
          ])))) : h("p", {}, "No party has given an account yet.")),

    h("section", { "aria-labelledby": "obs-h" }, h("h2", { id: "obs-h" }, `Observations (${i.observations.length})`),
      i.observations.length ? h("div", { class: "cards" }, i.observations.map((o) => h("article", { class: "card" },
        h("h3", {}, o.observer?.name || o.by),
        h("p", {}, o.narrative),
        facts([["Observed", (o.observed || []).map((x) => `${x.what} (${x.how}, ${x.distance})`).join("; ")],
          ["When", o.time ? `${when(o.time.from)} – ${when(o.time.to)}` : null],
          ["Recorded", [`by ${o.by} at ${when(o.at)}, `, entryLink(o)]]])))) : h("p", {}, "None recorded.")),

    h("section", { "aria-labelledby": "ass-h" }, h("h2", { id: "ass-h" }, `Assessments (${i.assessments.length})`),
      i.assessments.length ? h("div", { class: "cards" }, i.assessments.map((a) => h("article", { class: `card ${a.revisedBy?.length ? "revised" : ""}` },
        h("h3", {}, `${a.by}: `, badge(a.certainty), a.revisedBy?.length ? " (revised later)" : ""),
        h("p", {}, a.finding),
        facts([["Attribution", a.attribution ? (a.attribution.party || a.attribution.actor) : null],
          ["Reasons", (a.reasons || []).join("; ")],
          ["Recorded", [when(a.at), ", ", entryLink(a)]]])))) : h("p", {}, "No assessment yet. Assessments are the monitors' findings, kept apart from the parties' claims.")),

    h("section", { "aria-labelledby": "ev-h" }, h("h2", { id: "ev-h" }, "Evidence"),
      (i.evidence || []).length ? h("table", {},
        h("thead", {}, h("tr", {}, ["File", "Type", "Size", "SHA-256", "Check"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, i.evidence.map((e) => {
          const out = h("span", { "aria-live": "polite" });
          return h("tr", {}, h("td", {}, h("a", { href: `/api/v1/evidence/${e.sha256}`, download: e.name || e.sha256 }, e.name || "file")),
            h("td", {}, e.type), h("td", {}, `${e.size} bytes`), h("td", {}, h("code", {}, e.sha256)),
            h("td", {}, h("button", { type: "button", class: "secondary check-evidence", onclick: async () => {
              out.replaceChildren("checking…");
              try {
                const d = hex(await sha256(await bytes(`/api/v1/evidence/${e.sha256}`)));
                out.replaceChildren(d === e.sha256 ? badge("matches") : badge("failed"), d === e.sha256 ? " the file hashes to its recorded SHA-256" : ` the file hashes to ${d}`);
              } catch (err) { out.replaceChildren(note(err.message, "error")); }
            } }, "Check hash"), " ", out));
        }))) : h("p", {}, "No evidence files.")),

    h("section", { "aria-labelledby": "hist-h" }, h("h2", { id: "hist-h" }, "History"),
      h("ol", {}, (i.history || []).map((x) => h("li", {}, `${when(x.at)} — ${x.what || x.kind || ""} ${x.by ? "by " + x.by : ""} `,
        x.index !== undefined ? entryLink(x) : null))),
      (i.versions || []).length > 1 ? h("details", {}, h("summary", {}, `${i.versions.length} versions`),
        h("ol", {}, i.versions.map((v) => h("li", {}, `version ${v.version}: ${v.title}, recorded ${when(v.at)} by ${v.by} `, entryLink(v))))) : null),

    result,
    signedIn() ? claimForm(i, result, () => incident(id, live)) : h("p", { class: "no-print" },
      h("a", { href: "#/signin" }, "Sign in as a party"), " to give your account of this incident."));
}

function claimForm(i, result, refresh) {
  const stance = h("select", { required: true }, ["alleges", "denies", "acknowledges", "alternative", "cannot-confirm"]
    .map((s) => h("option", { value: s }, s.replace("-", " "))));
  const statement = h("textarea", { required: true, maxlength: 4000 });
  const perpetrator = h("input", { type: "text", placeholder: "a party id (optional)", pattern: "[a-z][a-z0-9\\-]{1,31}" });
  const explanation = h("input", { type: "text", maxlength: 1000 });
  const source = h("input", { type: "text", maxlength: 500 });
  return h("form", { class: "card", id: "claim-form", onsubmit: async (e) => {
    e.preventDefault();
    const body = { incident: i.id, stance: stance.value, statement: statement.value };
    if (perpetrator.value) body.perpetrator = { party: perpetrator.value };
    if (explanation.value) body.explanation = explanation.value;
    if (source.value) body.sources = [source.value];
    try {
      const r = await submit("incident.claim", body, "public");
      result.replaceChildren(note(`Your claim is entry ${r.index} in the log.`, "ok"));
      await refresh();
    } catch (err) { result.replaceChildren(note("Not recorded: " + err.message, "error")); }
  } },
    h("h2", {}, `Your account, as ${signedIn()}`),
    field("Stance", stance), field("Statement", statement), field("Alleged perpetrator", perpetrator),
    field("Other explanation", explanation), field("Source", source),
    h("button", { type: "submit" }, "Sign and record the claim"));
}
