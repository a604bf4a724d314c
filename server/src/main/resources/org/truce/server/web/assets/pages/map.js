// The map: incidents by type (contested ones ringed and dashed), notified sites, movements with their
// legs, flight volumes, declared areas (disputed ones hatched) and conflicts, as they stood at the
// moment the time slider shows. Everything is fetched once; the slider only filters in the page.
import { h, show, when, note, query } from "../dom.js";
import { get } from "../api.js";

const base = new URL("../", import.meta.url);
let leaflet;

/** Loads Leaflet from the jar the first time the map is shown. */
function loadLeaflet() {
  if (!leaflet) {
    leaflet = new Promise((resolve, reject) => {
      document.head.append(h("link", { rel: "stylesheet", href: new URL("leaflet/leaflet.css", base) }));
      const s = h("script", { src: new URL("leaflet/leaflet.js", base) });
      s.onload = () => resolve(window.L);
      s.onerror = () => reject(new Error("the map library did not load"));
      document.head.append(s);
    });
  }
  return leaflet;
}

let basemap;
function loadBasemap() {
  basemap ??= fetch(new URL("basemap.geojson", base)).then((r) => r.json());
  return basemap;
}

const TYPE_COLOURS = {
  "Battles": "#b3261e",
  "Explosions/Remote violence": "#8a4b00",
  "Violence against civilians": "#6a1b9a",
  "Protests": "#1f5fa8",
  "Riots": "#00695c",
  "Strategic developments": "#37474f",
};
const HOUR = 3600 * 1000;
/** The slider's step: a minute, so that "now" and records made a moment ago fall on a step. */
const STEP = 60 * 1000;
const LAYERS = [
  ["incidents", "Incidents"], ["sites", "Notified sites"], ["movements", "Movements"],
  ["volumes", "Flight volumes"], ["areas", "Declared areas"], ["conflicts", "Conflicts"],
];
const WINDOWS = [["all", "all recorded by then"], ["30", "the 30 days before"], ["7", "the 7 days before"], ["1", "the day before"]];

const ms = (t) => (t ? Date.parse(t) : NaN);

/**
 * The moments at which what the map shows can change: a record appears (its author's time), or
 * something recorded earlier starts, moves on or ends. They bound the slider and are its event steps.
 */
function times(data) {
  const out = [];
  const add = (x, ...ts) => {
    const seen = ms(x.at);
    if (!Number.isNaN(seen)) out.push(seen);
    ts.forEach((t) => { const v = ms(t); if (v > seen) out.push(v); });
  };
  data.incidents.forEach((i) => add(i, i.time?.from, i.time?.to));
  data.sites.forEach((s) => add(s, s.withdrawn?.at));
  data.movements.forEach((m) => add(m, m.withdrawn?.at, ...(m.legs || []).flatMap((l) => [l.from, l.to])));
  data.volumes.forEach((v) => add(v, v.time?.from, v.time?.to));
  data.areas.forEach((a) => add(a, a.from, a.to, ...(a.disputes || []).flatMap((d) => [d.from, d.to])));
  data.conflicts.forEach((c) => add(c));
  return out;
}

/** What stands at moment t, by layer, with the filters applied. */
export function visibleAt(data, t, f) {
  const recorded = (x) => ms(x.at) <= t;
  const win = f.window === "all" ? Infinity : Number(f.window) * 24 * HOUR;
  const out = {};
  out.incidents = !f.layers.incidents ? [] : data.incidents.filter((i) => recorded(i)
    && ms(i.time?.from) <= t && t - ms(i.time?.to ?? i.time?.from) <= win
    && (!f.type || i.type?.event === f.type) && (!f.contested || i.contested));
  out.sites = !f.layers.sites ? [] : data.sites.filter((s) => recorded(s) && !(s.withdrawn && ms(s.withdrawn.at) <= t));
  out.movements = !f.layers.movements ? [] : data.movements.filter((m) => {
    const legs = m.legs || [];
    const end = Math.max(...legs.map((l) => ms(l.to)));
    return recorded(m) && !(m.withdrawn && ms(m.withdrawn.at) <= t) && t < end;
  });
  out.volumes = !f.layers.volumes ? [] : data.volumes.filter((v) => recorded(v) && ms(v.time.from) <= t && t < ms(v.time.to));
  out.areas = !f.layers.areas ? [] : data.areas.filter((a) => recorded(a) && ms(a.from) <= t && (!a.to || t < ms(a.to)));
  out.conflicts = !f.layers.conflicts ? [] : data.conflicts.filter((c) => recorded(c));
  return out;
}

