// A lost or revoked phone (docs/security.md, "A lost phone"): when the server answers that this
// phone or its account has been stopped (403 device_revoked or account_deactivated, and only
// then: never on a network error, a 5xx or a plain 401), everything personal on it is erased.
// No DOM: the service worker's Background Sync meets these answers too.
import { setMeta, wipe } from './db.js';
import { emit } from './events.js';

export const CUT_OFF_CODES = new Set(['device_revoked', 'account_deactivated']);
export const UNLOCK_KEY = 'vha-unlocked';
const SHELL_CACHES = 'vha-shell-';

export const isCutOff = (err) => err?.status === 403 && CUT_OFF_CODES.has(err.code);

/** Ends the unlocked state of this tab (sign-out, cut-off). */
export function forgetUnlock() {
  try {
    if (typeof sessionStorage !== 'undefined') sessionStorage.removeItem(UNLOCK_KEY);
  } catch (_) {
    /* private mode */
  }
}

/**
 * Deletes the whole local database (every store: records, residents, outbox, drafts, tokens,
 * the offline unlock verifier, the device id) and any cache but the app shell, then leaves only
 * a note of why, so the sign-in screen can say "此手机已被停用".
 */
export async function eraseForCutOff(code) {
  await wipe();
  forgetUnlock();
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys()) {
      if (!name.startsWith(SHELL_CACHES)) await caches.delete(name);
    }
  }
  await setMeta('cut_off', { code, at: new Date().toISOString() });
  emit('cutoff', { code });
}
