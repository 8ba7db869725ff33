// Each field type's own checks on an answer, as the server's (server/domain/records/formfields.py):
// type, range, length, options, exclusive options, the blood pressure pair, no future dates.
// Errors are {rule, ...params}; formrules.js adds the rules between answers.

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

export function isDate(v) {
  if (typeof v !== 'string' || !DATE_RE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && v >= EARLIEST_DATE;
}

export const EMPTY = (v) =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && !v.trim()) ||
  (Array.isArray(v) && v.length === 0);

function inRange(v, field, errors) {
  if (field.min != null && v < field.min) errors.push({ rule: 'min', min: field.min });
  if (field.max != null && v > field.max) errors.push({ rule: 'max', max: field.max });
}

export const CHECKS = {
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

/** The problems of one non-blank answer under its own field's checks (`ctx.today` for dates). */
export function fieldProblems(field, v, ctx = { today: today() }) {
  const found = [];
  const check = CHECKS[field.type];
  if (check) check(v, field, found, ctx);
  else found.push({ rule: 'unknown_type' });
  return found;
}