function activeLeg(m, t) {
  return (m.legs || []).find((l) => ms(l.from) <= t && t < ms(l.to));
}

function disputedAt(a, t) {
  return (a.disputes || []).some((d) => ms(d.from) <= t && (!d.to || t < ms(d.to)));
}

const latlng = ([lon, lat]) => [lat, lon];

/** A Leaflet layer for a stored footprint: circle, polygon or corridor. */
function footprintLayer(L, f, options) {
  if (!f) return null;
  if (f.type === "circle") return L.circle(latlng(f.center), { ...options, radius: f.radius });
  if (f.type === "polygon") {
    const rings = Array.isArray(f.coordinates[0][0]) ? f.coordinates : [f.coordinates];
    return L.polygon(rings.map((r) => r.map(latlng)), options);
  }
  if (f.type === "corridor") return L.polyline(f.coordinates.map(latlng), { ...options, weight: 6 });
  return null;
}

function centre(f) {
  if (!f) return null;
  if (f.type === "circle") return f.center;
  const pts = Array.isArray(f.coordinates[0][0]) ? f.coordinates[0] : f.coordinates;
  const n = pts.length;
  return [pts.reduce((s, p) => s + p[0], 0) / n, pts.reduce((s, p) => s + p[1], 0) / n];
}

function dl(pairs) {
  return h("dl", { class: "facts" }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function details(kind, x, t) {
  switch (kind) {
    case "incidents":
      return h("div", { class: "popup" }, h("h3", {}, x.title),
        dl([["When", `${when(x.time.from)} – ${when(x.time.to)}`], ["Where", [x.place, x.admin1].filter(Boolean).join(", ")],
          ["Type", `${x.type.event} / ${x.type.subEvent}`], ["Accounts", `${x.claims} claim(s)${x.contested ? ", contested" : ""}`],
          ["Recorded by", `${x.by} at ${when(x.at)}`]]),
        h("a", { href: `#/incidents/${encodeURIComponent(x.id)}` }, "Open the incident"));
    case "sites":
      return h("div", { class: "popup" }, h("h3", {}, x.name),
        dl([["Category", x.category], ["Notified by", `${x.by} at ${when(x.at)}`],
          ["Acknowledgements", (x.acknowledgements || []).map((a) => `${a.party}: ${a.status}`).join("; ")],
          ["Withdrawn", x.withdrawn ? when(x.withdrawn.at) : null]]));
    case "movements": {
      const leg = activeLeg(x, t);
      return h("div", { class: "popup" }, h("h3", {}, x.name),
        dl([["Now", leg ? `on its ${leg.name} leg` : "notified, not yet moving"],
          ["Legs", (x.legs || []).map((l) => `${l.name} ${when(l.from)} – ${when(l.to)}`).join("; ")],
          ["Vehicles", x.vehicles], ["Markings", x.markings], ["Notified by", `${x.by} at ${when(x.at)}`],
          ["Acknowledgements", (x.acknowledgements || []).map((a) => `${a.party}: ${a.status}`).join("; ")]]));
    }
    case "volumes":
      return h("div", { class: "popup" }, h("h3", {}, `Volume ${x.id}`),
        dl([["By", x.by], ["State", x.state], ["Purpose", x.purpose], ["When", `${when(x.time.from)} – ${when(x.time.to)}`],
          ["Altitude", `${x.altitude.lower}–${x.altitude.upper} m ${x.altitude.reference}`],
          ["Meets", (x.meets || []).map((m) => `${m.type} ${m.id}`).join("; ") || "nothing"]]));
    case "areas":
      return h("div", { class: "popup" }, h("h3", {}, `Area ${x.id}`),
        dl([["Actor", x.actor], ["Claim", x.claim], ["Declared by", `${x.by} at ${when(x.at)}`],
          ["Period", `${when(x.from)} – ${x.to ? when(x.to) : "open"}`], ["Source", x.source],
          ["Disputed", disputedAt(x, t) ? "yes, by " + x.disputes.map((d) => d.actor).join(", ") : "no"], ["Note", x.note]]));
    default:
      return h("div", { class: "popup" }, h("h3", {}, `Conflict of volume ${x.volume}`),
        dl([["With", `${x.with.type} ${x.with.id} (${x.with.owner})`], ["Recorded", when(x.at)]]));
  }
}

function label(kind, x, t) {
  switch (kind) {
    case "incidents": return `${x.title}${x.contested ? " (contested)" : ""}`;
    case "sites": return x.name;
    case "movements": { const l = activeLeg(x, t); return `${x.name}${l ? ` — ${l.name} leg` : " — notified"}`; }
    case "volumes": return `Volume ${x.id} (${x.by})`;
    case "areas": return `${x.actor} ${x.claim} (${x.id})${disputedAt(x, t) ? " — disputed" : ""}`;
    default: return `Conflict: volume ${x.volume} meets ${x.with.type} ${x.with.id}`;
  }
}

export async function render(_, live) {
  const [L, data, countries] = await Promise.all([loadLeaflet(), get("/api/v1/map"), loadBasemap()]);
  if (!live()) return;
  const all = times(data);
  const now = ms(data.asOf);
  const min = Math.floor((Math.min(...all, now) - 24 * HOUR) / STEP);
  const max = Math.ceil(Math.max(...all, now) / STEP);
  const q = query();
  const start = Math.ceil((q.at && !Number.isNaN(ms(q.at)) ? ms(q.at) : now) / STEP);

  const f = { layers: Object.fromEntries(LAYERS.map(([k]) => [k, true])), type: "", contested: false, window: "all" };
  const slider = h("input", { type: "range", id: "moment", min, max, step: 1, value: Math.min(max, Math.max(min, start)),
    "aria-describedby": "moment-label" });
  const momentText = h("input", { type: "text", id: "moment-text", inputmode: "numeric", size: 20,
    placeholder: "2016-09-19T17:00", "aria-label": "Go to a moment (UTC)" });
  const momentLabel = h("output", { id: "moment-label", for: "moment" });
  const counts = h("p", { id: "map-counts", role: "status", "aria-live": "polite" });
  const list = h("ul", { id: "map-list", class: "map-list" });
  const typeSelect = h("select", { id: "filter-type" }, h("option", { value: "" }, "every type"),
    [...new Set(data.incidents.map((i) => i.type?.event).filter(Boolean))].sort().map((e) => h("option", { value: e }, e)));
  const windowSelect = h("select", { id: "filter-window" }, WINDOWS.map(([v, t]) => h("option", { value: v }, t)));
  const contested = h("input", { type: "checkbox", id: "filter-contested" });
  const layerBoxes = LAYERS.map(([k, name]) => h("label", { class: "check" },
    h("input", { type: "checkbox", checked: true, id: "layer-" + k, onchange: (e) => { f.layers[k] = e.target.checked; draw(); } }), " ", name));

  const mapEl = h("div", { id: "map", class: "map", role: "region", "aria-label": "Map of the situation at the chosen moment" });
  show("Map",
    h("h1", { class: "visually-hidden" }, "Map"),
    h("div", { class: "map-page" },
      h("aside", { class: "map-controls", "aria-label": "Filters" },
        h("fieldset", {}, h("legend", {}, "Layers"), layerBoxes),
        h("fieldset", {}, h("legend", {}, "Incidents"),
          h("div", { class: "field" }, h("label", { for: "filter-type" }, "Type"), typeSelect),
          h("div", { class: "field" }, h("label", { for: "filter-window" }, "Shown"), windowSelect),
          h("label", { class: "check" }, contested, " contested only")),
        h("div", { class: "field" }, h("label", { class: "check" },
          h("input", { type: "checkbox", id: "osm", onchange: (e) => tiles(e.target.checked) }),
          " OpenStreetMap tiles (loads images from the internet)")),
        legend(),
        counts,
        h("p", {}, h("a", { href: "#/notify" }, "Notify a protected site"))),
      h("div", { class: "map-main" },
        h("div", { class: "moment" },
          h("div", { class: "field slider" }, h("label", { for: "moment" }, "Moment: ", momentLabel), slider),
          h("div", { class: "inline steps", role: "group", "aria-label": "Step through time" },
            h("button", { type: "button", class: "secondary", id: "previous-event", onclick: () => step(-1) }, "◀ Previous event"),
            h("button", { type: "button", class: "secondary", onclick: () => shift(-24) }, "−1 day"),
            h("button", { type: "button", class: "secondary", onclick: () => shift(24) }, "+1 day"),
            h("button", { type: "button", class: "secondary", id: "next-event", onclick: () => step(1) }, "Next event ▶")),
          h("form", { class: "inline", onsubmit: (e) => { e.preventDefault(); goTo(momentText.value); } },
            momentText, h("button", { type: "submit" }, "Go"))),
        mapEl,
        h("section", { "aria-labelledby": "map-list-h" }, h("h2", { id: "map-list-h" }, "Shown at this moment"), list))));

  const map = L.map(mapEl, { preferCanvas: false, zoomSnap: 0.5 }).setView([35.2, 38.5], 6.5);
  map.attributionControl.setPrefix(false);
  L.geoJSON(countries, { interactive: false, style: (ft) => ({ className: "country", color: "#6b6b6b", weight: ft.properties.name === "Syria" ? 1.6 : 0.8,
    fillColor: ft.properties.name === "Syria" ? "#f4efe4" : "#e8e8e4", fillOpacity: 1 }) }).addTo(map);
  map.attributionControl.addAttribution("Borders: Natural Earth");
  let osm = null;
  function tiles(on) {
    if (on && !osm) {
      osm = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", { maxZoom: 18,
        attribution: "© OpenStreetMap contributors" }).addTo(map);
      osm.bringToBack();
    } else if (!on && osm) { map.removeLayer(osm); osm = null; }
  }
  const group = L.layerGroup().addTo(map);

  function draw() {
    const t = Number(slider.value) * STEP;
    const iso = new Date(t).toISOString().slice(0, 16) + "Z";
    momentLabel.textContent = when(iso.replace("Z", ":00Z"));
    slider.setAttribute("aria-valuetext", momentLabel.textContent);
    history.replaceState(null, "", "#/map?at=" + iso.replace("Z", ":00Z"));
    const v = visibleAt(data, t, f);
    group.clearLayers();
    list.replaceChildren();
    for (const a of v.areas) {
      const disputed = disputedAt(a, t);
      addLayer(footprintLayer(L, a.footprint, { className: `truce-area${disputed ? " disputed" : ""}`,
        color: disputed ? "#b3261e" : "#2e7d32", weight: disputed ? 3 : 2, dashArray: disputed ? "6 4" : null, fillOpacity: 0.15 }), "areas", a);
    }
    for (const x of v.volumes) {
      addLayer(footprintLayer(L, x.footprint, { className: "truce-volume", color: "#1f5fa8", weight: 2, fillOpacity: 0.1 }), "volumes", x);
    }
    for (const m of v.movements) {
      const leg = activeLeg(m, t);
      addLayer(L.polyline(m.route.coordinates.map(latlng), { className: `truce-movement${leg ? " moving" : ""}`,
        color: "#00695c", weight: leg ? 6 : 4, dashArray: leg ? null : "8 6" }), "movements", m);
    }
    for (const s of v.sites) {
      L.circle(latlng(s.footprint.center || centre(s.footprint)), { radius: s.footprint.radius || 100, color: "#00695c", weight: 1, interactive: false }).addTo(group);
      addLayer(L.circleMarker(latlng(centre(s.footprint)), { className: "truce-site", radius: 7, color: "#ffffff", weight: 2,
        fillColor: "#00695c", fillOpacity: 1 }), "sites", s);
    }
    for (const i of v.incidents) {
      addLayer(L.circleMarker(latlng(i.point), { className: `truce-incident${i.contested ? " contested" : ""}`, radius: i.contested ? 9 : 7,
        color: i.contested ? "#000000" : "#ffffff", weight: i.contested ? 3 : 2, dashArray: i.contested ? "3 2" : null,
        fillColor: TYPE_COLOURS[i.type?.event] || "#555555", fillOpacity: 0.9 }), "incidents", i);
    }
    for (const c of v.conflicts) {
      const vol = data.volumes.find((x) => x.id === c.volume);
      const at = vol ? centre(vol.footprint) : null;
      if (at) addLayer(L.circleMarker(latlng(at), { className: "truce-conflict", radius: 11, color: "#b3261e", weight: 3, fill: false }), "conflicts", c);
    }
    const n = (k, one, many) => `${v[k].length} ${v[k].length === 1 ? one : many}`;
    counts.textContent = [n("incidents", "incident", "incidents"), n("sites", "site", "sites"), n("movements", "movement", "movements"),
      n("volumes", "volume", "volumes"), n("areas", "area", "areas"), n("conflicts", "conflict", "conflicts")].join(", ");
    if (!list.children.length) list.append(h("li", {}, "Nothing recorded stands at this moment with these filters."));

    function addLayer(layer, kind, x) {
      if (!layer) return;
      layer.bindPopup(() => details(kind, x, t), { maxWidth: 320 });
      // Leaflet writes a string tooltip as HTML; records are untrusted text, so it gets an element.
      layer.bindTooltip(h("span", {}, label(kind, x, t)));
      layer.addTo(group);
      list.append(h("li", { class: "kind-" + kind }, h("button", { type: "button", class: "link",
        onclick: () => { map.fitBounds(layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]), { maxZoom: 11 }); layer.openPopup(); } },
        label(kind, x, t))));
    }
  }

  function goTo(text) {
    const s = text.trim();
    const t = ms(/Z$/.test(s) ? s : s.length === 10 ? s + "T00:00:00Z" : s + (s.length === 16 ? ":00Z" : "Z"));
    if (Number.isNaN(t)) { counts.textContent = `"${s}" is not a moment such as 2016-09-19T17:00`; return; }
    slider.value = String(Math.ceil(t / STEP));
    draw();
  }

  // Every moment at which something appears, starts, moves on or ends, as the first step at or after
  // it, so that stepping onto it shows what it starts.
  const events = [...new Set([min, ...all.map((t) => Math.ceil(t / STEP))])].sort((x, y) => x - y);

  function shift(hours) {
    slider.value = String(Math.min(max, Math.max(min, Number(slider.value) + hours * HOUR / STEP)));
    draw();
  }

  function step(direction) {
    const now = Number(slider.value);
    const next = direction > 0 ? events.find((e) => e > now) : [...events].reverse().find((e) => e < now);
    if (next !== undefined) {
      slider.value = String(Math.min(max, next));
      draw();
    }
  }

  slider.addEventListener("input", draw);
  typeSelect.addEventListener("change", () => { f.type = typeSelect.value; draw(); });
  windowSelect.addEventListener("change", () => { f.window = windowSelect.value; draw(); });
  contested.addEventListener("change", () => { f.contested = contested.checked; draw(); });
  draw();
  if (data.incidentsCut) counts.after(note("More incidents than the map draws at once; the timeline lists them all.", "info"));
}

function legend() {
  return h("details", { class: "legend" }, h("summary", {}, "Legend"),
    h("ul", {},
      Object.entries(TYPE_COLOURS).map(([t, c]) => {
        const sw = h("span", { class: "swatch" });
        sw.style.background = c;
        return h("li", {}, sw, t);
      }),
      h("li", {}, h("span", { class: "swatch contested" }), "contested incident: dashed black ring"),
      h("li", {}, h("span", { class: "swatch site" }), "notified site"),
      h("li", {}, h("span", { class: "swatch movement" }), "movement: solid while on a leg, dashed before"),
      h("li", {}, h("span", { class: "swatch area" }), "declared area; red and dashed when disputed"),
      h("li", {}, h("span", { class: "swatch volume" }), "flight volume"),
      h("li", {}, h("span", { class: "swatch conflict" }), "conflict")));
}
