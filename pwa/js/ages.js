// Ages in completed days, weeks, months or years, and calendar days between dates, on
// YYYY-MM-DD strings (the same arithmetic as server/domain/registry/tags.py `age_in`).
const DAY_MS = 86400000;

const utc = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
};
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from, to) {
  return Math.round((utc(to) - utc(from)) / DAY_MS);
}

/** The date `days` days after `from`. */
export function addDays(from, days) {
  return iso(utc(from) + days * DAY_MS);
}

/** Completed calendar months: a 31 January birth has 1 month on 1 March. */
export function monthsOn(birth, on) {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0);
}

/** Completed `unit`s on `on`; years equal ageOn's. */
export function ageIn(birth, on, unit) {
  if (unit === 'days') return daysBetween(birth, on);
  if (unit === 'weeks') return Math.floor(daysBetween(birth, on) / 7);
  if (unit === 'months') return monthsOn(birth, on);
  if (unit === 'years') return Math.floor(monthsOn(birth, on) / 12);
  throw new Error(`Unknown age unit ${unit}`);
}

/** [value, unit] of an age as a definition writes it: a bare number is whole years. */
export function ageValue(age) {
  return typeof age === 'number' ? [age, 'years'] : [age.value, age.unit];
}

/** The first day on which a person born on `birth` is `value` `unit`s old. */
export function agePoint(birth, value, unit) {
  if (unit === 'days' || unit === 'weeks')
    return addDays(birth, value * (unit === 'weeks' ? 7 : 1));
  const [by, bm, bd] = birth.split('-').map(Number);
  const total = bm - 1 + value * (unit === 'years' ? 12 : 1);
  const y = by + Math.floor(total / 12);
  const m = (total % 12) + 1;
  const day = new Date(Date.UTC(y, m - 1, bd));
  // No such day that month (31 April, 29 February): the 1st of the next month.
  return day.getUTCMonth() === m - 1 ? iso(day.getTime()) : iso(Date.UTC(y, m, 1));
}
