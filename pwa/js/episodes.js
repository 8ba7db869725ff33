// A resident's episodes as the phone shows them: the rows the server derived (synced
// read-only), with the effects of the records not yet uploaded folded on top, so a form saved
// offline shows its effect at once. Rows a local record changed are marked `pending`.
import { byIndex } from './db.js';
import { formDef } from './data.js';
import { fold } from './effects.js';

const definitionOf = async (code, version) => (await formDef(code, version)) || null;

/** `{episodes, spans}` of one resident, each row with `pending` when not yet synced. */
export async function residentEffects(residentId) {
  const [episodes, spans, records] = await Promise.all([
    byIndex('episodes', 'resident_id', residentId),
    byIndex('resident_tags', 'resident_id', residentId),
    byIndex('records', 'resident_id', residentId),
  ]);
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
      ...spans.filter((s) => s.origin !== 'form').map((s) => ({ ...s, pending: false })),
      ...folded.spans.map((s) => mark(s, 'record_id')),
    ],
  };
}
