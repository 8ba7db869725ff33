// Signing in online, unlocking offline against a PBKDF2 verifier, and signing out.
// The password is never stored: only a salted PBKDF2-SHA-256 digest of it.
import { post, request, ApiError } from './api.js';
import { UNLOCK_KEY, forgetUnlock } from './cutoff.js';
import { count, getMeta, setMeta, wipe } from './db.js';
import { setTimeZone } from './i18n.js';

export const PBKDF2_ITERATIONS = 150000;

const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)));
const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** The digest of `password` under `salt`, base64. */
export async function derive(password, salt, iterations = PBKDF2_ITERATIONS) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    256,
  );
  return b64(bits);
}

export async function makeVerifier(username, password) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return {
    username,
    salt: b64(salt),
    iterations: PBKDF2_ITERATIONS,
    digest: await derive(password, salt),
  };
}

/** Constant-time-ish comparison of two base64 digests. */
function same(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export async function checkVerifier(verifier, password) {
  if (!verifier) return false;
  return same(await derive(password, unb64(verifier.salt), verifier.iterations), verifier.digest);
}

/** This phone's stable id, made once and kept until sign-out wipes the data. */
export async function deviceId() {
  let id = await getMeta('device_id');
  if (!id) {
    id = `pwa-${crypto.randomUUID()}`;
    await setMeta('device_id', id);
  }
  return id;
}

/** Online sign-in: tokens and the offline verifier are stored; a different user's data is wiped first. */
export async function login(username, password) {
  const previous = await getMeta('session');
  if (previous?.user && previous.user.username !== username) {
    if ((await count('outbox')) > 0) {
      throw new ApiError(409, 'other_user_outbox', 'records of another user are waiting to upload');
    }
    await wipe();
  }
  const device = await deviceId();
  const label = ((typeof navigator !== 'undefined' && navigator.userAgent) || '').slice(0, 100);
  const data = await post('/api/auth/login', {
    username,
    password,
    device_id: device,
    device_label: label,
  });
  await setMeta('session', {
    access_token: data.access_token,
    refresh_token: data.refresh_token,
    user: data.user,
  });
  await setMeta('settings', data.settings || null);
  setTimeZone(data.settings?.time_zone);
  await setMeta('cut_off', null);
  // A temporary password never unlocks the phone offline: the verifier is made once it is changed.
  await setMeta(
    'verifier',
    mustChangePassword(data.user) ? null : await makeVerifier(username, password),
  );
  markUnlocked();
  return data.user;
}

/** Offline (or online) unlock of an existing local session with the password. */
export async function unlock(password) {
  const ok = await checkVerifier(await getMeta('verifier'), password);
  if (ok) markUnlocked();
  return ok;
}

/** A new account, or one a supervisor reset: it must choose its own password before anything else. */
export const mustChangePassword = (user) => Boolean(user?.must_change_password);

export function markUnlocked() {
  try {
    sessionStorage.setItem(UNLOCK_KEY, '1');
  } catch (_) {
    /* private mode */
  }
}
export function isUnlocked() {
  try {
    return sessionStorage.getItem(UNLOCK_KEY) === '1';
  } catch (_) {
    return false;
  }
}

export async function currentUser() {
  const session = await getMeta('session');
  return session ? session.user : null;
}

export async function sessionExpired() {
  const session = await getMeta('session');
  return Boolean(session?.expired);
}

/**
 * Sign-out. While records wait to upload it refuses, unless `insist` is 2 (the user confirmed twice).
 * Answers {done} or {refused, waiting}.
 */
export async function logout(insist = 0) {
  const waiting = await count('outbox');
  if (waiting > 0 && insist < 2) return { refused: true, waiting };
  try {
    await request('POST', '/api/auth/logout', {}, { noRefresh: true });
  } catch (_) {
    /* offline: token expires anyway */
  }
  await wipe();
  forgetUnlock();
  return { done: true };
}
