// Words for validation problems and answers, shared by the form and record screens.
import { pick, t } from '../i18n.js';
import { h } from '../ui.js';
import problems from '../i18n/problems.js';

/**
 * Why the server refused something (a problem code), in the user's language. Never the server's
 * English: a code the app does not word yet reads as the generic refusal; no signal as no signal.
 */
export function refusalText(upload) {
  if (!upload) return '';
  if (upload.status === 0 || upload.code === 'network') return t('error.network');
  const words = Object.hasOwn(problems, upload.code) ? pick(problems[upload.code]) : '';
  return words || t('error.refused');
}

/** The server's field messages (English, docs/forms.md and sync/fields.py) as the phone's rules. */
const SERVER_MESSAGES = [
  [
    /^(Systolic|Diastolic) pressure must be between (\d+) and (\d+)/,
    (m) => ({ rule: 'between', part: m[1].toLowerCase(), min: m[2], max: m[3] }),
  ],
  [
    /^(Systolic|Diastolic) pressure must be a whole number\.$/,
    (m) => ({ rule: 'type_integer', part: m[1].toLowerCase() }),
  ],
  [
    /^This field is required\.$|^Missing data for required field\.$|^Field may not be (null|blank)\.$/,
    () => ({ rule: 'required' }),
  ],
  [/^This field is required: (.+)\.$/, (m) => ({ rule: 'danger', label: m[1] })],
  [
    /^Must be between (\d+) and (\d+) days before the visit date\.$/,
    (m) => ({ rule: 'visit_offset', min: -Number(m[2]), max: -Number(m[1]) }),
  ],
  [
    /^Must be between (\d+) and (\d+) days after the visit date\.$/,
    (m) => ({ rule: 'visit_offset', min: Number(m[1]), max: Number(m[2]) }),
  ],
  [
    /^Must be from (\d+) days before to (\d+) days after the visit date\.$/,
    (m) => ({ rule: 'visit_offset', min: -Number(m[1]), max: Number(m[2]) }),
  ],
  [/^Must be empty: it is computed from (\w+)\.$/, (m) => ({ rule: 'computed', field: m[1] })],
  [
    /^Must be (\S+): it is computed from (\w+)\.$/,
    (m) => ({ rule: 'computed', value: m[1], field: m[2] }),
  ],
  [/^Must not be before ([a-z][a-z0-9_]*)\.$/, (m) => ({ rule: 'not_before', field: m[1] })],
  [/^Must be between (\S+) and (\S+)/, (m) => ({ rule: 'between', min: m[1], max: m[2] })],
  [/^Must be at least (\S+?)\.?(\s|$)/, (m) => ({ rule: 'min', min: m[1] })],
  [
    /^Must be at most (\d+) characters\.$|^Longer than maximum length (\d+)\.$/,
    (m) => ({ rule: 'max_length', max: m[1] || m[2] }),
  ],
  [/^Must be at most (\S+?)\.?(\s|$)/, (m) => ({ rule: 'max', max: m[1] })],
  [/^Must not be greater than (\w+)\.$/, (m) => ({ rule: 'max_field', field: m[1] })],
  [/cannot be chosen with other options\.$/, () => ({ rule: 'exclusive_server' })],
  [/^Enter text\.$|^Not a valid string\.$/, () => ({ rule: 'type_text' })],
  [
    /^Enter a whole number\.$|whole number\.$|^Not a valid positive integer/,
    () => ({ rule: 'type_integer' }),
  ],
  [/^Enter a number\.$/, () => ({ rule: 'type_number' })],
  [/^Enter a (real )?date|^Not a valid date/, () => ({ rule: 'type_date' })],
  [/in the future\.$/, () => ({ rule: 'future' })],
  [/^Must not be before/, () => ({ rule: 'too_early' })],
  [
    /^Choose (one of|only from|from) the listed options\.$|^Choose each option only once\.$|^Must be one of/,
    () => ({ rule: 'choice' }),
  ],
  [/^Choose yes or no\.$|^Not a valid boolean\.$/, () => ({ rule: 'type_yes_no' })],
  [/^Enter both systolic and diastolic/, () => ({ rule: 'bp_pair' })],
  [/^Systolic pressure must be higher/, () => ({ rule: 'bp_order' })],
  [/^Choose a registered resident\.$|^Not a valid UUID\.$/, () => ({ rule: 'resident' })],
  [/^Must be empty: this question depends on/, () => ({ rule: 'hidden' })],
  [/^Unknown field\.$/, () => ({ rule: 'unknown_field' })],
  [/^Read-only field\.$/, () => ({ rule: 'read_only' })],
  [/^Merged into a resident outside your villages\.$/, () => ({ rule: 'merged_elsewhere' })],
  [
    /^This resident was merged into a resident of another village/,
    () => ({ rule: 'merged_elsewhere' }),
  ],
  [/^An ID number has 18 characters\.$|^An ID number is 17 digits/, () => ({ rule: 'id_format' })],
  [/^The birth date inside this ID number is not a real date\.$/, () => ({ rule: 'id_birth' })],
  [/^The check digit of this ID number is wrong/, () => ({ rule: 'id_check' })],
  [
    /birth date in this ID number differs|birth date inside an ID number must be/,
    () => ({ rule: 'id_birth_mismatch' }),
  ],
  [/^Unknown tags|^Not a valid list of tags\.$/, () => ({ rule: 'tags' })],
  [/^The visit date is before the resident's birth date\.$/, () => ({ rule: 'before_birth' })],
  [/^This form is not for residents of this sex\.$/, () => ({ rule: 'wrong_sex' })],
  [/^At the visit date this resident's age is outside/, () => ({ rule: 'wrong_age' })],
  [/^No such \w+\.$/, () => ({ rule: 'not_found' })],
  [/^Already exists\.$/, () => ({ rule: 'taken' })],
];

/** One message of the server's as a rule the phone words itself (`server` when unknown). */
export function serverRule(message) {
  for (const [re, rule] of SERVER_MESSAGES) {
    const m = re.exec(message);
    if (m) return rule(m);
  }
  return { rule: 'server' };
}

/** The label of a record field or form question, in the user's language. */
function fieldLabel(name, def) {
  const question = def?.fields?.find((f) => f.name === name);
  if (question) return pick(question.label);
  const key = `field.${name}`;
  const words = t(key);
  return words === key ? name : words;
}

/** A refused upload's field errors ({field: [messages]} or {data: {question: [...]}}) as lines. */
export function fieldErrorText(name, messages, def) {
  if (messages && typeof messages === 'object' && !Array.isArray(messages)) {
    return Object.entries(messages).flatMap(([inner, msgs]) => fieldErrorText(inner, msgs, def));
  }
  const label = fieldLabel(name, def);
  return [].concat(messages).map((msg) => `${label}：${errorText(msg, def)}`);
}

/** The dictionary key and parameters of rules whose words depend on their values. */
function ruleKey(e) {
  if (e.rule === 'visit_offset') {
    if (e.max <= 0) return ['rule.visit_offset_before', { a: -e.max, b: -e.min }];
    if (e.min >= 0) return ['rule.visit_offset_after', { a: e.min, b: e.max }];
    return ['rule.visit_offset_around', { a: -e.min, b: e.max }];
  }
  if (e.rule === 'computed' && e.value == null) return ['rule.computed_empty', {}];
  return [`rule.${e.rule}`, {}];
}

export function errorText(found, def = null) {
  let e = found;
  if (typeof e === 'string') {
    e = serverRule(e); // a message from the server: worded by the phone, never English
    if (['max_field', 'not_before', 'computed'].includes(e.rule))
      e.label = fieldLabel(e.field, def);
    if (e.rule === 'danger') e.label = dangerLabel(e.label, def);
  }
  const part = e.part ? `${t(`form.${e.part}`)}: ` : '';
  // Labels of options and fields come with the rule as {zh, en}: worded in the user's language.
  const params = Object.fromEntries(
    Object.entries(e).map(([k, v]) => [k, v && typeof v === 'object' ? pick(v) : v]),
  );
  const [key, extra] = ruleKey(e);
  return part + t(key, { ...params, ...extra });
}

/** A danger's label in the user's language, from the English label the server names it by. */
function dangerLabel(english, def) {
  const danger = def?.danger?.find((d) => d.label?.en === english);
  return danger ? danger.label : english;
}

/**
 * Form titles by code (the current version's) and by `code@version`. A record is named by the
 * version it was filled with, as its own screen names it: an older version keeps its old title.
 */
export function titleIndex(forms) {
  const titles = {};
  for (const f of forms) {
    titles[`${f.code}@${f.version}`] = pick(f.title);
    if (!f.status || f.status === 'current') titles[f.code] = pick(f.title);
  }
  return titles;
}

/** A record's form title from a `titleIndex`, or undefined when the phone has no definition. */
export const recordTitle = (r, titles) =>
  titles[`${r.form_code}@${r.form_version}`] || titles[r.form_code];

/**
 * One record in a list, as the assistant reads it: "李桂英 · 高血压患者随访 · 已通过" (the name from
 * the local register when the record came from the server without one).
 */
export function recordLine(r, titles, names) {
  const who = r.resident_name || names?.get(r.resident_id)?.name || '';
  const title = recordTitle(r, titles) || t('records.unknown_form');
  return [
    who ? `${who} · ` : '',
    `${title} · `,
    h('span', { class: `badge ${r.state}` }, t(`state.${r.state}`)),
  ];
}

/** An answer as the assistant reads it in the summary. */
export function display(field, value, residents = []) {
  if (value == null) return '—';
  switch (field.type) {
    case 'choice':
      return pick((field.options || []).find((o) => o.value === value)?.label) || value;
    case 'multi_choice':
      return value
        .map((v) => pick((field.options || []).find((o) => o.value === v)?.label) || v)
        .join('、');
    case 'yes_no':
      return value ? t('form.yes') : t('form.no');
    case 'blood_pressure':
      return `${value.systolic}/${value.diastolic} mmHg`;
    case 'resident':
      return residents.find((r) => r.id === value)?.name || value;
    default:
      return `${value}${field.unit ? ` ${pick(field.unit)}` : ''}`;
  }
}
