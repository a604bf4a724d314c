// C2SP tlog-policy in the browser: the parser follows org.truce.tlog.witness.Policy rule for rule
// (limits, error messages, their order), and a checkpoint is checked as Policy.verify checks it: signed
// by the policy's log for its origin, every cosignature by a known witness verifying (tlog-cosignature
// v1, Ed25519, type 0x04), and those witnesses meeting the quorum. Ed25519 and SHA-256 are WebCrypto's.
import { b64, sha256, concat, hex, verify } from "./crypto.js";

/** The largest policy file parsed, as Policy.MAX_SIZE. */
export const MAX_SIZE = 64 * 1024;
/** The most logs, witnesses and groups each, as Policy.MAX_ENTRIES. */
export const MAX_ENTRIES = 256;
/** The largest note parsed and its most signature lines, as SignedNote.MAX_SIZE and MAX_SIGNATURES. */
const MAX_NOTE = 128 * 1024;
const MAX_SIGNATURES = 100;
const TYPE_ED25519 = 0x01;
const TYPE_COSIGNATURE_V1 = 0x04;

export class PolicyError extends Error {}

const enc = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Lax = new TextDecoder("utf-8", { ignoreBOM: true });

/** A file's bytes as a string of one char per octet (Latin-1), which keeps any bytes in sessionStorage. */
export function latin1(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

function octets(latin1String) {
  return Uint8Array.from(latin1String, (ch) => ch.charCodeAt(0));
}

function utf8(s, no) {
  try { return utf8Strict.decode(octets(s)); } catch { throw new PolicyError(`line ${no}: a key or URL is not valid UTF-8`); }
}

function utf8Lenient(s) {
  return utf8Lax.decode(octets(s));
}

/** Java's String.split(regex, limit) for a literal separator: at most limit parts, the last keeps the rest. */
function splitN(s, sep, limit) {
  const out = [];
  let from = 0;
  while (out.length < limit - 1) {
    const i = s.indexOf(sep, from);
    if (i < 0) break;
    out.push(s.slice(from, i));
    from = i + sep.length;
  }
  out.push(s.slice(from));
  return out;
}

// ---- keys (org.truce.tlog.note.NoteKeys) ----

/** Key names are non-empty and contain neither Unicode spaces, controls nor "+" (note.Text.isValidName). */
function isValidName(name) {
  return name.length > 0 && !/[+\p{Z}\p{Cc}]/u.test(name);
}

/** Standard base64, canonical and padded only (note.Text.decodeBase64). */
function decodeBase64(s, what) {
  let b;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new PolicyError(`${what} is not valid base64`);
  try {
    b = octets(atob(s));
  } catch {
    throw new PolicyError(`${what} is not valid base64`);
  }
  if (b64(b) !== s) throw new PolicyError(`${what} is not canonical padded base64`);
  return b;
}

/** A signed-note key ID: SHA-256(name ‖ "\n" ‖ type ‖ public key)[:4], as 8 lowercase hex digits. */
async function keyId(name, type, publicKey) {
  return hex((await sha256(concat(enc.encode(name + "\n"), Uint8Array.of(type), publicKey))).subarray(0, 4));
}

// Ed25519 public keys are checked as BouncyCastle's validatePublicKeyPartial checks them, so the page
// refuses exactly the keys the Java parser refuses: y canonical and neither 0, 1, p−1 nor the y of a
// point of order 8, and a point on the curve for it.
const P = 2n ** 255n - 19n;
const D = (-121665n * modPow(121666n, P - 2n)) % P + P;
const ORDER8_Y = [
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
].map((h) => littleEndian(Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16))));

