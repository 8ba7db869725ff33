// A form's effects on its resident: the episodes and form tag spans folded from their live
// records. The same fold as server/domain/episodes/fold.py (cases in
// tests/contracts/effects.json), run over the phone's own records, outbox included, so a form
// saved offline shows its effect at once. No DOM here. An effect's `when` is decided by the
// dangers' evaluator (danger.js `conditionMet`).
import { conditionMet } from './danger.js';
import { EMPTY } from './fieldchecks.js';
import { shownFields } from './visibility.js';

const VISIT_DATE = '$visit_date';
const NAMESPACE = 'd2c92a69-d9be-438c-a964-1e87032eba3d';
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
// What a form without an `effects` key did before effects existed (server: LEGACY_EFFECTS).
export const LEGACY_EFFECTS = {
  early_pregnancy: [
    { tag: 'pregnant', action: 'start', on: VISIT_DATE },
    { tag: 'postpartum', action: 'end', on: VISIT_DATE },
  ],
  postpartum_visit: [
    { tag: 'postpartum', action: 'start', on: 'delivery_date' },
    { tag: 'pregnant', action: 'end', on: 'delivery_date' },
  ],
};

/** The effects a record of `def` has: its own, else its form's legacy ones. */
export function effectsOf(def) {
  if (!def) return [];
  if ('effects' in def) return def.effects || [];
  return LEGACY_EFFECTS[def.code] || [];
}

const applies = (e, fields, shown, data) =>
  !e.when || e.when.any.some((c) => conditionMet(c, fields, shown, data));

function answer(record, shown, source) {
  if (source === VISIT_DATE) return record.visit_date;
  const value = shown.has(source) ? record.data?.[source] : undefined;
  return EMPTY(value) ? null : value;
}

function dateAnswer(record, shown, source) {
  const value = answer(record, shown, source);
  return typeof value === 'string' && DATE_RE.test(value) ? value : null;
}

/** `day` plus whole days, weeks, months or years (a month end clamps: 31 Jan + 1 = 28 Feb). */
export function addPeriod(day, value, unit) {
  const [y, m, d] = day.split('-').map(Number);
  if (unit === 'days' || unit === 'weeks') {
    const at = new Date(Date.UTC(y, m - 1, d + value * (unit === 'weeks' ? 7 : 1)));
    return at.toISOString().slice(0, 10);
  }
  const months = m - 1 + value * (unit === 'years' ? 12 : 1);
  const year = y + Math.floor(months / 12);
  const month = (months % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 1, Math.min(d, last))).toISOString().slice(0, 10);
}

const live = (r) => !r.deleted && r.review_status !== 'rejected';
const instant = (r) => Date.parse(r.created_at || '') || 0;

/** Live records in the order their effects apply: visit date, created at, id. */
export function inOrder(records) {
  return records
    .filter(live)
    .sort(
      (a, b) =>
        (a.visit_date < b.visit_date ? -1 : a.visit_date > b.visit_date ? 1 : 0) ||
        instant(a) - instant(b) ||
        (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0),
    );
}

function openEpisode(episodes, kind, condition) {
  for (let i = episodes.length - 1; i >= 0; i--) {
    const e = episodes[i];
    if (e.kind === kind && e.condition === condition) return e.status === 'open' ? e : null;
  }
  return null;
}

function applyEpisode(episodes, effect, record, shown, names) {
  const kind = effect.episode;
  const condition = effect.condition ?? null;
  let episode = openEpisode(episodes, kind, condition);
  if (!episode) {
    episode = {
      kind,
      condition,
      status: 'open',
      opened_on: record.visit_date,
      closed_on: null,
      close_reason: null,
      facts: {},
      opened_by_record_id: String(record.id),
    };
    episodes.push(episode);
  }
  episode.updated_by_record_id = String(record.id);
  for (const [fact, source] of Object.entries(effect.facts || {})) {
    const value = answer(record, shown, source);
    if (value !== null) episode.facts = { ...episode.facts, [fact]: value };
  }
  if (effect.action === 'close') {
    episode.status = 'closed';
    episode.closed_on =
      dateAnswer(record, shown, effect.closed_on || VISIT_DATE) || record.visit_date;
    const reason = effect.close_reason ?? null;
    episode.close_reason = names.has(reason) ? answer(record, shown, reason) : reason;
  }
}

