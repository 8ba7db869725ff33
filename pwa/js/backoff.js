// Retry timing shared by the sync scheduler: exponential growth, a ceiling, and jitter so a
// whole village coming back into signal does not hit the server in the same second.

export const BACKOFF_BASE_MS = 5000;
export const BACKOFF_CAP_MS = 15 * 60 * 1000;

/** Delay before retry number `attempt` (0 = first retry): "equal jitter" in [ceiling/2, ceiling]. */
export function backoffDelay(
  attempt,
  { base = BACKOFF_BASE_MS, cap = BACKOFF_CAP_MS, random = Math.random } = {},
) {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The next batch size after the server refused a batch as too large (413): half, at least one. */
export function shrinkBatch(size) {
  return Math.max(1, Math.floor(size / 2));
}

/** Delay after the server asked us to wait `seconds` (503 + Retry-After): that long plus up to as much again. */
export function retryAfterDelay(seconds, { random = Math.random } = {}) {
  return Math.round(seconds * 1000 * (1 + random()));
}
