// The outbox: every local change is written together with its mutation in one transaction, and
// stays until the server answers applied, duplicate, merged or conflict for it.
import { promisify, tx } from './db.js';
import { ENTITY_STORES, isPushable, mergePatch, storeOf } from './entities.js';
import { rebasedBase } from './rebase.js';

const SETTLED = new Set(['applied', 'duplicate', 'merged', 'conflict']);

const uuid = () => crypto.randomUUID();

/**
 * Saves `row` (the local view) and queues its mutation. `data` is what the server receives:
 * the full object for a create, only the changed fields for an update, {} for a delete.
 * An update of a change that was never sent is folded into it (one mutation instead of two).
 */
export const queue = (entity, op, row, data) => queueAll([{ entity, op, row, data }]);

/**
 * Several changes in ONE transaction (a household with its residents; a record with the removal
 * of its draft and of the rejected mutation it corrects): either all are saved and queued, or none.
 */
export function queueAll(items, { dropDraft = null, drop = [] } = {}) {
  const unknown = items.find((i) => !isPushable(i.entity));
  if (unknown) return Promise.reject(new Error(`${unknown.entity} is not uploaded by the phone`));
  const names = [...new Set(items.map((i) => storeOf(i.entity)))];
  return tx([...names, 'outbox', 'drafts'], 'readwrite', async (s) => {
    const ids = [];
    for (const { entity, op, row, data, checked } of items) {
      ids.push(await queueOne(s, entity, op, row, data, checked));
    }
    if (dropDraft) s.drafts.delete(dropDraft);
    for (const seq of drop) s.outbox.delete(seq);
    return ids;
  });
}

async function queueOne(s, entity, op, row, data, checked = false) {
  const store = s[storeOf(entity)];
  if (op === 'delete') store.delete(row.id);
  else store.put({ ...row, local: true });
  const queued = await promisify(s.outbox.index('entity_id').getAll(row.id));
  const unsent = queued.filter((m) => m.state === 'waiting' && !m.attempts);
  const last = unsent[unsent.length - 1];
  if (last && op === 'update' && last.op !== 'delete') {
    last.data = mergePatch(last.data, data, entity);
    last.client_time = new Date().toISOString();
    s.outbox.put(last);
    return last.mutation_id;
  }
  const mutation = {
    mutation_id: uuid(),
    entity,
    op,
    id: row.id,
    // Last confirmed version plus this phone's own writes still queued ahead (docs/sync-protocol.md).
    base_version:
      op === 'create'
        ? null
        : (row.version ?? 0) + queued.filter((m) => m.state === 'waiting').length,
    data,
    client_time: new Date().toISOString(),
    state: 'waiting',
    attempts: 0,
    duplicates_checked: Boolean(checked),
  };
  s.outbox.add(mutation);
  return mutation.mutation_id;
}

export const all = () => tx('outbox', 'readonly', (s) => promisify(s.outbox.getAll()));
/** What the next push sends: waiting mutations of the entities the phone uploads, in order. */
export async function waiting(limit) {
  return (await all()).filter((m) => m.state === 'waiting' && isPushable(m.entity)).slice(0, limit);
}
export async function forEntity(id) {
  return tx('outbox', 'readonly', (s) => promisify(s.outbox.index('entity_id').getAll(id)));
}

/**
 * The next batch to push, marked as sent at least once in the SAME transaction that reads it: a
 * correction saved at that moment either lands in the batch (folded before it was read) or, once
 * the batch is taken, becomes a new mutation queued after it. Never both, never lost.
 */
export function take(limit) {
  return tx('outbox', 'readwrite', async (s) => {
    const rows = await promisify(s.outbox.getAll());
    const batch = rows.filter((m) => m.state === 'waiting' && isPushable(m.entity)).slice(0, limit);
    for (const m of batch) {
      m.attempts = (m.attempts || 0) + 1;
      s.outbox.put(m);
    }
    return batch;
  });
}

/**
 * Withdraws a record that never left the phone: its row and every mutation of it go, in one
 * transaction. Refused (false) once any of them was taken by a sync (it may be on the server
 * already: from then on it is corrected through review) or when it was never a local create.
 */
