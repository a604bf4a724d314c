// What the browser computes itself: RFC 8785 canonical JSON, SHA-256 and Ed25519 through WebCrypto,
// Truce entries signed exactly as the command line signs them (docs/entries.md), signed-note
// verification and RFC 9162 inclusion proofs. Nothing here sends a private key anywhere.

const enc = new TextEncoder();

export function b64(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function unb64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

/**
 * RFC 8785 (JCS): object members sorted by their UTF-16 code units, no whitespace, and numbers and
 * strings as ECMAScript's JSON.stringify writes them, which is what the RFC specifies.
 */
export function canonical(v) {
  if (v === null || typeof v !== "object") {
    if (typeof v === "number" && !Number.isFinite(v)) throw new Error("JSON has no " + v);
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
  return "{" + Object.keys(v).sort().filter((k) => v[k] !== undefined)
    .map((k) => JSON.stringify(k) + ":" + canonical(v[k])).join(",") + "}";
}

/** A time as java.time's ISO_INSTANT writes it: no ".000", "Z" for UTC. */
export function isoInstant(date) {
  return date.toISOString().replace(/\.000Z$/, "Z");
}

// ---- party keys ----

const PKCS8_ED25519 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

/** The key ID of a signed-note key: SHA-256(name ‖ "\n" ‖ type ‖ public key)[:4] as a number. */
async function keyId(name, type, publicKey) {
  const d = await sha256(concat(enc.encode(name + "\n"), Uint8Array.of(type), publicKey));
  return ((d[0] << 24) >>> 0) + (d[1] << 16) + (d[2] << 8) + d[3];
}

/**
 * Imports a party's key file, {@code PRIVATE+KEY+<party>+<key id>+<base64(0x01 ‖ seed)>}, as a
 * non-extractable WebCrypto Ed25519 key, after checking that its key ID matches its public key.
 */
export async function importKeyFile(text) {
  // The key's base64 may itself hold "+": split on the first four only.
  const fields = text.trim().split("+");
  const parts = [...fields.slice(0, 4), fields.slice(4).join("+")];
  if (fields.length < 5 || parts[0] !== "PRIVATE" || parts[1] !== "KEY") {
    throw new Error("this is not a party key file (PRIVATE+KEY+<party>+<key id>+<key>)");
  }
  const [, , party, id] = parts;
  if (!/^[a-z][a-z0-9-]{1,31}$/.test(party) || !/^[0-9a-f]{8}$/.test(id)) {
    throw new Error("the key file names no party id and key ID");
  }
  let raw;
  try { raw = unb64(parts[4]); } catch { throw new Error("the key in the file is not base64"); }
  if (raw.length !== 33 || raw[0] !== 0x01) throw new Error("the key is not an Ed25519 signed-note key");
  const pkcs8 = concat(PKCS8_ED25519, raw.subarray(1));
  let publicKey;
  try {
    // Imported once extractable only to learn the public key, to check the key ID; the key kept is not.
    const probe = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]);
    const jwk = await crypto.subtle.exportKey("jwk", probe);
    publicKey = unb64(jwk.x.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - jwk.x.length % 4) % 4));
  } catch (e) {
    throw new Error("this browser cannot use Ed25519 keys (WebCrypto): " + e.message);
  }
  if ((await keyId(party, 1, publicKey)).toString(16).padStart(8, "0") !== id) {
    throw new Error("the key ID in the file does not match its key");
  }
  const key = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
  pkcs8.fill(0);
  raw.fill(0);
  return { party, keyRef: party + "+" + id, key, publicKey: b64(publicKey) };
}

export async function sign(key, bytes) {
  return new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key, bytes));
}

/** The bytes a party signs to log in: "truce-login\n" followed by the challenge. */
export function loginMessage(challenge) {
  return enc.encode("truce-login\n" + challenge);
}

/**
 * A signed submission, {entry, body, salt?}: the header commits to SHA-256(salt ‖ JCS(body)), with
 * 32 random bytes of salt for a restricted body, and is signed over the JCS of every field but sig.
 */
