// Life events: how the register's tag list changes when an action is taken on the phone (the
// LIFE_EVENTS table) or a form is saved (the tags its effects start and end: effects.js
// `tagChanges`, the definitions being the one source for forms). The same rules as
// server/domain/registry/lifeevents.py (a test holds the tables equal;
// tests/contracts/lifeevents.json holds the cases both pass). Applied with the save, so the next
// forms are offered at once.

export const TAG_ORDER = [
  'pregnant',
  'postpartum',
  'child_0_6',
  'elderly_65',
  'hypertension',
  'diabetes',
  'severe_mental_disorder',
  'tuberculosis',
  'low_income',
];

export const LIFE_EVENTS = [{ action: 'gave_birth', add: ['postpartum'], remove: ['pregnant'] }];

/** What an event does: an action's rule, or a saved form's `{started, ended}` tags. */
function changesOf(event) {
  if ('action' in event) {
    const rule = LIFE_EVENTS.find((r) => r.action === event.action);
    return rule ? { started: rule.add, ended: rule.remove } : { started: [], ended: [] };
  }
  return { started: event.started || [], ended: event.ended || [] };
}

/** The tags once `event` ({action}, or a saved form's {started, ended}) is recorded, in catalogue order. */
export function tagsAfter(tags, event) {
  const { started, ended } = changesOf(event);
  const found = new Set((tags || []).filter((t) => !ended.includes(t)));
  for (const t of started) found.add(t);
  const known = TAG_ORDER.filter((t) => found.has(t));
  const other = [...found].filter((t) => !TAG_ORDER.includes(t)).sort();
  return [...known, ...other];
}

/**
 * The resident update a saved form implies for `person` (queued with the record in one
 * transaction), or null when the form changes none of their tags.
 */
export function tagUpdate(person, event) {
  if (!person) return null;
  const before = person.tags || [];
  const after = tagsAfter(before, event);
  if (JSON.stringify(after) === JSON.stringify(tagsAfter(before, {}))) return null;
  return {
    entity: 'resident',
    op: 'update',
    row: { ...person, tags: after },
    data: { tags: after },
  };
}
