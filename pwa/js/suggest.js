// Answers the form pre-fills (the user may change them; the server never enforces them), the
// same as server/domain/records/suggest.py: `count_prior` (the visit number) and
// `nearest_age_point` (the check-up whose option `at` age is nearest the age at the visit).
import { agePoint, ageValue, daysBetween } from './ages.js';
import { isDate } from './fieldchecks.js';

/** 1 + the resident's other live records of `formCode` visited on or before `visitDate`. */
export function visitNumber(formCode, visitDate, prior, excludeId = null) {
  const counted = prior.filter(
    (r) =>
      r.form_code === formCode &&
      !r.deleted &&
      r.review_status !== 'rejected' &&
      (excludeId == null || String(r.id) !== String(excludeId)) &&
      r.visit_date <= visitDate,
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

/** The suggested answer of each field that has a `suggest` rule (and one to give). */
export function suggestions(def, { birthDate = null, visitDate, prior = [], excludeId = null }) {
  const found = {};
  for (const field of def.fields) {
    const rule = field.suggest;
    if (!rule) continue;
    const value = rule.count_prior
      ? visitNumber(rule.count_prior, visitDate, prior, excludeId)
      : nearestAgePoint(field, birthDate, visitDate);
    if (value !== null) found[field.name] = value;
  }
  return found;
}