function applyTag(spans, ends, effect, record, shown) {
  const on = dateAnswer(record, shown, effect.on);
  if (on === null) return;
  const current = [...spans]
    .reverse()
    .find((s) => s.tag === effect.tag && (s.end_on === null || s.end_on > on));
  if (effect.action === 'end') {
    ends.push({ tag: effect.tag, on, record_id: String(record.id) });
    if (current && current.start_on <= on) current.end_on = on;
    return;
  }
  if (current) {
    if (on < current.start_on) current.start_on = on;
    return;
  }
  const after = effect.end_after;
  spans.push({
    tag: effect.tag,
    start_on: on,
    end_on: after ? addPeriod(on, after.value, after.unit) : null,
    record_id: String(record.id),
  });
}

/** uuid5 of `name` in the fold's namespace, as Python's uuid.uuid5. */
export async function uuid5(name) {
  const ns = NAMESPACE.replace(/-/g, '')
    .match(/../g)
    .map((b) => Number.parseInt(b, 16));
  const bytes = new Uint8Array([...ns, ...new TextEncoder().encode(name)]);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-1', bytes)).slice(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const episodeId = (residentId, kind, condition, recordId) =>
  uuid5(`${residentId}/episode/${kind}/${condition || ''}/${recordId}`);
export const spanId = (residentId, tag, recordId) => uuid5(`${residentId}/tag/${tag}/${recordId}`);

/**
 * `{episodes, spans, ends}` that a resident's records make, in the order they were opened (`ends`:
 * every tag end that applied, for `endTold`); each row's
 * id is the server's (uuid5 of resident, kind or tag, and the opening record).
 * `definitionOf(code, version)` gives a definition or null. `start` (rows as synced) is what
 * the records apply on top of: the phone folds only its unsynced records over the server's rows.
 */
export async function fold(residentId, records, definitionOf, start = {}) {
  const episodes = (start.episodes || []).map((e) => ({ ...e, facts: { ...e.facts } }));
  const spans = (start.spans || []).map((s) => ({ ...s }));
  const ends = [];
  for (const record of inOrder(records)) {
    const def = await definitionOf(record.form_code, record.form_version);
    const effects = effectsOf(def);
    if (!effects.length) continue;
    const data = record.data || {};
    const shown = shownFields(def, data);
    const fields = new Map(def.fields.map((f) => [f.name, f]));
    const names = new Set(fields.keys());
    for (const effect of effects) {
      if (!applies(effect, fields, shown, data)) continue;
      if ('episode' in effect) applyEpisode(episodes, effect, record, shown, names);
      else applyTag(spans, ends, effect, record, shown);
    }
  }
  const named = async (row, id) => (row.id ? row : { id: await id(), ...row });
  return {
    episodes: await Promise.all(
      episodes.map((e) =>
        named(e, () => episodeId(residentId, e.kind, e.condition, e.opened_by_record_id)),
      ),
    ),
    spans: await Promise.all(
      spans.map((s) => named(s, () => spanId(residentId, s.tag, s.record_id))),
    ),
    ends,
  };
}

const TOLD_ORIGINS = ['register', 'import', 'legacy'];

/**
 * The register's spans once the records' tag ends (`fold(...).ends`) apply: a reported span of
 * the list in effect on an end's day ends that day and names the record (server
 * episodes/listends.py); a confirmed one, or one ended earlier, is left as it is.
 */
export function endTold(told, ends) {
  return told.map((span) => {
    if (span.source !== 'reported' || !TOLD_ORIGINS.includes(span.origin)) return span;
    const held = (on) =>
      (!span.start_on || span.start_on <= on) && (!span.end_on || on < span.end_on);
    const first = ends
      .filter((e) => e.tag === span.tag && held(e.on))
      .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.record_id < b.record_id ? -1 : 1))[0];
    return first ? { ...span, end_on: first.on, record_id: first.record_id } : span;
  });
}
