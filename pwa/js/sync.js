// The sync client, same rules as sync/client.py: push the outbox in order (split on 413, and on
// a server error twice for the same batch; a rejected mutation never blocks the rest, duplicate
// counts as success), then pull the feed page by page with the cursor saved in the same transaction as the data. No DOM: the service
// worker runs it for Background Sync.
import { request, getWithETag, ApiError } from './api.js';
import { isCutOff } from './cutoff.js';
import { BACKFILL_KEY, count, del, get, getMeta, promisify, setMeta, tx } from './db.js';
import { emit } from './events.js';
import { ENTITY_STORES, entityOf, mergePatch, storeOf } from './entities.js';
import { reject, settle, take, waiting } from './outbox.js';
import { shrinkBatch } from './backoff.js';
import { DEFAULT_RETENTION_DAYS, purgeUploaded } from './retention.js';

export const BATCH_MAX = 200;
const AWAY = [502, 503, 504]; // a gateway's answers: the server is away, the batch is not at fault
export const PULL_LIMIT = 1000; // the server's cap: fewer round trips and transactions on a first sync

async function pushAll() {
  const deviceId = await getMeta('device_id');
  let size = await getMeta('batch_size', BATCH_MAX);
  let failedBatch = await getMeta('failed_batch', null);
  const total = (await waiting()).length;
  let done = 0;
  for (;;) {
    const batch = await take(size); // read and marked sent in one transaction (outbox.take)
    if (!batch.length) break;
    emit('sync', { state: 'running', phase: 'push', done, total });
    const mutations = batch.map(
      ({ mutation_id, entity, op, id, base_version, data, client_time }) => ({
        mutation_id,
        entity,
        op,
        id,
        base_version,
        data,
        client_time,
      }),
    );
    let answer;
    try {
      // `queued`: the whole outbox as this push leaves (the supervisor sees it; 0 ends a
      // stop-after-upload).
      const queued = await count('outbox');
      answer = await request('POST', '/api/sync/push', { device_id: deviceId, mutations, queued });
    } catch (err) {
      // Over the cap (413) or a batch the server could not read as a whole: split it until the
      // offending mutation is alone, then set that one aside so the rest still upload.
      if (err.status === 413 || err.status === 400 || err.status === 422) {
        if (batch.length === 1) {
          await reject(batch[0], err.code, err.message, err.errors);
          continue;
        }
        size = shrinkBatch(batch.length);
        await setMeta('batch_size', size);
        continue;
      }
      // A server error on the same batch twice (the scheduler backs off in between): the batch
      // itself may be what the server cannot take, so split it the same way.
      if (err.status >= 500 && !AWAY.includes(err.status)) {
        const key = `${batch[0].mutation_id}:${batch.length}`;
        if (failedBatch !== key) {
          await setMeta('failed_batch', key);
          throw err;
        }
        failedBatch = null;
        await setMeta('failed_batch', null);
        if (batch.length === 1) {
          await reject(batch[0], 'server_error', err.message, err.errors);
          continue;
        }
        size = shrinkBatch(batch.length);
        await setMeta('batch_size', size);
        continue;
      }
      throw err;
    }
    if (failedBatch) {
      failedBatch = null;
      await setMeta('failed_batch', null);
    }
    const counts = await settle(batch, answer.results || []);
    await checkDuplicates(batch, answer.results || []);
    done += batch.length - counts.rebased; // a rebased edit goes out again in a later batch
    emit('sync', { state: 'running', phase: 'push', done, total, ...counts });
  }
}

/**
 * Residents registered offline get the duplicate check once they reach the server; matches are
 * kept in meta `duplicates` for the home screen ("this may be the same person as ...").
 */
async function checkDuplicates(batch, results) {
  const applied = new Set(results.filter((r) => r.status === 'applied').map((r) => r.mutation_id));
  const fresh = batch.filter(
    (m) =>
      entityOf(m.entity)?.duplicates &&
      m.op === 'create' &&
      !m.duplicates_checked &&
      applied.has(m.mutation_id),
  );
  if (!fresh.length) return;
  const found = await getMeta('duplicates', []);
  for (const m of fresh) {
    const query = { name: m.data.name, birth_date: m.data.birth_date, exclude_id: m.id };
    if (m.data.id_number) query.id_number = m.data.id_number;
    try {
      const answer = await request('POST', entityOf(m.entity).duplicates, query);
      const matches = (answer.matches || []).filter((x) => x.id !== m.id);
      if (matches.length) found.push({ id: m.id, name: m.data.name, matches });
    } catch (err) {
      if (err.status === 0) throw err;
    }
  }
  await setMeta('duplicates', found);
}

/**
 * Puts one page of the feed into the local stores; pending local edits stay on top. `mark(s)`
 * writes where the pull got to (a cursor) in the same transaction, so a page is applied
 * exactly once however the sync is cut off.
 */
