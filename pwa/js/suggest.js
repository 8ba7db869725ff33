// Answers the form pre-fills (the user may change them; the server never enforces them), the
// same as server/domain/records/suggest.py: `count_prior` (the visit number) and
// `nearest_age_point` (the check-up whose option `at` age is nearest the age at the visit).
import { agePoint, ageValue, daysBetween } from './ages.js';
import { isDate } from './fieldchecks.js';

/**
 * 1 + the resident's other live records of `formCode` visited on or before `visitDate` (and on
 * or after `since`, this record's delivery date, when given).
 */
export function visitNumber(formCode, visitDate, prior, excludeId = null, since = null) {
  const counted = prior.filter(
    (r) =>
      r.form_code === formCode &&
      !r.deleted &&
      r.review_status !== 'rejected' &&
      (excludeId == null || String(r.id) !== String(excludeId)) &&
      r.visit_date <= visitDate &&
      (since == null || r.visit_date >= since),
  );
  return 1 + counted.length;
}

/** The option whose age point is nearest the age at the visit (a tie: the earlier point). */
export function nearestAgePoint(field, birthDate, visitDate) {
  if (!isDate(birthDate)) return null;
  const age = daysBetween(birthDate, visitDate);
  let best = null;
  for (const option of field.options || []) {
    if (!option.at) continue;
    const point = daysBetween(birthDate, agePoint(birthDate, ...ageValue(option.at)));
    const distance = Math.abs(age - point);
    if (!best || distance < best.distance || (distance === best.distance && point < best.point))
      best = { distance, point, value: option.value };
  }
  return best ? best.value : null;
}

/** The form `count_prior` counts and the date it counts from (a `since_field` date answer). */
export function countPriorRule(rule, data) {
  const counted = rule.count_prior;
  if (typeof counted === 'string') return [counted, null];
  const since = data[counted.since_field];
  return [counted.form, isDate(since) ? since : null];
}

/** The suggested answer of each field that has a `suggest` rule (and one to give). */
export function suggestions(
  def,
  { birthDate = null, visitDate, prior = [], excludeId = null, data = {} },
) {
  const found = {};
  for (const field of def.fields) {
    const rule = field.suggest;
    if (!rule) continue;
    let value;
    if (rule.count_prior) {
      const [form, since] = countPriorRule(rule, data);
      value = visitNumber(form, visitDate, prior, excludeId, since);
    } else value = nearestAgePoint(field, birthDate, visitDate);
    if (value !== null) found[field.name] = value;
  }
  return found;
}
