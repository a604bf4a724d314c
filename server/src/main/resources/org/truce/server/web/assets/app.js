// The shell: a route per page in the address's fragment (#/map, #/incidents/<id>, …), each page a
// module loaded when first shown, and who is signed in.
import { h, show, note } from "./dom.js";
import { signedIn, signOut, onSession } from "./api.js";

const PAGES = {
  map: "./pages/map.js",
  timeline: "./pages/timeline.js",
  agreements: "./pages/agreements.js",
  incidents: "./pages/incidents.js",
  hotline: "./pages/hotline.js",
  report: "./pages/report.js",
  log: "./pages/log.js",
  signin: "./pages/signin.js",
  notify: "./pages/notify.js",
};

function who() {
  const el = document.getElementById("who");
  const party = signedIn();
  el.replaceChildren(party
    ? h("span", {}, "Signed in as ", h("strong", { id: "signed-in-party" }, party), " ",
        h("button", { type: "button", class: "link", id: "sign-out", onclick: async () => { await signOut(); route(); } }, "Sign out"))
    : h("a", { href: "#/signin", id: "sign-in-link" }, "Sign in as a party"));
}

let current = 0;

async function route() {
  const [path] = location.hash.replace(/^#\/?/, "").split("?");
  const [page, ...rest] = path.split("/");
  const name = PAGES[page] ? page : "map";
  for (const a of document.querySelectorAll("header nav a")) {
    if (a.getAttribute("href") === "#/" + name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const mine = ++current;
  const requested = location.hash;
  delete document.body.dataset.ready;
  try {
    const mod = await import(PAGES[name]);
    if (mine !== current) return;
    await mod.render(rest.map(decodeURIComponent), () => mine === current);
    if (mine !== current) return;
  } catch (e) {
    if (mine !== current) return;
    show("Error", h("h1", {}, "Something went wrong"), note(e.message, "error"));
  }
  const main = document.getElementById("main");
  if (document.activeElement === document.body || !main.contains(document.activeElement)) {
    main.focus({ preventScroll: true });
  }
  // Which route the page shows, once it is drawn: for tests and tools that wait for a page.
  document.body.dataset.ready = requested;
}

onSession(who);
window.addEventListener("hashchange", route);
who();
route();
