// Minimal retention on the phone (docs/security.md, "A lost phone"): a service record that is
// uploaded and accepted leaves the phone once it is older than the server's
// PHONE_RETENTION_DAYS; the server keeps it. Residents and households stay: they are the work.
import { promisify, tx } from './db.js';

export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 86400000;
// Review states of an uploaded record that needs nothing more from the assistant.
const SETTLED_REVIEWS = new Set(['pending', 'approved']);

/** Whether `record` may leave the phone: uploaded, accepted, nothing queued, old enough. */
export function purgeable(record, queuedIds, days, now = Date.now()) {
  if (record.local || queuedIds.has(record.id)) return false;
  if (!SETTLED_REVIEWS.has(record.review_status || 'pending')) return false;
  const at = Date.parse(record.created_at || record.visit_date || '');
  return Number.isFinite(at) && at < now - days * DAY_MS;
}

/** Deletes the purgeable service records; answers how many. */
export function purgeUploaded(days = DEFAULT_RETENTION_DAYS, now = Date.now()) {
  return tx(['records', 'outbox'], 'readwrite', async (s) => {
    const queued = new Set((await promisify(s.outbox.getAll())).map((m) => m.id));
    let purged = 0;
    for (const record of await promisify(s.records.getAll())) {
      if (purgeable(record, queued, days, now)) {
        s.records.delete(record.id);
        purged += 1;
      }
    }
    return purged;
  });
}
