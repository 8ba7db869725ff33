// The phone's own database (IndexedDB): one promise for the connection, small helpers for
// transactional reads and writes. No DOM here: the service worker imports it too.

const NAME = 'vha';
const VERSION = 1;
export const STORES = ['households', 'residents', 'records', 'forms', 'outbox', 'drafts', 'meta'];

let dbPromise = null;

function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    db.createObjectStore('households', { keyPath: 'id' }).createIndex('village_id', 'village_id');
    const residents = db.createObjectStore('residents', { keyPath: 'id' });
    residents.createIndex('household_id', 'household_id');
    const records = db.createObjectStore('records', { keyPath: 'id' });
    records.createIndex('resident_id', 'resident_id');
    db.createObjectStore('forms', { keyPath: ['code', 'version'] }).createIndex('code', 'code');
    // seq keeps the upload order equal to the order in which the user saved.
    const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    outbox.createIndex('entity_id', 'id');
    outbox.createIndex('mutation_id', 'mutation_id', { unique: true });
    db.createObjectStore('drafts', { keyPath: 'key' });
    db.createObjectStore('meta', { keyPath: 'key' });
  }
}

export function openDB() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(NAME, VERSION);
      req.onupgradeneeded = (e) => upgrade(req.result, e.oldVersion);
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => { db.close(); dbPromise = null; };
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
      .then((r) => { result = r; })
      .catch((err) => { try { t.abort(); } catch (_) { /* already finished */ } reject(err); });
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
  if (dbPromise) { (await dbPromise).close(); dbPromise = null; }
  await new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(NAME);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });
}