export async function signEntry(signer, kind, body, visibility, seq, at = new Date(), refs = []) {
  const restricted = visibility !== "public";
  const salt = restricted ? crypto.getRandomValues(new Uint8Array(32)) : new Uint8Array(0);
  const digest = await sha256(concat(salt, enc.encode(canonical(body))));
  const header = { v: 1, kind, author: signer.party, key: signer.keyRef, seq, at: isoInstant(at),
    visibility, body: b64(digest), refs };
  const sig = await sign(signer.key, enc.encode(canonical(header)));
  const submission = { entry: { ...header, sig: b64(sig) }, body };
  if (restricted) submission.salt = b64(salt);
  return submission;
}

/** Whether a body and salt hash to the digest a signed header commits to. */
export async function bodyMatches(header, body, salt) {
  const d = await sha256(concat(salt ? unb64(salt) : new Uint8Array(0), enc.encode(canonical(body))));
  return b64(d) === header.body;
}

// ---- verification ----

/** Parses a vkey, <name>+<hex id>+<base64(0x01 ‖ key)>, into a WebCrypto public key. */
export async function verifierKey(vkey) {
  const parts = vkey.split("+");
  const raw = unb64(parts.slice(2).join("+"));
  if (raw[0] !== 0x01 || raw.length !== 33) throw new Error("not an Ed25519 vkey");
  return { name: parts[0], id: parts[1],
    key: await crypto.subtle.importKey("raw", raw.subarray(1), { name: "Ed25519" }, false, ["verify"]) };
}

export async function verify(publicKey, signature, bytes) {
  return crypto.subtle.verify({ name: "Ed25519" }, publicKey, signature, bytes);
}

/** Whether an entry header's signature checks with the author's vkey. */
export async function entrySignatureChecks(header, vkey) {
  const { sig, ...signed } = header;
  const v = await verifierKey(vkey);
  return verify(v.key, unb64(sig), enc.encode(canonical(signed)));
}

/**
 * A signed note split into its text and signature lines: [{name, id (hex), sig (bytes)}]. The text
 * is what every signature covers, up to and including the newline before the blank line.
 */
export function parseNote(note) {
  const i = note.indexOf("\n\n");
  if (i < 0) throw new Error("not a signed note");
  const text = note.slice(0, i + 1);
  const sigs = [];
  for (const line of note.slice(i + 2).split("\n")) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) continue;
    const raw = unb64(m[2]);
    if (raw.length === 76) {
      // C2SP tlog-cosignature v1: key ID, an 8-byte big-endian timestamp, then the signature.
      const t = new DataView(raw.buffer, raw.byteOffset + 4, 8).getBigUint64(0);
      sigs.push({ name: m[1], id: hex(raw.subarray(0, 4)), sig: raw.subarray(12), type: "cosignature",
        time: new Date(Number(t) * 1000).toISOString() });
    } else {
      sigs.push({ name: m[1], id: hex(raw.subarray(0, 4)), sig: raw.subarray(4), type: "signature" });
    }
  }
  const [origin, size, root] = text.split("\n");
  return { text, origin, size: Number(size), root, sigs };
}

/** Whether a note carries a good signature by the vkey. */
export async function noteSignedBy(note, vkey) {
  const v = await verifierKey(vkey);
  const s = note.sigs.find((x) => x.name === v.name && x.id === v.id);
  return !!s && s.sig.length === 64 && verify(v.key, s.sig, enc.encode(note.text));
}

/** Parses a C2SP tlog-proof bundle: the entry (our "extra"), its index, the proof and the checkpoint. */
export function parseProofBundle(text) {
  const i = text.indexOf("\n\n");
  const head = text.slice(0, i).split("\n");
  if (head[0] !== "c2sp.org/tlog-proof@v1") throw new Error("not a tlog-proof bundle");
  let extra = null, index = null;
  const proof = [];
  for (const line of head.slice(1)) {
    if (line.startsWith("extra ")) extra = unb64(line.slice(6));
    else if (line.startsWith("index ")) index = Number(line.slice(6));
    else if (line) proof.push(unb64(line));
  }
  return { extra, index, proof, checkpoint: parseNote(text.slice(i + 2)) };
}

export async function leafHash(leaf) {
  return sha256(concat(Uint8Array.of(0), leaf));
}

async function nodeHash(l, r) {
  return sha256(concat(Uint8Array.of(1), l, r));
}

/** RFC 9162 §2.1.3.2: the root an inclusion proof leads to from a leaf hash, or null if it cannot. */
export async function rootFromInclusionProof(index, size, leaf, proof) {
  if (index >= size) return null;
  let fn = index, sn = size - 1, r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}
