// Life events: which saved form (or action) changes which of a woman's tags. The same table as
// server/domain/registry/lifeevents.py (a test holds them equal; tests/contracts/lifeevents.json
// holds the cases both pass). Applied as the form is saved, so the next forms are offered at once.

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

export const LIFE_EVENTS = [
  { form: 'early_pregnancy', add: ['pregnant'], remove: ['postpartum'] },
  {
    form: 'postpartum_visit',
    answered: 'delivery_date',
    add: ['postpartum'],
    remove: ['pregnant'],
  },
  { action: 'gave_birth', add: ['postpartum'], remove: ['pregnant'] },
];

const EMPTY = (v) => v == null || v === '' || (Array.isArray(v) && !v.length);

function matches(rule, event) {
  if ('action' in rule) return event.action === rule.action;
  if (event.form !== rule.form) return false;
  return rule.answered ? !EMPTY(event.data?.[rule.answered]) : true;
}

/** The tags once `event` ({form, data} or {action}) is recorded, in catalogue order. */
export function tagsAfter(tags, event) {
  let found = new Set(tags || []);
  for (const rule of LIFE_EVENTS) {
    if (!matches(rule, event)) continue;
    found = new Set([...found].filter((t) => !rule.remove.includes(t)));
    for (const t of rule.add) found.add(t);
  }
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
