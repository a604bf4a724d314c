// The log: its signed checkpoint, size and root, the witnesses' cosignatures, and for any record its
// inclusion proof verified here with WebCrypto, with the .tlog-proof bundle to keep.
import { h, show, note, badge, query, when } from "../dom.js";
import { get, text, ApiError } from "../api.js";
import * as c from "../crypto.js";

let logKey;
/** The log's checkpoint vkey, as its genesis entry (entry 0) declares it. */
async function vkey() {
  logKey ??= get("/api/v1/entries/0").then((e) => e.body.checkpointKey);
  return logKey;
}

export async function render(_, live) {
  const [note_, key] = await Promise.all([text("/log/checkpoint"), vkey()]);
  if (!live()) return;
  const cp = c.parseNote(note_);
  const signedByLog = await c.noteSignedBy(cp, key);
  const logName = key.split("+")[0];
  const witnesses = cp.sigs.filter((s) => s.type === "cosignature");
  const index = h("input", { type: "number", id: "entry-index", min: 0, max: cp.size - 1, required: true, inputmode: "numeric" });
  const out = h("div", { id: "proof-result", class: "proof", "aria-live": "polite" });
  show("Log",
    h("h1", {}, "The log"),
    h("section", { "aria-labelledby": "cp-h" }, h("h2", { id: "cp-h" }, "Latest checkpoint"),
      h("dl", { class: "facts" },
        h("dt", {}, "Origin"), h("dd", {}, cp.origin),
        h("dt", {}, "Size"), h("dd", { id: "log-size" }, `${cp.size} entries`),
        h("dt", {}, "Root hash"), h("dd", {}, h("code", {}, cp.root)),
        h("dt", {}, "Log's signature"), h("dd", { id: "checkpoint-signature" }, signedByLog ? badge("verified") : badge("failed"),
          signedByLog ? ` by ${logName}, the key the genesis entry declares` : " does not check with the key the genesis entry declares"),
        h("dt", {}, "Log key"), h("dd", {}, h("code", {}, key))),
      h("pre", { class: "mono" }, note_)),
    h("section", { "aria-labelledby": "wit-h" }, h("h2", { id: "wit-h" }, `Witnesses (${witnesses.length})`),
      witnesses.length ? h("table", {}, h("thead", {}, h("tr", {}, ["Witness", "Key ID", "Cosigned at"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, witnesses.map((w) => h("tr", {}, h("td", {}, w.name), h("td", {}, h("code", {}, w.id)), h("td", {}, when(w.time))))))
        : h("p", {}, "No witness has cosigned this checkpoint yet. Witnesses cosign checkpoints (C2SP tlog-witness) so that the operator cannot show different histories to different readers.")),
    h("section", { "aria-labelledby": "rec-h" }, h("h2", { id: "rec-h" }, "Check a record"),
      h("form", { class: "inline", onsubmit: (e) => { e.preventDefault(); check(Number(index.value), out, key); } },
        h("div", { class: "field" }, h("label", { for: "entry-index" }, "Entry index"), index),
        h("button", { type: "submit", id: "verify-proof" }, "Verify inclusion")),
      h("p", {}, "The proof is computed by the server from its tiles and checked here: the entry's leaf hash, hashed up the proof with SHA-256, must give the root that the log's checkpoint signs."),
      out),
    h("p", {}, "To audit the whole log offline: ", h("code", {}, `truce log verify ${location.origin}/log --vkey ${key}`)));
  const q = query();
  if (q.index !== undefined && q.index !== "") {
    index.value = q.index;
    await check(Number(q.index), out, key);
  }
}

async function check(i, out, key) {
  out.replaceChildren(note(`Verifying entry ${i}…`));
  try {
    const [bundleText, entry] = await Promise.all([text(`/log/proof/${i}`), get(`/api/v1/entries/${i}`)]);
    const bundle = c.parseProofBundle(bundleText);
    const leaf = bundle.extra;
    const lh = await c.leafHash(leaf);
    const root = await c.rootFromInclusionProof(bundle.index, bundle.checkpoint.size, lh, bundle.proof);
    const rootOk = root !== null && c.b64(root) === bundle.checkpoint.root;
    const signed = await c.noteSignedBy(bundle.checkpoint, key);
    const sameLeaf = c.b64(lh) === entry.leafHash;
    const header = entry.leaf.entry;
    let authorOk = null;
    try {
      const k = await get(`/api/v1/keys/${encodeURIComponent(header.key)}`);
      authorOk = await c.entrySignatureChecks(header, k.vkey);
    } catch (e) { if (!(e instanceof ApiError)) throw e; }
    const bodyOk = entry.body ? await c.bodyMatches(header, entry.body, entry.salt) : null;
    const ok = rootOk && signed && sameLeaf && bundle.index === i;
    const rows = [
      ["Leaf hash", [h("code", {}, c.b64(lh)), sameLeaf ? "" : " (not the entry the API shows!)"]],
      ["Proof", `${bundle.proof.length} hashes up to the root of a tree of ${bundle.checkpoint.size}`],
      ["Root", [rootOk ? badge("verified") : badge("failed"), " ", h("code", {}, bundle.checkpoint.root)]],
      ["Checkpoint signature", signed ? badge("verified") : badge("failed")],
      ["Author's signature", authorOk === null ? "author key not found" : authorOk ? [badge("verified"), ` ${header.author}, key ${header.key}`] : badge("failed")],
      ["Body", bodyOk === null ? "withheld: not visible to you; its digest is in the signed header" : bodyOk ? [badge("matches"), " its signed digest"] : badge("failed")],
    ];
    out.replaceChildren(
      ok ? note(`Inclusion proof verified: entry ${i} is in the log of ${bundle.checkpoint.size} entries.`, "ok")
        : note(`The inclusion proof of entry ${i} does NOT verify.`, "error"),
      h("dl", { class: "facts", id: "proof-facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("p", {}, `${header.kind} by ${header.author}, seq ${header.seq}, at ${when(header.at)}; received ${when(entry.leaf.received)}.`),
      entry.body ? h("details", {}, h("summary", {}, "The entry and its body"),
        h("pre", { class: "mono" }, JSON.stringify({ entry: header, body: entry.body }, null, 2))) : null,
      h("p", {}, h("a", { class: "button", href: `/log/proof/${i}`, download: `entry-${i}.tlog-proof`, id: "download-proof" },
        `Download entry-${i}.tlog-proof`), " — check it offline with ", h("code", {}, `truce log check-proof entry-${i}.tlog-proof --vkey ${key}`)));
  } catch (e) {
    out.replaceChildren(note(`Entry ${i}: ${e.message}`, "error"));
  }
}
