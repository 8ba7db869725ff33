// When sync runs in the page: at start, on `online`, every few minutes while online, soon after a
// save, and after a failure with exponential backoff and jitter. Background Sync covers the
// case where the app is closed before the network comes back.
import { isCutOff } from './cutoff.js';
import { backoffDelay, retryAfterDelay } from './backoff.js';
import { syncOnce } from './sync.js';

export const PERIOD_MS = 5 * 60 * 1000;
export const SOON_MS = 1500;

let timer = null;
let failures = 0;
let started = false;

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(run, ms);
}

export async function run() {
  clearTimeout(timer);
  if (!navigator.onLine) return;
  try {
    await syncOnce();
    failures = 0;
    schedule(PERIOD_MS);
  } catch (err) {
    if (err.status === 401) return; // the user must sign in again; home says so
    if (isCutOff(err)) return; // erased: the sign-in screen says why
    // A busy server (503 database_busy) says when to come back; the outbox keeps its mutation
    // ids, so sending the same batch again lands it once.
    if (err.status === 503 && err.retryAfter != null) schedule(retryAfterDelay(err.retryAfter));
    else schedule(backoffDelay(failures));
    failures += 1;
  }
}

/** Ask for a sync soon (after a save), and register Background Sync for when the app is closed. */
export function requestSync() {
  failures = 0;
  schedule(SOON_MS);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.ready
      .then((reg) => reg.sync?.register('vha-outbox'))
      .catch(() => {
        /* Background Sync not available: the scheduler covers it */
      });
  }
}

export function start() {
  if (started) return;
  started = true;
  window.addEventListener('online', () => {
    failures = 0;
    run();
  });
  window.addEventListener('offline', () => clearTimeout(timer));
  run();
}
