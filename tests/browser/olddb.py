"""A phone's database as an older shell left it, for the upgrade tests (pwa/js/db.js).

The schema of version 1, exactly as the shell before entities.js created it; versions 2 and 3
kept its stores (3 added record indexes, which an upgrade creates when missing). The script
takes `[version, rows]`: the database is opened at that version and the rows put in.
"""

OLD_DATABASE = """async ([version, rows]) => {
  await new Promise((resolve, reject) => {
    const req = indexedDB.open('vha', version);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('households', { keyPath: 'id' }).createIndex('village_id', 'village_id');
      const residents = db.createObjectStore('residents', { keyPath: 'id' });
      residents.createIndex('household_id', 'household_id');
      db.createObjectStore('records', { keyPath: 'id' }).createIndex('resident_id', 'resident_id');
      db.createObjectStore('forms', { keyPath: ['code', 'version'] }).createIndex('code', 'code');
      const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      outbox.createIndex('entity_id', 'id');
      outbox.createIndex('mutation_id', 'mutation_id', { unique: true });
      db.createObjectStore('drafts', { keyPath: 'key' });
      db.createObjectStore('meta', { keyPath: 'key' });
    };
    req.onsuccess = () => {
      const db = req.result;
      const t = db.transaction(Object.keys(rows), 'readwrite');
      for (const [store, list] of Object.entries(rows)) {
        for (const row of list) t.objectStore(store).put(row);
      }
      t.oncomplete = () => { db.close(); resolve(); };
      t.onerror = () => reject(t.error);
    };
    req.onerror = () => reject(req.error);
  });
}"""
