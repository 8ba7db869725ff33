// Validation of a service form from its definition, the same rules the server applies
// (server/domain/records/formfields.py, formrules.py): required, type, range, length, options,
// show_if, blood pressure pair, no future dates, exclusive options, max_field. Errors are
// {field: [{rule, ...params}]}; the UI words them.

const EMPTY = (v) =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && !v.trim()) ||
  (Array.isArray(v) && v.length === 0);
export const TEXT_MAX_LENGTH = 1000;
export const SYSTOLIC_RANGE = [60, 280];
export const DIASTOLIC_RANGE = [30, 200];
const EARLIEST_DATE = '1900-01-01';
// Every county keeps China Standard Time; "today" for not_future is that date, as on the server.
const CST_OFFSET_MS = 8 * 3600 * 1000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Today as YYYY-MM-DD in China Standard Time (UTC+8), the server's calendar. */
export function today(now = new Date()) {
  return new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The phone's own calendar date: the default date of a visit. */
export function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function isDate(v) {
  if (typeof v !== 'string' || !DATE_RE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && v >= EARLIEST_DATE;
}

/** Whether a field is shown given the other answers (a field behind a hidden field is hidden too). */
export function isVisible(def, name, data, seen = new Set()) {
  const field = def.fields.find((f) => f.name === name);
  if (!field || !field.show_if) return true;
  const cond = field.show_if;
  if (seen.has(name)) return false;
  seen.add(name);
  if (!isVisible(def, cond.field, data, seen)) return false;
  const value = data[cond.field];
  if ('equals' in cond)
    return Array.isArray(value) ? value.includes(cond.equals) : value === cond.equals;
  if ('in' in cond)
    return Array.isArray(value) ? value.some((v) => cond.in.includes(v)) : cond.in.includes(value);
  return true;
}

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

function inRange(v, field, errors) {
  if (field.min != null && v < field.min) errors.push({ rule: 'min', min: field.min });
  if (field.max != null && v > field.max) errors.push({ rule: 'max', max: field.max });
}

const CHECKS = {
  text(v, f, e) {
    if (typeof v !== 'string') return e.push({ rule: 'type_text' });
    const limit = f.max_length ?? TEXT_MAX_LENGTH;
    if ([...v].length > limit) e.push({ rule: 'max_length', max: limit }); // code points, as the server
  },
  integer(v, f, e) {
    if (typeof v !== 'number' || !Number.isInteger(v)) return e.push({ rule: 'type_integer' });
    inRange(v, f, e);
  },
  decimal(v, f, e) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return e.push({ rule: 'type_number' });
    inRange(v, f, e);
  },
  date(v, f, e, ctx) {
    if (!isDate(v)) return e.push({ rule: 'type_date' });
    if (f.not_future && v > ctx.today) e.push({ rule: 'future' });
  },
  choice(v, f, e) {
    if (!(f.options || []).some((o) => o.value === v)) e.push({ rule: 'choice' });
  },
  multi_choice(v, f, e) {
    if (!Array.isArray(v)) return e.push({ rule: 'choice' });
    const allowed = new Set((f.options || []).map((o) => o.value));
    if (v.some((x) => !allowed.has(x)) || new Set(v).size !== v.length)
      return e.push({ rule: 'choice' });
    // An `exclusive` option ("none") contradicts any other answer chosen with it.
    const alone = v.length > 1 && (f.options || []).find((o) => o.exclusive && v.includes(o.value));
    if (alone) e.push({ rule: 'exclusive', option: alone.label });
  },
  yes_no(v, _f, e) {
    if (typeof v !== 'boolean') e.push({ rule: 'type_yes_no' });
  },
  blood_pressure(v, _f, e) {
    const keys =
      v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).sort().join() : '';
    if (keys !== 'diastolic,systolic') return e.push({ rule: 'bp_pair' });
    const before = e.length;
    for (const [part, [min, max]] of [
      ['systolic', SYSTOLIC_RANGE],
      ['diastolic', DIASTOLIC_RANGE],
    ]) {
      if (!Number.isInteger(v[part])) e.push({ rule: 'type_integer', part });
      else if (v[part] < min || v[part] > max) e.push({ rule: 'between', min, max, part });
    }
    if (e.length === before && v.systolic <= v.diastolic) e.push({ rule: 'bp_order' });
  },
  resident(v, _f, e) {
    if (typeof v !== 'string' || !UUID_RE.test(v)) e.push({ rule: 'resident' });
  },
};

/** Errors per field for `data` (already cleaned or not), empty object when valid. */
export function validate(def, data, { now = new Date() } = {}) {
  const ctx = { today: today(now) };
  const errors = {};
  for (const field of def.fields) {
    const v = data[field.name];
    const found = [];
    if (!isVisible(def, field.name, data)) {
      if (v !== undefined && v !== null) found.push({ rule: 'hidden' }); // even "" (docs/forms.md)
    } else if (EMPTY(v)) {
      if (field.required) found.push({ rule: 'required' });
    } else {
      const check = CHECKS[field.type];
      if (check) check(v, field, found, ctx);
      else found.push({ rule: 'unknown_type' });
    }
    if (found.length) errors[field.name] = found;
  }
  // `max_field`: a number not greater than an earlier one (parity <= gravidity), both valid.
  for (const field of def.fields) {
    const bound = field.max_field;
    if (!bound || errors[field.name] || errors[bound]) continue;
    const v = data[field.name];
    const limit = data[bound];
    if (!isVisible(def, field.name, data) || !isVisible(def, bound, data)) continue;
    if (typeof v === 'number' && typeof limit === 'number' && v > limit) {
      const other = def.fields.find((f) => f.name === bound);
      errors[field.name] = [{ rule: 'max_field', field: bound, label: other?.label }];
    }
  }
  const known = new Set(def.fields.map((f) => f.name));
  for (const name of Object.keys(data))
    if (!known.has(name)) errors[name] = [{ rule: 'unknown_field' }];
  return errors;
}

/** Whether a resident fits a form's eligibility (age in whole years on `on`, sex, tags). */
export function eligible(def, resident, on = today()) {
  const rule = def.eligibility || {};
  if (def.subject === 'activity') return !resident;
  if (!resident) return false;
  if (rule.sex && resident.sex !== rule.sex) return false;
  if (rule.min_age != null || rule.max_age != null) {
    const age = ageOn(resident.birth_date, on);
    if (age == null) return false;
    if (rule.min_age != null && age < rule.min_age) return false;
    if (rule.max_age != null && age > rule.max_age) return false;
  }
  if (rule.tags_any?.length) {
    const tags = resident.tags || [];
    if (!rule.tags_any.some((t) => tags.includes(t))) return false;
  }
  return true;
}

export function ageOn(birth, on) {
  if (!isDate(birth)) return null;
  const [by, bm, bd] = birth.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
