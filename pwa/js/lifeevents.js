// Life events: how the register's tag list changes when an action is taken on the phone ("has
// given birth"): a register fact, pushed as a resident update. The same rules as
// server/domain/registry/lifeevents.py (a test holds the tables equal;
// tests/contracts/lifeevents.json holds the cases both pass). A saved form does not write the
// list: its effects make form spans, folded from the records (effects.js, tagspans.js).

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

/** The tags once the action `event` ({action}) is taken, in catalogue order. */
export function tagsAfter(tags, event) {
  const rule = LIFE_EVENTS.find((r) => r.action === event.action) || { add: [], remove: [] };
  const found = new Set((tags || []).filter((t) => !rule.remove.includes(t)));
  for (const t of rule.add) found.add(t);
  const known = TAG_ORDER.filter((t) => found.has(t));
  const other = [...found].filter((t) => !TAG_ORDER.includes(t)).sort();
  return [...known, ...other];
}

/** The resident update an action implies for `person`, or null when it changes none of their tags. */
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
