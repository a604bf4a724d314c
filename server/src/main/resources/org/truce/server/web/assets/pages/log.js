// The log: its signed checkpoint, size and root, the witnesses' cosignatures, and for any record its
// inclusion proof verified here with WebCrypto, with the .tlog-proof bundle to keep. With a witness
// policy (C2SP tlog-policy) loaded, the checkpoint is accepted only when the policy's log signed it and
// its quorum of witnesses cosigned it; proofs under a checkpoint that is not accepted say so.
import { h, show, note, badge, query, when } from "../dom.js";
import { get, text, bytes, ApiError } from "../api.js";
import * as c from "../crypto.js";
import { parsePolicy, checkCheckpoint, latin1, MAX_SIZE, PolicyError } from "../policy.js";

let logKey;
/** The log's checkpoint vkey, as its genesis entry (entry 0) declares it. */
async function vkey() {
  logKey ??= get("/api/v1/entries/0").then((e) => e.body.checkpointKey);
  return logKey;
}

/** Where the policy file is kept for this tab: its name and its octets as a Latin-1 string. */
const STORED = "truce.policy";

/** The policy loaded in this tab, parsed, or null; a stored file that no longer parses is forgotten. */
async function loadedPolicy() {
  const stored = sessionStorage.getItem(STORED);
  if (!stored) return null;
  try {
    const { name, file } = JSON.parse(stored);
    return { name, policy: await parsePolicy(file) };
  } catch {
    sessionStorage.removeItem(STORED);
    return null;
  }
}

const NO_POLICY = "No witness policy is loaded: the checkpoint is checked with the log's own key only, so a split "
  + "view (one history shown to you, another to someone else) is not ruled out.";

function verdictNote(v) {
  return v.accepted
    ? note(`Accepted under your policy: signed by ${v.origin} and cosigned by `
      + `${v.witnesses.filter((w) => w.status === "verified").map((w) => w.name).join(", ") || "no witness (the quorum is none)"}`
      + ", which meets its quorum.", "ok")
    : note(`Not accepted under your policy: ${v.reasons.join("; ")}.`, "error");
}

/** After the page is drawn again for a new policy, the reader is taken to its verdict. */
function focusVerdict() {
  document.getElementById("policy-verdict")?.focus();
}

/** The form that loads a policy file into this tab, and what is loaded. */
function policySection(loaded, rerender) {
  const file = h("input", { type: "file", id: "policy-file", accept: ".policy,text/plain", required: true,
    "aria-describedby": "policy-hint" });
  const out = h("div", { id: "policy-result", "aria-live": "polite" });
  const button = h("button", { type: "submit", id: "load-policy" }, "Load policy");
  return h("section", { "aria-labelledby": "policy-h" }, h("h2", { id: "policy-h" }, "Your witness policy"),
    loaded
      ? h("p", { id: "policy-loaded" }, `Loaded for this tab: ${loaded.name} (${loaded.policy.logs.length} log(s), `
        + `${loaded.policy.witnesses.length} witness(es), quorum ${loaded.policy.quorum === null ? "none"
          : loaded.policy.quorum.name ?? loaded.policy.quorum.witness}). `,
        h("button", { type: "button", class: "link", id: "forget-policy", onclick: () => {
          sessionStorage.removeItem(STORED);
          rerender().then(focusVerdict);
        } }, "Forget this policy"))
      : h("p", { id: "policy-loaded" }, "None loaded."),
    h("form", { class: "inline", onsubmit: async (e) => {
      e.preventDefault();
      out.replaceChildren();
      const f = file.files[0];
      if (!f) { out.append(note("Choose a policy file first.", "error")); return; }
      button.disabled = true;
      try {
        // The size is checked before reading, as the Java parser checks it before parsing.
        if (f.size > MAX_SIZE) throw new PolicyError(`policy is larger than ${MAX_SIZE} bytes`);
        const octets = latin1(new Uint8Array(await f.arrayBuffer()));
        await parsePolicy(octets);
        sessionStorage.setItem(STORED, JSON.stringify({ name: f.name, file: octets }));
        file.value = "";
        await rerender();
        focusVerdict();
      } catch (err) {
        // A PolicyError names the line at fault; anything else is the browser's (no WebCrypto Ed25519, say).
        out.append(note(`The policy was not loaded: ${err.message}`
          + (loaded ? `. The policy loaded before (${loaded.name}) stays.` : "."), "error"));
      } finally { button.disabled = false; }
    } },
      h("div", { class: "field" }, h("label", { for: "policy-file" }, "Policy file"), file,
        h("small", { id: "policy-hint" }, "A C2SP tlog-policy file (", h("code", {}, "log"), ", ", h("code", {}, "witness"),
          ", ", h("code", {}, "group"), " and ", h("code", {}, "quorum"), " lines), such as the ", h("code", {}, "log.policy"),
          " that ", h("code", {}, "truce demo"), " writes. It is read in this page and kept for this tab only.")),
      button),
    out);
}

