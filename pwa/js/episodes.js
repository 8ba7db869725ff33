// A resident's episodes as the phone shows them: the rows the server derived (synced
// read-only), with the effects of the records not yet uploaded folded on top, so a form saved
// offline shows its effect at once. Rows a local record changed are marked `pending`. The same
// spans give the resident's tags (`residentTags`): everything on the phone that reads a
// resident's tags reads them here, never the register's list alone.
import { promisify, tx } from './db.js';
import { formDef } from './data.js';
import { endTold, fold } from './effects.js';
import { today } from './fieldchecks.js';
import { effectiveTags, tagEnds } from './tagspans.js';

const STORES = ['episodes', 'resident_tags', 'records'];
const definitionOf = async (code, version) => (await formDef(code, version)) || null;

/** `{episodes, spans}` of one resident, each row with `pending` when not yet synced. */
export async function residentEffects(residentId) {
  // One transaction for the three stores: a search result list asks this of 50 residents.
  const [episodes, spans, records] = await tx(STORES, 'readonly', (s) =>
    Promise.all(STORES.map((n) => promisify(s[n].index('resident_id').getAll(residentId)))),
  );
  const unsynced = records.filter((r) => r.local);
  const local = new Set(unsynced.map((r) => String(r.id)));
  const formSpans = spans.filter((s) => s.origin === 'form');
  const folded = await fold(residentId, unsynced, definitionOf, {
    episodes,
    spans: formSpans,
  });
  const mark = (row, by) => ({ ...row, pending: local.has(row[by]) });
  return {
    episodes: folded.episodes.map((e) => mark(e, 'updated_by_record_id')),
    spans: [
      ...endTold(
        spans.filter((s) => s.origin !== 'form'),
        folded.ends,
      ).map((s) => ({ ...s, pending: local.has(s.record_id) })),
      ...folded.spans.map((s) => mark(s, 'record_id')),
    ],
  };
}

/**
 * The tags a resident holds on `on` (today's China date): derived tags and the spans in effect,
 * the spans being the synced `resident_tags` rows, the fold of the unsynced records and the
 * list's unpushed edits (the local resident row). `ends`: tag → last day, for tags that end.
 * `resident.household` (joined) decides low_income.
 */
export async function residentTags(resident, on = today()) {
  const { spans } = await residentEffects(resident.id);
  return { tags: effectiveTags(resident, spans, on), ends: tagEnds(resident, spans, on) };
}
