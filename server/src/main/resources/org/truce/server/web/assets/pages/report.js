// The daily report as the server renders it: the printable page, its chart, and its data.
import { h, show, field, query } from "../dom.js";

export async function render() {
  const q = query();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(q.date || "") ? q.date : new Date().toISOString().slice(0, 10);
  const input = h("input", { type: "date", id: "report-date", value: date, required: true });
  const src = (fmt) => `/api/v1/reports/daily?date=${date}&format=${fmt}`;
  const frame = h("iframe", { class: "report-frame", title: `Daily report of ${date}`, src: src("html"), id: "report-frame" });
  show("Daily report", h("h1", {}, `Daily report of ${date}`),
    h("form", { class: "inline no-print", onsubmit: (e) => { e.preventDefault(); location.hash = "#/report?date=" + input.value; } },
      field("Date", input), h("button", { type: "submit" }, "Show"),
      h("button", { type: "button", class: "secondary", onclick: () => frame.contentWindow.print() }, "Print"),
      h("a", { href: src("html"), target: "_blank", rel: "noopener" }, "Printable page"), " ",
      h("a", { href: src("svg"), target: "_blank", rel: "noopener" }, "Chart (SVG)"), " ",
      h("a", { href: src("json"), target: "_blank", rel: "noopener" }, "Data (JSON)")),
    frame);
}
