// The fields of one resident, shared by "edit resident" and "add family member": the same checks
// as registration (required name, sex and birth date, no future date, the ID number rules of
// GB 11643 and the birth date it holds), each error under its own field.
import { today } from '../formrules.js';
import { birthDateOf, idNumberProblem } from '../idnumber.js';
import { t } from '../i18n.js';
import { field, h, mount } from '../ui.js';

// Tags only people can know; the others follow from the birth date and the household.
export const STORED_TAGS = [
  'pregnant',
  'postpartum',
  'hypertension',
  'diabetes',
  'severe_mental_disorder',
  'tuberculosis',
];

function withErrors(f) {
  const box = h('div', { class: 'errors', 'aria-live': 'polite' });
  f.wrap.classList.add('field');
  f.wrap.append(box);
  return {
    ...f,
    show: (messages) => {
      mount(
        box,
        messages.map((m) => h('p', { class: 'error' }, m)),
      );
      if (messages.length) f.input.setAttribute('aria-invalid', 'true');
      else f.input.removeAttribute('aria-invalid');
    },
  };
}

/**
 * The inputs of a resident, filled from `values`; `withIdNumber` adds the ID number (a new
 * resident: an existing one's number is re-entered through its own action, write-only).
 */
export function residentFields(values = {}, { withIdNumber = false } = {}) {
  const f = {
    name: withErrors(
      field(t('resident.name'), {
        name: 'name',
        required: true,
        maxlength: 50,
        value: values.name || '',
      }),
    ),
    sex: withErrors(field(t('resident.sex'), { tag: 'select', name: 'sex', required: true })),
    birth: withErrors(
      field(t('resident.birth_date'), {
        name: 'birth_date',
        type: 'date',
        max: today(),
        required: true,
        value: values.birth_date || '',
      }),
    ),
    id: withIdNumber
      ? withErrors(
          field(
            t('resident.id_number'),
            { name: 'id_number', inputmode: 'text', maxlength: 18, autocomplete: 'off' },
            t('resident.id_optional'),
          ),
        )
      : null,
    phone: withErrors(
      field(t('resident.phone'), {
        name: 'phone',
        type: 'tel',
        inputmode: 'numeric',
        maxlength: 20,
        value: values.phone || '',
      }),
    ),
  };
  f.sex.input.append(
    h('option', { value: '' }, t('register.choose')),
    h('option', { value: 'F' }, t('sex.F')),
    h('option', { value: 'M' }, t('sex.M')),
  );
  f.sex.input.value = values.sex || '';
  f.id?.input.addEventListener('change', () => {
    const v = f.id.input.value.trim().toUpperCase();
    if (v && !idNumberProblem(v) && !f.birth.input.value) f.birth.input.value = birthDateOf(v);
  });
  const held = values.tags || [];
  const tags = h(
    'fieldset',
    {},
    h('legend', {}, t('resident.tags')),
    STORED_TAGS.map((tag) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'checkbox', value: tag, name: 'tags', checked: held.includes(tag) }),
        t(`tag.${tag}`),
      ),
    ),
  );
  const el = h(
    'div',
    { class: 'card' },
    f.name.wrap,
    f.sex.wrap,
    f.birth.wrap,
    f.id?.wrap,
    f.phone.wrap,
    tags,
  );
  const read = () => ({
    name: f.name.input.value.trim(),
    sex: f.sex.input.value,
    birth_date: f.birth.input.value,
    id_number: f.id ? f.id.input.value.trim().toUpperCase() : '',
    phone: f.phone.input.value.trim(),
    // Derived tags the phone holds (child, elderly, low income) are kept as they are.
    tags: [
      ...held.filter((tag) => !STORED_TAGS.includes(tag)),
      ...[...tags.querySelectorAll('input:checked')].map((c) => c.value),
    ],
  });
  /** Shows each problem under its field; true when there is none. Scrolls to the first. */
  const check = (v = read()) => {
    const problems = { name: [], sex: [], birth: [], id: [], phone: [] };
    if (!v.name) problems.name.push(t('rule.required_named', { field: t('resident.name') }));
    if (!v.sex) problems.sex.push(t('rule.required_named', { field: t('resident.sex') }));
    if (!v.birth_date)
      problems.birth.push(t('rule.required_named', { field: t('resident.birth_date') }));
    else if (v.birth_date > today()) problems.birth.push(t('rule.future'));
    if (v.id_number) {
      const p = idNumberProblem(v.id_number);
      if (p) problems.id.push(t(`rule.${p}`));
      else if (birthDateOf(v.id_number) !== v.birth_date)
        problems.id.push(t('rule.id_birth_mismatch'));
    }
    let first = null;
    for (const [key, messages] of Object.entries(problems)) {
      if (!f[key]) continue;
      f[key].show(messages);
      if (messages.length && !first) first = f[key];
    }
    if (first) {
      first.wrap.scrollIntoView({ block: 'center' });
      first.input.focus({ preventScroll: true });
    }
    return !first;
  };
  return { el, read, check };
}