function modPow(b, e) {
  let r = 1n;
  b %= P;
  for (; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
}

function littleEndian(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

function isEd25519Point(pk) {
  const sign = pk[31] >> 7;
  const y = littleEndian(pk) & ((1n << 255n) - 1n);
  if (y <= 1n || y >= P - 1n || ORDER8_Y.includes(y)) return false;
  const yy = (y * y) % P;
  const u = (yy - 1n + P) % P;
  const v = (D * yy + 1n) % P;
  const xx = (u * modPow(v, P - 2n)) % P;
  if (xx === 0n) return sign === 0;
  return modPow(xx, (P - 1n) / 2n) === 1n;
}

/**
 * Parses an untrusted vkey as NoteKeys.parseVerifier does: {name, id (hex), type, publicKey, vkey,
 * key (a WebCrypto key)}.
 */
export async function parseVerifier(vkey) {
  if (vkey.length > 1024) throw new PolicyError("verifier key is longer than 1024 characters");
  const parts = splitN(vkey, "+", 3);
  if (parts.length !== 3) throw new PolicyError("verifier key is not <name>+<key id>+<key>");
  const [name, idText, material] = parts;
  if (!isValidName(name)) throw new PolicyError(`verifier key name '${name}' is empty or has a space or +`);
  if (!/^[0-9a-fA-F]{8}$/.test(idText)) throw new PolicyError(`key ID '${idText}' is not 8 hex digits`);
  const key = decodeBase64(material, "verifier key material");
  if (key.length === 0) throw new PolicyError("verifier key material is empty");
  const type = key[0];
  const pk = key.subarray(1);
  if (await keyId(name, type, pk) !== idText.toLowerCase()) {
    throw new PolicyError(`verifier key ID ${idText} does not match its name and key`);
  }
  if (type !== TYPE_ED25519 && type !== TYPE_COSIGNATURE_V1) {
    throw new PolicyError(`verifier key type 0x${type.toString(16).padStart(2, "0")} is not supported`);
  }
  if (pk.length !== 32) throw new PolicyError(`Ed25519 verifier key is ${pk.length} bytes, not 32`);
  if (!isEd25519Point(pk)) throw new PolicyError("verifier key is not a valid Ed25519 public key");
  const id = idText.toLowerCase();
  return { name, id, type, publicKey: b64(pk), vkey: `${name}+${id}+${material}`,
    key: await crypto.subtle.importKey("raw", pk, { name: "Ed25519" }, false, ["verify"]) };
}

// ---- the policy file ----

/** A URL as java.net.URI takes it, absolute: a scheme, then characters URI allows, escapes well formed. */
function url(s, no) {
  const u = utf8(s, no);
  if (/%(?![0-9A-Fa-f]{2})/.test(u)) throw new PolicyError(`line ${no}: bad URL: Malformed escape pair`);
  if (/[\u0000-\u0020"<>\\^`{|}\u007f]/.test(u)) throw new PolicyError(`line ${no}: bad URL: Illegal character`);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(u)) throw new PolicyError(`line ${no}: URL '${u}' is not absolute`);
  if (/^[^:]*:$/.test(u)) throw new PolicyError(`line ${no}: bad URL: Expected scheme-specific part`);
  return u;
}

function arity(f, min, max, no, form) {
  if (f.length < min || f.length > max) throw new PolicyError(`line ${no}: expected ${form}`);
}

function limit(n, what) {
  if (n > MAX_ENTRIES) throw new PolicyError(`policy has more than ${MAX_ENTRIES} ${what}`);
}

function newName(name, names, no) {
  if (name === "none") throw new PolicyError(`line ${no}: 'none' is a reserved name`);
  if (names.has(name)) throw new PolicyError(`line ${no}: name '${utf8Lenient(name)}' is defined twice`);
  return name;
}

function threshold(s, n, no) {
  if (s.length === 0 || s.length > 4 || !/^[0-9]+$/.test(s)) {
    throw new PolicyError(`line ${no}: group threshold '${utf8Lenient(s)}' is not all, any or a number`);
  }
  const k = Number(s);
  if (k < 1 || k > n) throw new PolicyError(`line ${no}: group threshold ${k} is not between 1 and ${n}`);
  return k;
}

async function key(s, type, what, no) {
  let v;
  try {
    v = await parseVerifier(utf8(s, no));
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    throw new PolicyError(`line ${no}: bad ${what} key: ${e.message}`);
  }
  if (v.type !== type) throw new PolicyError(`line ${no}: a ${what} key must have type 0x0${type}, not 0x0${v.type}`);
  return v;
}

/**
 * Parses an untrusted policy file, given as its octets in a Latin-1 string (see latin1): {logs,
 * witnesses: [{name, key, url}], quorum: a node or null for "none"}. A node is {witness: name} or
 * {name, k, members: [node]}. Throws PolicyError with the line at fault.
 */
export async function parsePolicy(file) {
  if (file.length > MAX_SIZE) throw new PolicyError(`policy is larger than ${MAX_SIZE} bytes`);
  for (let i = 0; i < file.length; i++) {
    const c = file.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) {
      throw new PolicyError(`policy contains control character 0x${c.toString(16)}`);
    }
  }
  const logs = [], witnesses = [];
  const names = new Map(), used = new Set(), publicKeys = new Set();
  let groups = 0, quorum = null, haveQuorum = false;
  const lines = file.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^[ \t]+|[ \t]+$/g, "");
    if (line === "" || line.startsWith("#")) continue;
    const no = i + 1;
    const f = line.split(/[ \t]+/);
    switch (f[0]) {
      case "log": {
        arity(f, 2, 3, no, "log <vkey> [<url>]");
        const v = await key(f[1], TYPE_ED25519, "log", no);
        if (publicKeys.has("log " + v.publicKey)) throw new PolicyError(`line ${no}: a log with this public key is listed already`);
        publicKeys.add("log " + v.publicKey);
        if (f.length === 3) url(f[2], no);
        logs.push(v);
        limit(logs.length, "logs");
        break;
      }
      case "witness": {
        arity(f, 3, 4, no, "witness <name> <vkey> [<url>]");
        const name = newName(f[1], names, no);
        const v = await key(f[2], TYPE_COSIGNATURE_V1, "witness", no);
        if (publicKeys.has("witness " + v.publicKey)) {
          throw new PolicyError(`line ${no}: a witness with this public key is listed already`);
        }
        publicKeys.add("witness " + v.publicKey);
        const u = f.length === 4 ? url(f[3], no) : null;
        const node = { witness: utf8(name, no) };
        witnesses.push({ name: node.witness, key: v, url: u });
        names.set(name, node);
        limit(witnesses.length, "witnesses");
        break;
      }
      case "group": {
        if (f.length < 4) throw new PolicyError(`line ${no}: expected group <name> all|any|<k> <name>...`);
        const name = newName(f[1], names, no);
        const members = [];
        for (const m of f.slice(3)) {
          const member = names.get(m);
          if (!member) throw new PolicyError(`line ${no}: group member '${m}' is not a witness or group defined above`);
          if (used.has(m)) throw new PolicyError(`line ${no}: '${m}' is a group member already`);
          used.add(m);
          members.push(member);
        }
        const n = members.length;
        const k = f[2] === "all" ? n : f[2] === "any" ? 1 : threshold(f[2], n, no);
        names.set(name, { name: utf8Lenient(name), k, members });
        limit(++groups, "groups");
        break;
      }
      case "quorum": {
        arity(f, 2, 2, no, "quorum <name>");
        if (haveQuorum) throw new PolicyError(`line ${no}: a policy has exactly one quorum line`);
        haveQuorum = true;
        if (f[1] !== "none") {
          quorum = names.get(f[1]);
          if (!quorum) throw new PolicyError(`line ${no}: quorum '${f[1]}' is not a witness or group defined above`);
        }
        break;
      }
      default:
        throw new PolicyError(`line ${no}: unknown keyword '${utf8Lenient(f[0])}'`);
    }
  }
  if (!haveQuorum) throw new PolicyError("policy has no quorum line");
  return { logs, witnesses, quorum };
}

/** Whether the witnesses named in {@code cosigned} meet a quorum node (null is "none": always met). */
export function quorumMet(node, cosigned) {
  if (node === null) return true;
  if (node.witness !== undefined) return cosigned.has(node.witness);
  let n = 0;
  for (const m of node.members) if (quorumMet(m, cosigned) && ++n >= node.k) return true;
  return false;
}

/** The witnesses under a quorum node, in the order the file names them. */
function witnessesUnder(node, out = []) {
  if (node === null) return out;
  if (node.witness !== undefined) out.push(node.witness);
  else node.members.forEach((m) => witnessesUnder(m, out));
  return out;
}

// ---- checking a checkpoint (SignedNote.parse and verify, Policy.verify) ----

/** Parses an untrusted signed note as SignedNote.parse does: {text, sigs: [{name, id (hex), sig}]}. */
export function parseSignedNote(bytes) {
  if (bytes.length > MAX_NOTE) throw new PolicyError(`note is larger than ${MAX_NOTE} bytes`);
  let s;
  try { s = utf8Strict.decode(bytes); } catch { throw new PolicyError("note is not valid UTF-8"); }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) throw new PolicyError(`note contains control character 0x${c.toString(16)}`);
  }
  const split = s.lastIndexOf("\n\n");
  if (split < 0) throw new PolicyError("note has no blank line before its signatures");
  const text = s.slice(0, split + 1);
  const block = s.slice(split + 2);
  if (block === "") throw new PolicyError("note has no signature lines");
  if (!block.endsWith("\n")) throw new PolicyError("note's last signature line has no final newline");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw new PolicyError(`note has more than ${MAX_SIGNATURES} signature lines`);
  const sigs = lines.map((line) => {
    if (!line.startsWith("\u2014 ")) throw new PolicyError("signature line does not start with an em dash and a space");
    const rest = line.slice(2);
    const sp = rest.indexOf(" ");
    if (sp < 0) throw new PolicyError("signature line has no space between key name and signature");
    const name = rest.slice(0, sp);
    if (!isValidName(name)) throw new PolicyError(`signature key name '${name}' is empty or has a space or +`);
    const raw = decodeBase64(rest.slice(sp + 1), "signature of " + name);
    if (raw.length < 5) throw new PolicyError(`signature of ${name} is shorter than a key ID and one byte`);
    return { name, id: hex(raw.subarray(0, 4)), sig: raw.subarray(4) };
  });
  return { text, sigs };
}