export function withdraw(entity, id) {
  return tx([storeOf(entity), 'outbox', 'drafts'], 'readwrite', async (s) => {
    const mine = await promisify(s.outbox.index('entity_id').getAll(id));
    const unsent = mine.every((m) => m.state === 'waiting' && !m.attempts);
    if (!mine.length || !unsent || !mine.some((m) => m.op === 'create')) return false;
    for (const m of mine) s.outbox.delete(m.seq);
    s[storeOf(entity)].delete(id);
    return true;
  });
}

/** Whether a change of this row is still only on the phone (not yet taken by a sync). */
export async function unsent(id) {
  const mine = await forEntity(id);
  return mine.length > 0 && mine.every((m) => m.state === 'waiting' && !m.attempts);
}

/** Marks mutations as sent at least once: from now on they are never edited in place. */
export function markAttempted(mutations) {
  return tx('outbox', 'readwrite', async (s) => {
    for (const m of mutations) {
      const row = await promisify(s.outbox.get(m.seq));
      if (row) {
        row.attempts = (row.attempts || 0) + 1;
        s.outbox.put(row);
      }
    }
  });
}

/**
 * Applies the server's answers: settled mutations leave the outbox, a stale edit is rebased and
 * waits to be sent again, other rejected ones keep their reasons. Answers are taken in order, so
 * an edit's rebase sees the versions its earlier edits of the record just got.
 */
export function settle(sent, results) {
  const bySeq = new Map(sent.map((m, i) => [results[i]?.mutation_id, m]));
  return tx(['outbox', ...ENTITY_STORES], 'readwrite', async (s) => {
    const counts = { settled: 0, rejected: 0, rebased: 0 };
    for (const result of results) {
      const m = bySeq.get(result.mutation_id);
      if (!m) continue;
      const store = s[storeOf(m.entity)];
      if (SETTLED.has(result.status)) {
        s.outbox.delete(m.seq);
        counts.settled += 1;
        if (m.op === 'delete') continue;
        const row = await promisify(store.get(m.id));
        if (!row) continue;
        if (result.record && typeof result.record === 'object') {
          Object.assign(row, result.record.data || result.record);
        }
        if (result.version != null) row.version = result.version;
        const rest = await promisify(s.outbox.index('entity_id').getAll(m.id));
        row.local = rest.some((x) => x.seq !== m.seq);
        store.put(row);
      } else if (result.code === 'stale_version' && (await rebase(s, store, m, result))) {
        counts.rebased += 1;
      } else {
        counts.rejected += 1;
        const row = await promisify(s.outbox.get(m.seq));
        if (row) {
          Object.assign(row, {
            state: 'rejected',
            code: result.code || 'rejected',
            message: result.message || '',
            errors: result.errors || {},
            rejected_at: new Date().toISOString(),
          });
          s.outbox.put(row);
        }
      }
    }
    return counts;
  });
}

/**
 * Re-queues a stale edit under a new mutation id on the base `rebasedBase` gives (the record's
 * confirmed version, at most the server's, plus this phone's edits of it still waiting ahead);
 * false when it should be set aside instead. Same rule as sync/client.py.
 */
async function rebase(s, store, m, result) {
  const row = await promisify(s.outbox.get(m.seq));
  if (!row || row.state !== 'waiting') return false;
  const local = await promisify(store.get(m.id));
  const queued = await promisify(s.outbox.index('entity_id').getAll(m.id));
  const base = rebasedBase({
    rejectedBase: row.base_version,
    confirmed: local ? local.version : null,
    serverVersion: result.server_version,
    ahead: queued.filter((x) => x.state === 'waiting' && x.seq < m.seq).length,
    rebases: row.rebases || 0,
  });
  if (base == null) return false;
  s.outbox.put({
    ...row,
    mutation_id: uuid(),
    base_version: base,
    rebases: (row.rebases || 0) + 1,
  });
  return true;
}

/** Marks one mutation rejected locally (the server refused it alone, e.g. too large). */
export function reject(m, code, message, errors = {}) {
  return tx('outbox', 'readwrite', (s) => {
    s.outbox.put({
      ...m,
      state: 'rejected',
      code,
      message,
      errors,
      rejected_at: new Date().toISOString(),
    });
  });
}

/** Drops a rejected mutation once the user has corrected it (a new mutation replaces it). */
export const discard = (seq) => tx('outbox', 'readwrite', (s) => promisify(s.outbox.delete(seq)));
