// Validation of a service form from its definition, the same rules the server applies
// (server/domain/records/formfields.py, formrules.py, daterules.py): required, show_if, each
// type's own checks (fieldchecks.js), then the rules between answers: dates against the visit
// date (visit_offset_days), date order (not_before_field), max_field, computed fields and the
// answer a met danger value requires (danger.js). Errors are {field: [{rule, ...params}]}; the
// UI words them.
import { addDays, ageIn, ageValue, daysBetween } from './ages.js';
import { metDangers } from './danger.js';
import { EMPTY, fieldProblems, isDate, today } from './fieldchecks.js';
import { isVisible } from './visibility.js';

export {
  DIASTOLIC_RANGE,
  isDate,
  SYSTOLIC_RANGE,
  TEXT_MAX_LENGTH,
  today,
} from './fieldchecks.js';
export { isVisible } from './visibility.js';
export { dangerFlags } from './danger.js';

/** The answers as they are sent: hidden fields dropped, empty answers dropped. */
export function clean(def, data) {
  const out = {};
  for (const field of def.fields) {
    const v = data[field.name];
    if (EMPTY(v) || !isVisible(def, field.name, data)) continue;
    out[field.name] = v;
  }
  return out;
}

/** The date field a computed field is derived from. */
export function computeSource(compute) {
  return compute.add_days ? compute.add_days.field : compute.weeks_since || compute.days_since;
}

/**
 * The value a `compute` field must hold: LMP + 280 days, or weeks / days from its source date to
 * the visit date; null when the source is not a shown, real date (then the field stays empty).
 */
export function computedValue(def, field, data, visitDate) {
  const source = computeSource(field.compute);
  const from = data[source];
  if (!isDate(from) || !isVisible(def, source, data)) return null;
  if (field.compute.add_days) return addDays(from, field.compute.add_days.days);
  const days = daysBetween(from, visitDate);
  return field.compute.weeks_since ? Math.floor(days / 7) : days;
}

/** The rules between answers, each giving a field its first problem (server: `_rule_problems`). */
function crossRules(def, data, errors, visitDate) {
  const shown = (name) => isVisible(def, name, data);
  const open = (f) => !errors[f.name] && shown(f.name) && !EMPTY(data[f.name]);
  const fail = (name, problem) => {
    errors[name] = [problem];
  };
  for (const f of def.fields) {
    const range = f.visit_offset_days;
    if (!range || !open(f) || !isDate(data[f.name])) continue;
    const offset = daysBetween(visitDate, data[f.name]);
    if (offset < range.min || offset > range.max)
      fail(f.name, { rule: 'visit_offset', min: range.min, max: range.max });
  }
  for (const f of def.fields) {
    const other = f.not_before_field;
    if (!other || !open(f) || !shown(other)) continue;
    const v = data[f.name];
    if (isDate(v) && isDate(data[other]) && v < data[other]) {
      const label = def.fields.find((x) => x.name === other)?.label;
      fail(f.name, { rule: 'not_before', field: other, label });
    }
  }
  // `max_field`: a number not greater than an earlier one (parity <= gravidity), both valid.
  for (const f of def.fields) {
    const bound = f.max_field;
    if (!bound || !open(f) || errors[bound] || !shown(bound)) continue;
    const v = data[f.name];
    const limit = data[bound];
    if (typeof v === 'number' && typeof limit === 'number' && v > limit) {
      const other = def.fields.find((x) => x.name === bound);
      fail(f.name, { rule: 'max_field', field: bound, label: other?.label });
    }
  }
  for (const f of def.fields) {
    if (!f.compute || errors[f.name] || !shown(f.name)) continue;
    const expected = computedValue(def, f, data, visitDate);
    const v = data[f.name];
    const source = computeSource(f.compute);
    const label = def.fields.find((x) => x.name === source)?.label;
    if (expected === null ? !EMPTY(v) : v !== expected)
      fail(f.name, { rule: 'computed', value: expected, field: source, label });
  }
  for (const { danger } of metDangers(def, data)) {
    const needed = danger.requires;
    if (!errors[needed] && shown(needed) && EMPTY(data[needed]))
      fail(needed, { rule: 'danger', label: danger.label });
  }
}

/** Errors per field for `data` (already cleaned or not), empty object when valid. */
export function validate(def, data, { now = new Date(), visitDate = null } = {}) {
  const ctx = { today: today(now) };
  const errors = {};
  for (const field of def.fields) {
    const v = data[field.name];
    let found = [];
    if (!isVisible(def, field.name, data)) {
      if (v !== undefined && v !== null) found.push({ rule: 'hidden' }); // even "" (docs/forms.md)
    } else if (EMPTY(v)) {
      if (field.required) found.push({ rule: 'required' });
    } else found = fieldProblems(field, v, ctx);
    if (found.length) errors[field.name] = found;
  }
  crossRules(def, data, errors, visitDate || ctx.today);
  const known = new Set(def.fields.map((f) => f.name));
  for (const name of Object.keys(data))
    if (!known.has(name)) errors[name] = [{ rule: 'unknown_field' }];
  return errors;
}

/** Whether a resident fits a form's eligibility (ages in completed units on `on`, sex, tags). */
export function eligible(def, resident, on = today()) {
  const rule = def.eligibility || {};
  if (def.subject === 'activity') return !resident;
  if (!resident) return false;
  if (rule.sex && resident.sex !== rule.sex) return false;
  for (const key of ['min_age', 'max_age']) {
    if (rule[key] == null) continue;
    if (!isDate(resident.birth_date)) return false;
    const [value, unit] = ageValue(rule[key]);
    const age = ageIn(resident.birth_date, on, unit);
    if (key === 'min_age' ? age < value : age > value) return false;
  }
  if (rule.tags_any?.length) {
    const tags = resident.tags || [];
    if (!rule.tags_any.some((t) => tags.includes(t))) return false;
  }
  return true;
}

/** Completed years on `on` (null without a real birth date). */
export function ageOn(birth, on) {
  return isDate(birth) ? ageIn(birth, on, 'years') : null;
}
