// The synced entities, declared once. db.js creates their IndexedDB stores from this list;
// outbox.js and sync.js find an entity's store here. The names are the server's
// (sync/entities.py); tests/browser/test_entities.py checks that both lists agree.
//   store     the IndexedDB object store holding the local copy
//   keyPath   the store's key
//   indexes   fields indexed (index name = field name)
//   pushable  whether the phone uploads changes of it (false: pulled only, never pushed)
//   nested    fields holding an object that a later patch merges key by key
//   duplicates where a row created offline is checked for duplicates once it is uploaded
//   since    the database version (db.js) that created its store (absent: 1); a phone upgrading
//            from an older one fills the store from the feed's start once (sync.js backfill)
export const ENTITIES = [
  {
    entity: 'household',
    store: 'households',
    keyPath: 'id',
    indexes: ['village_id'],
    pushable: true,
  },
  {
    entity: 'resident',
    store: 'residents',
    keyPath: 'id',
    indexes: ['household_id'],
    pushable: true,
    duplicates: '/api/residents/duplicates',
  },
  {
    entity: 'service_record',
    store: 'records',
    keyPath: 'id',
    // review_status, visit_date, created_at: the home screen's numbers read only the records
    // they count, not a big village's tens of thousands (docs/benchmarks.md).
    indexes: ['resident_id', 'review_status', 'visit_date', 'created_at'],
    pushable: true,
    nested: ['data'],
  },
  // Derived on the server from the records' effects (episodes.js folds unsynced ones on top).
  {
    entity: 'episode',
    store: 'episodes',
    keyPath: 'id',
    indexes: ['resident_id'],
    pushable: false,
    since: 4,
  },
  {
    entity: 'resident_tag',
    store: 'resident_tags',
    keyPath: 'id',
    indexes: ['resident_id'],
    pushable: false,
    since: 4,
  },
];

const BY_NAME = new Map(ENTITIES.map((e) => [e.entity, e]));

/** The declaration of `entity`, or undefined for a name the app does not know (yet). */
export const entityOf = (entity) => BY_NAME.get(entity);
export const storeOf = (entity) => entityOf(entity)?.store;
export const isPushable = (entity) => Boolean(entityOf(entity)?.pushable);
export const ENTITY_STORES = ENTITIES.map((e) => e.store);

/** `later` applied on top of `earlier`; the entity's nested fields merge key by key. */
export function mergePatch(earlier, later, entity) {
  const out = { ...earlier, ...later };
  for (const field of entityOf(entity)?.nested || []) {
    if (earlier[field] && later[field]) out[field] = { ...earlier[field], ...later[field] };
  }
  return out;
}
