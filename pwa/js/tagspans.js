// Tags held on a day, as the server decides them (server/domain/registry/tagspans.py, tags.py;
// tests/contracts/tagspans.json holds the cases both pass): the derived tags (age, household)
// and the tags of the spans in effect. The resident's own tag list is applied as the server will
// store it at the next push, so an edit not yet uploaded shows at once. Programme tags are what a
// clinical series starts from: a confirmable condition counts only once the centre confirmed it.
import { ageOn } from './formrules.js';
import { TAG_ORDER } from './lifeevents.js';

export const CONFIRMABLE_TAGS = [
  'hypertension',
  'diabetes',
  'severe_mental_disorder',
  'tuberculosis',
];
const DERIVED = ['child_0_6', 'elderly_65', 'low_income'];
// Spans the tag list opens and ends; an open span of these (or staff's) holds a listed tag.
const LIST_ORIGINS = ['register', 'import', 'legacy'];
const HOLDING_ORIGINS = [...LIST_ORIGINS, 'staff'];
/** Days a span the list opens lasts, by tag (server tagspans.REGISTER_DURATIONS). */
export const REGISTER_DURATIONS = { postpartum: 42 };
/** A tag the list opens ends the told span of another that day (REGISTER_ENDS). */
const REGISTER_ENDS = { postpartum: 'pregnant' };

/** The tags that follow from the birth date and the household ({low_income} or none). */
export function derivedTags(resident, on) {
  const found = new Set();
  const age = ageOn(resident.birth_date, on);
  if (age !== null && age >= 0 && age < 7) found.add('child_0_6');
  if (age >= 65) found.add('elderly_65');
  const home = resident.household;
  if (home ? home.low_income : (resident.tags || []).includes('low_income'))
    found.add('low_income');
  return found;
}

/** Whether a span ({start_on, end_on}, ISO dates or null) holds on `on`. */
export function inEffect(span, on) {
  const started = !span.start_on || span.start_on <= on;
  return started && (!span.end_on || on < span.end_on);
}

const isOpen = (span, origins) => !span.end_on && origins.includes(span.origin);
const addDays = (day, days) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** A list span whose end no list wrote (a record's, a duration's, REGISTER_ENDS): it still
 * holds its listed tag (server tagspans.ended_by_rule). */
function endedByRule(span, spans) {
  if (!LIST_ORIGINS.includes(span.origin) || !span.end_on) return false;
  if (span.record_id) return true;
  const days = REGISTER_DURATIONS[span.tag];
  if (days !== undefined && span.start_on) return addDays(span.start_on, days) === span.end_on;
  return spans.some(
    (s) =>
      REGISTER_ENDS[s.tag] === span.tag &&
      LIST_ORIGINS.includes(s.origin) &&
      s.start_on === span.end_on,
  );
}

function pending(tag, today) {
  const days = REGISTER_DURATIONS[tag];
  const dated = days !== undefined && today;
  return {
    tag,
    source: 'reported',
    origin: 'register',
    start_on: dated ? today : null,
    end_on: dated ? addDays(today, days) : null,
  };
}

/** The spans once the resident's tag list is written (what the server will store); with
 * `today`, a tag with a register duration runs from today. */
export function asStored(tags, spans, today) {
  const live = (spans || []).filter((s) => !s.deleted);
  const listed = [...new Set((tags || []).filter((t) => !DERIVED.includes(t)))];
  const held = new Set(
    live.filter((s) => isOpen(s, HOLDING_ORIGINS) || endedByRule(s, live)).map((s) => s.tag),
  );
  const added = listed.filter((t) => !held.has(t));
  const gone = new Set(added.map((t) => REGISTER_ENDS[t]).filter(Boolean));
  const kept = live.filter(
    (s) =>
      !(
        isOpen(s, LIST_ORIGINS) &&
        s.source === 'reported' &&
        (!listed.includes(s.tag) || gone.has(s.tag))
      ),
  );
  return [...kept, ...added.map((tag) => pending(tag, today))];
}

function held(resident, spans, on, confirmedOnly) {
  const found = derivedTags(resident, on);
  for (const span of asStored(resident.tags, spans, on)) {
    if (!inEffect(span, on) || DERIVED.includes(span.tag)) continue;
    if (confirmedOnly && CONFIRMABLE_TAGS.includes(span.tag) && span.source !== 'confirmed') {
      continue;
    }
    found.add(span.tag);
  }
  const known = TAG_ORDER.filter((t) => found.has(t));
  return [...known, ...[...found].filter((t) => !TAG_ORDER.includes(t)).sort()];
}

/** Derived tags and the tags with a span in effect on `on` (ISO date), in catalogue order. */
export function effectiveTags(resident, spans, on) {
  return held(resident, spans, on, false);
}

/** The effective tags, a confirmable condition only with a confirmed span in effect. */
export function programmeTags(resident, spans, on) {
  return held(resident, spans, on, true);
}

/**
 * For each tag held on `on` whose every span in effect ends: the last day it holds (the day
 * before the latest `end_on`). A postpartum span from a delivery ends 42 days after it.
 */
export function tagEnds(resident, spans, on) {
  const ends = new Map();
  const open = new Set();
  for (const span of asStored(resident.tags, spans, on)) {
    if (!inEffect(span, on) || DERIVED.includes(span.tag)) continue;
    if (!span.end_on) open.add(span.tag);
    else if (!(ends.get(span.tag) >= span.end_on)) ends.set(span.tag, span.end_on);
  }
  const last = (end) => new Date(Date.parse(`${end}T00:00:00Z`) - 86400000).toISOString();
  return new Map(
    [...ends].filter(([tag]) => !open.has(tag)).map(([tag, end]) => [tag, last(end).slice(0, 10)]),
  );
}
