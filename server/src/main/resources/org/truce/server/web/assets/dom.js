// Small helpers to build the page from data without ever parsing data as HTML.

/** An element with attributes (on* keys become listeners) and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces the content of the main area, moves focus there and names the page. */
export function show(title, ...children) {
  const main = document.getElementById("main");
  main.replaceChildren(...children.flat().filter(Boolean));
  document.title = title + " — Truce";
  return main;
}

/** A time as "2016-09-19 17:00 UTC". */
export function when(t) {
  if (!t) return "";
  const s = String(t);
  return s.replace("T", " ").replace(/:00(\.0+)?Z$/, "Z").replace(/(\.\d+)?Z$/, " UTC");
}

/** A status word as a badge whose class the style sheet colours. */
export function badge(word, extra = "") {
  return h("span", { class: `badge b-${String(word).replace(/[^a-z0-9-]/gi, "")} ${extra}` }, String(word).replace(/[-_]/g, " "));
}

/** A message in a live region, for errors and results. */
export function note(text, kind = "info") {
  return h("p", { class: `note ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

/** A labelled form field. */
export function field(label, input, hint) {
  const id = input.id || ("f-" + Math.random().toString(36).slice(2, 9));
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("small", {}, hint) : null);
}

/** The query of the current hash route as an object. */
export function query() {
  const q = location.hash.split("?")[1] || "";
  return Object.fromEntries(new URLSearchParams(q));
}
