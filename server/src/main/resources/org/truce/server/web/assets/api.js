// The HTTP API as the page uses it, and who is signed in. The party's key lives only in this page's
// memory as a non-extractable WebCrypto key; the session token is kept beside it.
import { importKeyFile, loginMessage, sign, b64, signEntry } from "./crypto.js";

const session = { party: null, keyRef: null, key: null, token: null, expires: 0 };
const listeners = new Set();

export function signedIn() {
  return session.token && Date.now() < session.expires ? session.party : null;
}

export function signer() {
  return signedIn() ? { party: session.party, keyRef: session.keyRef, key: session.key } : null;
}

export function onSession(f) { listeners.add(f); }

function changed() { for (const f of listeners) f(signedIn()); }

/** A problem document's detail, or the status line. */
async function problem(r) {
  try {
    const p = await r.json();
    return p.detail || p.title || `${r.status}`;
  } catch { return `${r.status} ${r.statusText}`; }
}

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

function headers(extra = {}) {
  const h = { ...extra };
  if (signedIn()) h.Authorization = "Bearer " + session.token;
  return h;
}

export async function get(path) {
  const r = await fetch(path, { headers: headers({ Accept: "application/json" }), credentials: "same-origin" });
  if (!r.ok) throw new ApiError(r.status, await problem(r));
  return r.json();
}

export async function text(path) {
  const r = await fetch(path, { headers: headers(), credentials: "same-origin" });
  if (!r.ok) throw new ApiError(r.status, await problem(r));
  return r.text();
}

export async function bytes(path) {
  const r = await fetch(path, { headers: headers(), credentials: "same-origin" });
  if (!r.ok) throw new ApiError(r.status, await problem(r));
  return new Uint8Array(await r.arrayBuffer());
}

async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: headers({ "Content-Type": "application/json" }),
    body: JSON.stringify(body), credentials: "same-origin" });
  if (!r.ok) throw new ApiError(r.status, await problem(r));
  return r.json();
}

/** Signs in with a key file's text: imports the key, signs the server's challenge, opens a session. */
export async function signIn(keyFileText) {
  const k = await importKeyFile(keyFileText);
  const { challenge } = await post("/api/v1/login/challenge", {});
  const sig = await sign(k.key, loginMessage(challenge));
  const s = await post("/api/v1/login", { key: k.keyRef, challenge, sig: b64(sig) });
  Object.assign(session, { party: s.party, keyRef: k.keyRef, key: k.key, token: s.token,
    expires: Date.now() + s.expiresIn * 1000 - 5000 });
  changed();
  return s.party;
}

/** Forgets the key and the token, and ends the session on the server, which clears its cookie too. */
export async function signOut() {
  const h = headers();
  Object.assign(session, { party: null, keyRef: null, key: null, token: null, expires: 0 });
  try {
    await fetch("/api/v1/logout", { method: "POST", headers: h, credentials: "same-origin" });
  } finally {
    changed();
  }
}

/**
 * Signs a body as the signed-in party with its key's next seq and submits it; answers the receipt
 * {index, leafHash, checkpoint}.
 */
export async function submit(kind, body, visibility = "public") {
  const s = signer();
  if (!s) throw new ApiError(401, "sign in as a party first");
  const key = await get("/api/v1/keys/" + encodeURIComponent(s.keyRef));
  const submission = await signEntry(s, kind, body, visibility, (key.lastSeq || 0) + 1);
  return post("/api/v1/entries", submission);
}

/** A visibility for a body shown to the author and the parties named: sorted, without duplicates. */
export function named(...parties) {
  return [...new Set(parties.flat())].sort();
}