/** Whether a tlog-cosignature v1 signature (u64 time ‖ Ed25519) checks over the checkpoint text. */
async function cosignatureChecks(key, sig, text) {
  if (sig.length !== 72) return false;
  const time = new DataView(sig.buffer, sig.byteOffset, 8).getBigUint64(0);
  if (time >= 2n ** 63n) return false;
  return verify(key, sig.subarray(8), concat(enc.encode(`cosignature/v1\ntime ${time}\n`), text));
}

/**
 * Checks a checkpoint note (its bytes) under a parsed policy. Answers what the page shows:
 * {accepted, reasons: [string], origin, log: {vkey, status}|null, witnesses: [{name, vkey, status:
 * "verified"|"missing"|"failed", time}], ignored: [signature lines of keys the policy does not know]}.
 * As in SignedNote.verify, a known key whose signature fails rejects the checkpoint.
 */
export async function checkCheckpoint(noteBytes, policy) {
  const note = parseSignedNote(noteBytes);
  const text = enc.encode(note.text);
  const origin = note.text.split("\n")[0];
  const logKey = policy.logs.find((l) => l.name === origin) || null;
  const reasons = [];
  const known = new Map();
  for (const w of policy.witnesses) known.set(`${w.key.name}+${w.key.id}`, { witness: w, status: "missing", time: null });
  let log = null;
  if (logKey) {
    log = { vkey: logKey.vkey, status: "missing" };
    if (!known.has(`${logKey.name}+${logKey.id}`)) known.set(`${logKey.name}+${logKey.id}`, { log });
  } else {
    reasons.push(`your policy names no log with origin ${origin}`);
  }
  const ignored = [];
  for (const s of note.sigs) {
    const k = known.get(`${s.name}+${s.id}`);
    if (!k) { ignored.push(s); continue; }
    if (k.witness) {
      const ok = await cosignatureChecks(k.witness.key.key, s.sig, text);
      if (!ok) k.status = "failed";
      else if (k.status === "missing") {
        k.status = "verified";
        k.time = new Date(Number(new DataView(s.sig.buffer, s.sig.byteOffset, 8).getBigUint64(0)) * 1000).toISOString();
      }
    } else {
      const ok = s.sig.length === 64 && await verify(logKey.key, s.sig, text);
      if (!ok) k.log.status = "failed";
      else if (k.log.status === "missing") k.log.status = "verified";
    }
  }
  if (log && log.status === "missing") reasons.push(`it is not signed by your policy's key for ${origin}`);
  if (log && log.status === "failed") reasons.push(`the signature by your policy's key for ${origin} does not verify`);
  const witnesses = policy.witnesses.map((w) => {
    const k = known.get(`${w.key.name}+${w.key.id}`);
    return { name: w.name, vkey: w.key.vkey, status: k.status, time: k.time };
  });
  const failed = witnesses.filter((w) => w.status === "failed");
  if (failed.length) reasons.push(`the cosignature of ${failed.map((w) => w.name).join(", ")} does not verify`);
  const cosigned = new Set(witnesses.filter((w) => w.status === "verified").map((w) => w.name));
  const met = quorumMet(policy.quorum, cosigned);
  if (!met) {
    const lacking = witnessesUnder(policy.quorum).filter((n) => !cosigned.has(n));
    reasons.push(`the quorum ${policy.quorum.name ?? policy.quorum.witness} is not met: `
      + `${cosigned.size ? [...cosigned].join(", ") + " cosigned" : "no witness of yours cosigned"}; `
      + `not cosigned or not verified: ${lacking.join(", ")}`);
  }
  return { accepted: reasons.length === 0, reasons, origin, log, witnesses, ignored };
}
