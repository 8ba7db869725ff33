// Questions the screens ask of the local database: search, timelines, states, the day's work.
import { byIndex, count, get, getAll, getMeta } from './db.js';
import { all as allMutations } from './outbox.js';
import { today } from './formrules.js';
import { offeredResidents, residentMatcher } from './search.js';

/**
 * One page of search results with each resident's household and how many matched in all, so the
 * list can tell two people of one name apart and say when there are more than it shows.
 */
export async function findResidents(query, limit = 50) {
  const matches = residentMatcher(query);
  const homes = new Map((await getAll('households')).map((home) => [home.id, home]));
  // An ended record stays on its household's page, out of the list.
  const found = offeredResidents(await getAll('residents'))
    .map((r) => ({ ...r, household: homes.get(r.household_id) }))
    .filter((r) => matches(r));
  found.sort((a, b) => (a.name || '').localeCompare(b.name || '', 'zh-CN'));
  return { items: found.slice(0, limit), total: found.length };
}

export const resident = (id) => get('residents', id);

/** Every local resident by id: the names of lists whose records came from the server without one. */
export async function residentNames() {
  return new Map((await getAll('residents')).map((r) => [r.id, r]));
}
export const household = (id) => get('households', id);
export const householdMembers = (id) => byIndex('residents', 'household_id', id);

/** Outbox entries grouped by the id of the row they change (one pass instead of one per record). */
export function byEntity(mutations) {
  const map = new Map();
  for (const m of mutations) {
    if (!map.has(m.id)) map.set(m.id, []);
    map.get(m.id).push(m);
  }
  return map;
}

/** The state shown to the assistant for one record, from its review status and its outbox entries. */
export function recordState(record, mutations) {
  const mine =
    mutations instanceof Map
      ? mutations.get(record.id) || []
      : mutations.filter((m) => m.id === record.id);
  const rejected = mine.find((m) => m.state === 'rejected');
  if (rejected) return { state: 'rejected', upload: rejected };
  if (mine.some((m) => m.state === 'waiting')) return { state: 'waiting' };
  const review = record.review_status || 'pending';
  return { state: review === 'pending' ? 'uploaded' : review };
}

/** A resident's service records, newest first, each with its state. */
export async function timeline(residentId) {
  const [records, mutations] = await Promise.all([
    byIndex('records', 'resident_id', residentId),
    allMutations(),
  ]);
  const index = byEntity(mutations);
  return records
    .sort(
      (a, b) =>
        (b.visit_date || '').localeCompare(a.visit_date || '') ||
        (b.created_at || '').localeCompare(a.created_at || ''),
    )
    .map((r) => ({ ...r, ...recordState(r, index) }));
}

async function ownRecords(mutations) {
  const [records, session] = await Promise.all([getAll('records'), getMeta('session')]);
  const me = session?.user ? session.user.id : null;
  const index = byEntity(mutations);
  return records
    .filter((r) => r.local || r.author_id == null || r.author_id === me)
    .map((r) => ({ ...r, ...recordState(r, index) }));
}

const newest = (r) => r.created_at || r.visit_date || '';

/**
 * The user's own records with states, newest first (outbox and history screen). Pass the outbox
 * the caller also counts, so the count and the states come from one reading of it.
 */
export async function myRecords(mutations = null) {
  const records = await ownRecords(mutations || (await allMutations()));
  // ISO timestamps sort as plain strings: no locale collation over tens of thousands of rows.
  return records.sort((a, b) => {
    const x = newest(a);
    const y = newest(b);
    return x < y ? 1 : x > y ? -1 : 0;
  });
}

/**
 * Numbers for the home screen. Reads only the records it counts (through the records' indexes:
 * returned ones, today's, those with a refused upload), never every record of the village:
 * with 50,000 documents reading them all made the offline start take seconds on a slow phone.
 */
/**
 * The UTC instants of one China day, as a key range over `created_at`: instants are stored in
 * UTC (the phone's toISOString, the server's +00:00), so the day starts at 16:00 the day before.
 */
export function chinaDayInstants(day) {
  const start = new Date(`${day}T00:00:00+08:00`);
  const end = new Date(start.getTime() + 24 * 3600 * 1000);
  const utc = (d) => d.toISOString().slice(0, 16);
  return IDBKeyRange.bound(utc(start), utc(end), false, true);
}

export async function summary() {
  const [mutations, session] = await Promise.all([allMutations(), getMeta('session')]);
  const me = session?.user ? session.user.id : null;
  const index = byEntity(mutations);
  const day = today();
  const refused = [...new Set(mutations.filter((m) => m.state === 'rejected').map((m) => m.id))];
  const [returned, visited, created, refusedRows, reviewRejected] = await Promise.all([
    byIndex('records', 'review_status', 'returned'),
    byIndex('records', 'visit_date', day),
    byIndex('records', 'created_at', chinaDayInstants(day)),
    Promise.all(refused.map((id) => get('records', id))),
    byIndex('records', 'review_status', 'rejected'),
  ]);
  const own = (rows) =>
    rows
      .filter((r) => r && (r.local || r.author_id == null || r.author_id === me))
      .map((r) => ({ ...r, ...recordState(r, index) }));
  const todays = new Map(own([...visited, ...created]).map((r) => [r.id, r]));
  const rejectedById = new Map(own([...refusedRows, ...reviewRejected]).map((r) => [r.id, r]));
  const rejected = [...rejectedById.values()].filter((r) => r.state === 'rejected');
  return {
    waiting: mutations.filter((m) => m.state === 'waiting').length,
    rejectedUploads: mutations.filter((m) => m.state === 'rejected').length,
    returned: own(returned).filter((r) => r.state === 'returned').length,
    rejected: rejected.length,
    // A supervisor's rejection (review), told apart from an upload the server refused.
    reviewRejected: rejected.filter((r) => !r.upload).length,
    drafts: await count('drafts'),
    todayRecords: [...todays.values()].sort((a, b) =>
      newest(a) < newest(b) ? 1 : newest(a) > newest(b) ? -1 : 0,
    ),
  };
}

/** Every stored definition: the current ones and the older versions still accepted. */
export const allForms = () => getAll('forms');

/** Current form definitions (status "current"), one per code. */
export async function currentForms() {
  const forms = await getAll('forms');
  const best = new Map();
  for (const f of forms) {
    if (f.status && f.status !== 'current') continue;
    const prev = best.get(f.code);
    if (!prev || prev.version < f.version) best.set(f.code, f);
  }
  return [...best.values()].sort(
    (a, b) => (a.category || '').localeCompare(b.category || '') || a.code.localeCompare(b.code),
  );
}

export const formDef = (code, version) => get('forms', [code, Number(version)]);