async function applyPage(changes, mark) {
  return tx([...ENTITY_STORES, 'outbox', 'meta', 'backfill'], 'readwrite', async (s) => {
    const pending = new Map();
    for (const m of await promisify(s.outbox.getAll())) {
      if (m.state !== 'waiting') continue;
      if (!pending.has(m.id)) pending.set(m.id, []);
      pending.get(m.id).push(m);
    }
    for (const change of changes) {
      const name = storeOf(change.entity);
      if (!name) continue; // later features (tasks, notices) are ignored until the app knows them
      const store = s[name];
      if (change.op === 'delete') {
        store.delete(change.id);
        continue;
      }
      let row = { ...change.data, id: change.id, version: change.version, local: false };
      for (const m of pending.get(change.id) || []) {
        row = overlay(row, m.data, change.entity);
        row.local = true;
      }
      store.put(row);
    }
    mark(s);
  });
}

function overlay(row, patch, entity) {
  const out = mergePatch(row, patch, entity);
  delete out.id_number;
  return out;
}

async function clearLocalCopy() {
  await tx([...ENTITY_STORES, 'meta', 'backfill'], 'readwrite', (s) => {
    for (const name of ENTITY_STORES) s[name].clear();
    s.backfill.clear(); // the pull from zero that follows brings every entity
    s.meta.put({ key: 'cursor', value: null });
  });
}

/**
 * The rows of entities whose store an app update added (db.js asks for them): the phone's
 * cursor is past their older rows, so their feed is read from its start, filtered to them,
 * with a cursor of its own kept in the same transaction as each page (resumable; the main
 * cursor is never touched). A phone that never pulled, or whose scope changed, gets
 * everything from the main pull instead.
 */
async function backfill() {
  let job = await get('backfill', BACKFILL_KEY);
  if (job && !(await getMeta('cursor'))) {
    await del('backfill', BACKFILL_KEY);
    job = null;
  }
  let received = 0;
  while (job) {
    const query = new URLSearchParams({
      limit: String(PULL_LIMIT),
      entities: job.entities.join(','),
    });
    if (job.cursor) query.set('since', job.cursor);
    const page = await request('GET', `/api/sync/pull?${query}`);
    const next = page.has_more && !page.reset ? { ...job, cursor: page.cursor } : null;
    const changes = page.reset ? [] : page.changes || [];
    await applyPage(changes, (s) =>
      next ? s.backfill.put(next) : s.backfill.delete(BACKFILL_KEY),
    );
    received += changes.length;
    emit('sync', { state: 'running', phase: 'pull', received });
    job = next;
  }
  return received;
}

async function pullAll() {
  let received = 0;
  let resets = 0;
  for (;;) {
    const cursor = await getMeta('cursor');
    const queued = String(await count('outbox'));
    const query = new URLSearchParams({ limit: String(PULL_LIMIT), queued });
    if (cursor) query.set('since', cursor);
    const page = await request('GET', `/api/sync/pull?${query}`);
    if (page.reset && resets < 1) {
      resets += 1;
      await clearLocalCopy();
      continue;
    }
    await applyPage(page.changes || [], (s) => s.meta.put({ key: 'cursor', value: page.cursor }));
    received += (page.changes || []).length;
    emit('sync', { state: 'running', phase: 'pull', received });
    if (!page.has_more) break;
  }
  return received;
}

/** Refreshes the cached form definitions when they changed (ETag). */
export async function refreshForms() {
  const etag = await getMeta('forms_etag');
  const answer = await getWithETag('/api/forms', etag);
  if (answer.notModified) return;
  const forms = answer.data?.forms || [];
  await tx(['forms', 'meta'], 'readwrite', (s) => {
    s.forms.clear();
    for (const form of forms) s.forms.put(form);
    s.meta.put({ key: 'forms_etag', value: answer.etag });
  });
}

let running = null;

/** One full round: push, pull, forms. Concurrent callers (page, service worker) share one run. */
export function syncOnce() {
  if (running) return running;
  const work = async () => {
    emit('sync', { state: 'running', phase: 'push', done: 0, total: 0 });
    try {
      await pushAll();
      await backfill();
      await pullAll();
      const settings = await getMeta('settings');
      await purgeUploaded(settings?.phone_retention_days ?? DEFAULT_RETENTION_DAYS);
      await refreshForms().catch((err) => {
        if (err.status !== 404) throw err;
      });
      const at = new Date().toISOString();
      await setMeta('last_sync', at);
      await setMeta('last_error', null);
      emit('sync', { state: 'idle', at });
    } catch (err) {
      if (isCutOff(err)) throw err; // the phone was just erased: nothing is written back
      const problem = {
        status: err.status ?? 0,
        code: err.code || 'error',
        message: err.message,
        at: new Date().toISOString(),
      };
      await setMeta('last_error', problem);
      emit('sync', { state: 'error', error: problem });
      throw err instanceof ApiError ? err : new ApiError(0, 'error', String(err));
    }
  };
  const locked =
    typeof navigator !== 'undefined' && navigator.locks
      ? () => navigator.locks.request('vha-sync', work)
      : work;
  running = locked().finally(() => {
    running = null;
  });
  return running;
}
