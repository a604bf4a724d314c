// Notify a protected site as the signed-in party: its place and radius, who must acknowledge it and
// by when; signed in the page like every form.
import { h, show, note, field } from "../dom.js";
import { submit, signedIn } from "../api.js";

const CATEGORIES = ["hospital", "school", "water-station", "warehouse", "camp", "office", "other"];

export async function render() {
  const party = signedIn();
  if (!party) {
    show("Notify a site", h("h1", {}, "Notify a site"),
      note("Notifications are signed by the party that makes them: sign in with your party's key first."),
      h("p", {}, h("a", { href: "#/signin" }, "Sign in as a party")));
    return;
  }
  const id = h("input", { type: "text", required: true, pattern: "[a-z0-9][a-z0-9\\-]{0,63}", placeholder: "al-quds-hospital-aleppo" });
  const name = h("input", { type: "text", required: true, maxlength: 200 });
  const category = h("select", { required: true }, CATEGORIES.map((c) => h("option", { value: c }, c.replace("-", " "))));
  const lon = h("input", { type: "number", required: true, step: "any", min: -180, max: 180, placeholder: "37.1472" });
  const lat = h("input", { type: "number", required: true, step: "any", min: -90, max: 90, placeholder: "36.1794" });
  const radius = h("input", { type: "number", required: true, min: 1, max: 50000, value: 100 });
  const acknowledge = h("input", { type: "text", required: true, placeholder: "ru, sy, us", pattern: "[a-z0-9, \\-]+" });
  const ackBy = h("input", { type: "text", required: true, placeholder: "2016-02-26T10:00:00Z" });
  const noteText = h("textarea", { maxlength: 4000 });
  const result = h("div", { id: "notify-result", "aria-live": "polite" });
  show("Notify a site", h("h1", {}, `Notify a site as ${party}`),
    h("form", { class: "card", id: "notify-form", onsubmit: async (e) => {
      e.preventDefault();
      const body = { id: id.value.trim(), name: name.value.trim(), category: category.value,
        footprint: { type: "circle", center: [Number(lon.value), Number(lat.value)], radius: Number(radius.value) },
        acknowledge: [...new Set(acknowledge.value.split(/[ ,]+/).filter(Boolean))].sort(), ackBy: ackBy.value.trim() };
      if (noteText.value.trim()) body.note = noteText.value.trim();
      try {
        const r = await submit("notification.site", body, "public");
        result.replaceChildren(note(`Notified: entry ${r.index} in the log. The parties named must acknowledge it by ${body.ackBy}.`, "ok"),
          h("p", {}, h("a", { href: "#/map" }, "See it on the map"), " · ", h("a", { href: `#/log?index=${r.index}` }, "its inclusion proof")));
      } catch (err) { result.replaceChildren(note("Not notified: " + err.message, "error")); }
    } },
      field("Id", id, "1 to 64 lowercase letters, digits and hyphens; a site is notified once under an id."),
      field("Name", name), field("Category", category),
      field("Longitude (degrees)", lon), field("Latitude (degrees)", lat), field("Radius (metres)", radius),
      field("Parties that must acknowledge", acknowledge), field("Acknowledge by (UTC)", ackBy, "An RFC 3339 time such as 2016-02-26T10:00:00Z."),
      field("Note", noteText),
      h("button", { type: "submit" }, "Sign and notify")),
    result);
}
