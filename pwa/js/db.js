// The phone's own database (IndexedDB): one promise for the connection, small helpers for
// transactional reads and writes. No DOM here: the service worker imports it too.
import { ENTITIES, ENTITY_STORES } from './entities.js';

const NAME = 'vha';
// v1: every store as listed below. v2: the entity stores are declared in entities.js (same stores
// and indexes as v1, so a v1 database keeps its data). A new entity or index: declare it there
// and bump VERSION (and give the entity `since`: the new version); a change of data: add an
// `if (oldVersion < N)` step. v4: the read-only episode and resident_tag stores (created by
// addEntityStores; they fill from the feed). v5: `backfill`: the stores of entities newer than
// the database being upgraded are filled from the feed's start once (sync.js `backfill`), as
// its cursor is already past their older rows (v4 made its two stores without that).
export const VERSION = 5;
const LOCAL_STORES = ['forms', 'outbox', 'drafts', 'meta', 'backfill'];
export const STORES = [...ENTITY_STORES, ...LOCAL_STORES];
export const BACKFILL_KEY = 'pending';

let dbPromise = null;

function upgrade(db, oldVersion, transaction) {
  if (oldVersion < 1) {
    db.createObjectStore('forms', { keyPath: ['code', 'version'] }).createIndex('code', 'code');
    // seq keeps the upload order equal to the order in which the user saved.
    const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    outbox.createIndex('entity_id', 'id');
    outbox.createIndex('mutation_id', 'mutation_id', { unique: true });
    db.createObjectStore('drafts', { keyPath: 'key' });
    db.createObjectStore('meta', { keyPath: 'key' });
  }
  if (!db.objectStoreNames.contains('backfill'))
    db.createObjectStore('backfill', { keyPath: 'key' });
  addEntityStores(db, transaction);
  const newer = ENTITIES.filter(
    (e) => oldVersion > 0 && (oldVersion < (e.since || 1) || (oldVersion === 4 && e.since === 4)),
  );
  if (newer.length) {
    askBackfill(
      transaction.objectStore('backfill'),
      newer.map((e) => e.entity),
    );
  }
}

/** Creates the entity stores and indexes of entities.js that the database does not have yet. */
function addEntityStores(db, transaction) {
  for (const { store, keyPath, indexes } of ENTITIES) {
    const os = db.objectStoreNames.contains(store)
      ? transaction.objectStore(store)
      : db.createObjectStore(store, { keyPath });
    for (const index of indexes) {
      if (!os.indexNames.contains(index)) os.createIndex(index, index);
    }
  }
}

/** Asks for the new entities' rows from the feed's start (with any still pending, from zero). */
function askBackfill(store, entities) {
  const req = store.get(BACKFILL_KEY);
  req.onsuccess = () => {
    const all = new Set([...(req.result?.entities || []), ...entities]);
    store.put({ key: BACKFILL_KEY, entities: [...all].sort(), cursor: null });
  };
}

export function openDB() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(NAME, VERSION);
      req.onupgradeneeded = (e) => upgrade(req.result, e.oldVersion, req.transaction);
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => {
          db.close();
          dbPromise = null;
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('database blocked by another tab'));
    });
  }
  return dbPromise;
}

export function promisify(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs `fn(stores)` in one transaction; resolves with fn's result once the transaction commits. */
export async function tx(names, mode, fn) {
  const db = await openDB();
  const list = Array.isArray(names) ? names : [names];
  return new Promise((resolve, reject) => {
    const t = db.transaction(list, mode);
    const stores = Object.fromEntries(list.map((n) => [n, t.objectStore(n)]));
    let result;
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error('transaction aborted'));
    Promise.resolve()
      .then(() => fn(stores, t))
      .then((r) => {
        result = r;
      })
      .catch((err) => {
        try {
          t.abort();
        } catch (_) {
          /* already finished */
        }
        reject(err);
      });
  });
}

export const get = (store, key) => tx(store, 'readonly', (s) => promisify(s[store].get(key)));
export const getAll = (store, query, count) =>
  tx(store, 'readonly', (s) => promisify(s[store].getAll(query, count)));
export const count = (store) => tx(store, 'readonly', (s) => promisify(s[store].count()));
export const put = (store, value) => tx(store, 'readwrite', (s) => promisify(s[store].put(value)));
export const del = (store, key) => tx(store, 'readwrite', (s) => promisify(s[store].delete(key)));
export const byIndex = (store, index, key) =>
  tx(store, 'readonly', (s) => promisify(s[store].index(index).getAll(key)));

export async function getMeta(key, fallback = null) {
  const row = await get('meta', key);
  return row ? row.value : fallback;
}
export const setMeta = (key, value) => put('meta', { key, value });

/** Deletes every local record of this user (sign-out). */
export async function wipe() {
  if (dbPromise) {
    (await dbPromise).close();
    dbPromise = null;
  }
  await new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(NAME);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });
}
