// Sign in as a party: the key file is read in this page and imported into WebCrypto as a
// non-extractable key; only a signature over the server's challenge leaves the browser.
import { h, show, note } from "../dom.js";
import { signIn, signedIn } from "../api.js";

export async function render() {
  const file = h("input", { type: "file", id: "key-file", accept: ".key,text/plain", required: true,
    "aria-describedby": "key-hint" });
  const out = h("div", { id: "signin-result", "aria-live": "polite" });
  const button = h("button", { type: "submit", id: "sign-in" }, "Sign in");
  show("Sign in",
    h("h1", {}, "Sign in as a party"),
    signedIn() ? note(`You are signed in as ${signedIn()}. Signing in again replaces that session.`) : null,
    h("form", { class: "card", onsubmit: async (e) => {
      e.preventDefault();
      out.replaceChildren();
      if (!file.files.length) { out.append(note("Choose your party's key file first.", "error")); return; }
      button.disabled = true;
      try {
        const party = await signIn(await file.files[0].text());
        file.value = "";
        out.append(note(`Signed in as ${party}. Your forms are now signed in this page with your key.`, "ok"),
          h("p", {}, h("a", { href: "#/hotline" }, "Go to your hotline")));
      } catch (err) {
        out.append(note("Sign-in failed: " + err.message, "error"));
      } finally { button.disabled = false; }
    } },
      h("div", { class: "field" }, h("label", { for: "key-file" }, "Party key file"), file,
        h("small", { id: "key-hint" }, "The file written by ", h("code", {}, "truce keys generate"),
          " (PRIVATE+KEY+<party>+…). It is read by this page only: the key is imported into the browser as a key that cannot be read back, and the server never receives it.")),
      button),
    out,
    h("p", {}, "A session lasts 15 minutes; reloading the page forgets the key, so sign in again to sign more."));
}