export async function render(args, live) {
  const [raw, key, loaded] = await Promise.all([bytes("/log/checkpoint"), vkey(), loadedPolicy()]);
  if (!live()) return;
  const note_ = new TextDecoder().decode(raw);
  const cp = c.parseNote(note_);
  const signedByLog = await c.noteSignedBy(cp, key);
  let verdict = null;
  if (loaded) {
    try {
      verdict = await checkCheckpoint(raw, loaded.policy);
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      verdict = { accepted: false, reasons: [`the checkpoint is malformed: ${e.message}`], witnesses: [], ignored: [], log: null };
    }
  }
  if (!live()) return;
  const logName = key.split("+")[0];
  const witnesses = cp.sigs.filter((s) => s.type === "cosignature");
  const index = h("input", { type: "number", id: "entry-index", min: 0, max: cp.size - 1, required: true, inputmode: "numeric" });
  const out = h("div", { id: "proof-result", class: "proof", "aria-live": "polite" });
  const rerender = () => render(args, live);
  show("Log",
    h("h1", {}, "The log"),
    h("section", { "aria-labelledby": "cp-h" }, h("h2", { id: "cp-h" }, "Latest checkpoint"),
      h("div", { id: "policy-verdict", "aria-live": "polite", tabindex: -1 }, verdict ? verdictNote(verdict) : note(NO_POLICY)),
      h("dl", { class: "facts" },
        h("dt", {}, "Origin"), h("dd", {}, cp.origin),
        h("dt", {}, "Size"), h("dd", { id: "log-size" }, `${cp.size} entries`),
        h("dt", {}, "Root hash"), h("dd", {}, h("code", {}, cp.root)),
        h("dt", {}, "Log's signature"), h("dd", { id: "checkpoint-signature" }, signedByLog ? badge("verified") : badge("failed"),
          signedByLog ? ` by ${logName}, the key the genesis entry declares` : " does not check with the key the genesis entry declares"),
        h("dt", {}, "Log key"), h("dd", {}, h("code", {}, key)),
        verdict ? [h("dt", {}, "Your policy's log key"), h("dd", { id: "policy-log" }, verdict.log
          ? [badge(verdict.log.status), " ", h("code", {}, verdict.log.vkey),
            verdict.log.vkey === key ? "" : " (not the key the genesis entry declares)"]
          : `none for ${cp.origin}`)] : null),
      h("pre", { class: "mono" }, note_)),
    h("section", { "aria-labelledby": "wit-h" },
      verdict ? witnessesUnderPolicy(verdict) : [h("h2", { id: "wit-h" }, `Witnesses (${witnesses.length})`),
        witnesses.length ? h("table", { id: "witnesses" }, h("thead", {}, h("tr", {}, ["Witness", "Key ID", "Cosigned at"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, witnesses.map((w) => h("tr", {}, h("td", {}, w.name), h("td", {}, h("code", {}, w.id)), h("td", {}, when(w.time))))))
          : h("p", {}, "No witness has cosigned this checkpoint yet."),
        h("p", {}, "Witnesses cosign checkpoints (C2SP tlog-witness) so that the operator cannot show different histories to different readers. "
          + "Their cosignatures are listed here but not checked: load a witness policy below to check them.")]),
    policySection(loaded, rerender),
    h("section", { "aria-labelledby": "rec-h" }, h("h2", { id: "rec-h" }, "Check a record"),
      h("form", { class: "inline", onsubmit: (e) => { e.preventDefault(); check(Number(index.value), out, key, loaded); } },
        h("div", { class: "field" }, h("label", { for: "entry-index" }, "Entry index"), index),
        h("button", { type: "submit", id: "verify-proof" }, "Verify inclusion")),
      h("p", {}, "The proof is computed by the server from its tiles and checked here: the entry's leaf hash, hashed up the proof with SHA-256, must give the root that the log's checkpoint signs."),
      out),
    h("p", {}, "To audit the whole log offline: ", h("code", {}, loaded
      ? `truce log verify ${location.origin}/log --policy ${loaded.name}` : `truce log verify ${location.origin}/log --vkey ${key}`)));
  const q = query();
  if (q.index !== undefined && q.index !== "") {
    index.value = q.index;
    await check(Number(q.index), out, key, loaded);
  }
}

/** The policy's witnesses, each verified, missing or failed, and cosignatures by keys it does not know. */
function witnessesUnderPolicy(v) {
  return [h("h2", { id: "wit-h" }, `Witnesses of your policy (${v.witnesses.length})`),
    h("table", { id: "witnesses" }, h("thead", {}, h("tr", {}, ["Witness", "Key", "Cosignature", "Cosigned at"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, v.witnesses.map((w) => h("tr", { dataset: { witness: w.name, status: w.status } },
        h("td", {}, w.name), h("td", {}, h("code", {}, w.vkey)),
        h("td", {}, badge(w.status), w.status === "verified" ? " cosigned and verified" : w.status === "missing" ? " no cosignature"
          : " does not verify"),
        h("td", {}, when(w.time)))),
      v.ignored.map((s) => h("tr", {}, h("td", {}, s.name), h("td", {}, h("code", {}, s.id)),
        h("td", {}, "not in your policy: ignored"), h("td", {}, ""))))),
    h("p", {}, "A witness cosigns a checkpoint only if it is consistent with every checkpoint of this log it cosigned before. "
      + "A cosignature by a witness of your policy that does not verify rejects the checkpoint; one by a key your policy does not name is ignored.")];
}

async function check(i, out, key, loaded) {
  out.replaceChildren(note(`Verifying entry ${i}…`));
  try {
    const [bundleText, entry] = await Promise.all([text(`/log/proof/${i}`), get(`/api/v1/entries/${i}`)]);
    const bundle = c.parseProofBundle(bundleText);
    let verdict = null;
    if (loaded) {
      try {
        verdict = await checkCheckpoint(new TextEncoder().encode(bundleText.slice(bundleText.indexOf("\n\n") + 2)), loaded.policy);
      } catch (e) {
        if (!(e instanceof PolicyError)) throw e;
        verdict = { accepted: false, reasons: [`its checkpoint is malformed: ${e.message}`] };
      }
    }
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
      ["Under your policy", verdict === null ? "no witness policy loaded" : verdict.accepted ? [badge("accepted"), " signed by its log and cosigned by its quorum"]
        : [badge("not-accepted"), ` ${verdict.reasons.join("; ")}`]],
      ["Author's signature", authorOk === null ? "author key not found" : authorOk ? [badge("verified"), ` ${header.author}, key ${header.key}`] : badge("failed")],
      ["Body", bodyOk === null ? "withheld: not visible to you; its digest is in the signed header" : bodyOk ? [badge("matches"), " its signed digest"] : badge("failed")],
    ];
    // replaceChildren takes nodes only: the list is flattened and the absent parts (null) left out.
    out.replaceChildren(...[
      !ok ? note(`The inclusion proof of entry ${i} does NOT verify.`, "error")
        : verdict === null ? [note(`Inclusion proof verified: entry ${i} is in the log of ${bundle.checkpoint.size} entries.`, "ok"),
          note(NO_POLICY)]
          : verdict.accepted ? note(`Inclusion proof verified: entry ${i} is in the log of ${bundle.checkpoint.size} entries, `
            + "under a checkpoint accepted under your policy.", "ok")
            : note(`The proof leads to the checkpoint's root, but that checkpoint is NOT accepted under your policy `
              + `(${verdict.reasons.join("; ")}), so it does not show that entry ${i} is in the log you trust.`, "error"),
      h("dl", { class: "facts", id: "proof-facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      h("p", {}, `${header.kind} by ${header.author}, seq ${header.seq}, at ${when(header.at)}; received ${when(entry.leaf.received)}.`),
      entry.body ? h("details", {}, h("summary", {}, "The entry and its body"),
        h("pre", { class: "mono" }, JSON.stringify({ entry: header, body: entry.body }, null, 2))) : null,
      h("p", {}, h("a", { class: "button", href: `/log/proof/${i}`, download: `entry-${i}.tlog-proof`, id: "download-proof" },
        `Download entry-${i}.tlog-proof`), " — check it offline with ", h("code", {}, loaded ? `truce log check-proof entry-${i}.tlog-proof --policy ${loaded.name}`
          : `truce log check-proof entry-${i}.tlog-proof --vkey ${key}`))].flat().filter(Boolean));
  } catch (e) {
    out.replaceChildren(note(`Entry ${i}: ${e.message}`, "error"));
  }
}
