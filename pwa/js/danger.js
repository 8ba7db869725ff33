// Danger values a form's answers meet (a definition's top-level `danger`), the same rules as
// server/domain/records/danger.py and conditions.py: a condition holds on a shown answer that is
// valid for its own field; a danger is met when any of its conditions holds. `conditionMet` is
// also what decides an effect's `when` (effects.js): one evaluator of the one grammar.
import { EMPTY, fieldProblems } from './fieldchecks.js';
import { shownFields } from './visibility.js';

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
// JSON answers compare as `===` does: 3 is 3.0, true is not 1 (the server: `same_answer`).
const same = (a, b) => a === b;

/** Whether a shown, valid answer meets one condition (a multi_choice: any value chosen). */
export function conditionHolds(cond, answer) {
  const v = cond.part ? answer?.[cond.part] : answer;
  if ('gte' in cond) return isNumber(v) && v >= cond.gte;
  if ('lte' in cond) return isNumber(v) && v <= cond.lte;
  if ('equals' in cond) return same(v, cond.equals);
  if ('in' in cond) return cond.in.some((w) => same(v, w));
  return Array.isArray(v) && v.some((item) => cond.includes.some((w) => same(item, w)));
}

/** Whether a condition holds on a record: `fields` by name, `shown` the names of those shown. */
export function conditionMet(cond, fields, shown, data) {
  const field = fields.get(cond.field);
  const v = data[cond.field];
  if (!field || EMPTY(v) || !shown.has(cond.field)) return false;
  return fieldProblems(field, v).length === 0 && conditionHolds(cond, v);
}

/**
 * The dangers met by `data`, in the definition's order: [{danger, field}] with the field of the
 * first condition that holds (where the form shows its warning).
 */
export function metDangers(def, data) {
  const fields = new Map(def.fields.map((f) => [f.name, f]));
  const shown = shownFields(def, data);
  const met = [];
  for (const danger of def.danger || []) {
    const held = danger.any.find((cond) => conditionMet(cond, fields, shown, data));
    if (held) met.push({ danger, field: held.field });
  }
  return met;
}

/** The ids of the dangers met: what the workspace marks red and urgent tasks read. */
export function dangerFlags(def, data) {
  return metDangers(def, data).map((m) => m.danger.id);
}
