// Words for validation problems and answers, shared by the form and record screens.
import { pick, t } from '../i18n.js';
import problems from '../i18n/problems.js';

/** Why the server refused an upload, in the user's language; the server's own words otherwise. */
export function refusalText(upload) {
  const words = Object.hasOwn(problems, upload.code) ? pick(problems[upload.code]) : '';
  return words || upload.message || '';
}

export function errorText(e) {
  if (typeof e === 'string') return e; // a message from the server
  const part = e.part ? `${t(`form.${e.part}`)}: ` : '';
  // Labels of options and fields come with the rule as {zh, en}: worded in the user's language.
  const params = Object.fromEntries(
    Object.entries(e).map(([k, v]) => [k, v && typeof v === 'object' ? pick(v) : v]),
  );
  return part + t(`rule.${e.rule}`, params);
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
