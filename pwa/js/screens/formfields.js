// The input(s) of a form field, one kind per field type; the form screen wires their values.
import { today } from '../formrules.js';
import { pick, t } from '../i18n.js';
import { h, uid } from '../ui.js';

function numberOrRaw(raw, integer) {
  if (raw === '') return null;
  const n = Number(raw);
  if (Number.isNaN(n)) return raw;
  return integer && !Number.isInteger(n) ? raw : n;
}

/** A computed field (EDD, gestational weeks): read-only, the form screen fills it live. */
function computed(field, id, label, value) {
  return [
    h('label', { for: id }, label, h('span', { class: 'hint' }, ` ${t('form.computed')}`)),
    h('input', {
      id,
      name: field.name,
      type: field.type === 'date' ? 'date' : 'number',
      readOnly: true,
      value: value ?? '',
    }),
  ];
}

/** The input(s) of one field; `set(value)` is called with the typed value on every change. */
export function control(field, value, set, residents) {
  const id = uid();
  const label = pick(field.label) + (field.unit ? ` (${pick(field.unit)})` : ''); // unit: '' or {zh, en}
  if (field.compute) return computed(field, id, label, value);
  const req = field.required ? h('span', { class: 'hint' }, ` ${t('form.required_mark')}`) : null;
  const lab = () => h('label', { for: id }, label, req);
  const group = (inputs) => h('fieldset', {}, h('legend', {}, label, req), inputs);
  const onInput = (fn) => (e) => set(fn(e.target));
  switch (field.type) {
    case 'integer':
    case 'decimal':
      return [
        lab(),
        h('input', {
          id,
          name: field.name,
          type: 'number',
          inputmode: field.type === 'integer' ? 'numeric' : 'decimal',
          step: field.type === 'integer' ? '1' : 'any',
          min: field.min ?? null,
          max: field.max ?? null,
          value: value ?? '',
          oninput: onInput((el) => numberOrRaw(el.value, field.type === 'integer')),
        }),
      ];
    case 'date':
      return [
        lab(),
        h('input', {
          id,
          name: field.name,
          type: 'date',
          max: field.not_future ? today() : null,
          value: value ?? '',
          oninput: onInput((el) => el.value || null),
        }),
      ];
    case 'choice':
      return group(
        (field.options || []).map((o) =>
          h(
            'label',
            { class: 'choice' },
            h('input', {
              type: 'radio',
              name: field.name,
              value: o.value,
              checked: value === o.value,
              onchange: onInput((el) => el.value),
            }),
            pick(o.label),
          ),
        ),
      );
    case 'multi_choice': {
      const chosen = new Set(value || []);
      return group(
        (field.options || []).map((o) =>
          h(
            'label',
            { class: 'choice' },
            h('input', {
              type: 'checkbox',
              name: field.name,
              value: o.value,
              checked: chosen.has(o.value),
              onchange: (e) => {
                if (e.target.checked) chosen.add(o.value);
                else chosen.delete(o.value);
                set((field.options || []).map((x) => x.value).filter((v) => chosen.has(v)));
              },
            }),
            pick(o.label),
          ),
        ),
      );
    }
    case 'yes_no':
      return group(
        [
          [true, 'yes'],
          [false, 'no'],
        ].map(([v, k]) =>
          h(
            'label',
            { class: 'choice' },
            h('input', {
              type: 'radio',
              name: field.name,
              value: k,
              checked: value === v,
              onchange: () => set(v),
            }),
            t(`form.${k}`),
          ),
        ),
      );
    case 'blood_pressure': {
      const bp = { ...(value || {}) };
      const part = (key) =>
        h('input', {
          type: 'number',
          inputmode: 'numeric',
          step: '1',
          name: `${field.name}.${key}`,
          'aria-label': t(`form.${key}`),
          placeholder: t(`form.${key}`),
          value: bp[key] ?? '',
          oninput: (e) => {
            bp[key] = numberOrRaw(e.target.value, true);
            set(
              bp.systolic == null && bp.diastolic == null
                ? null
                : { systolic: bp.systolic ?? null, diastolic: bp.diastolic ?? null },
            );
          },
        });
      return group([
        h(
          'div',
          { class: 'pair' },
          part('systolic'),
          h('span', { 'aria-hidden': 'true' }, '/'),
          part('diastolic'),
        ),
        h('span', { class: 'hint' }, 'mmHg'),
      ]);
    }
    case 'resident':
      return [
        lab(),
        h(
          'select',
          { id, name: field.name, onchange: onInput((el) => el.value || null) },
          h('option', { value: '' }, '—'),
          residents.map((r) =>
            h(
              'option',
              { value: r.id, selected: r.id === value },
              `${r.name} ${r.birth_date || ''}`,
            ),
          ),
        ),
      ];
    default: {
      const long = !field.max_length || field.max_length > 100;
      return [
        lab(),
        h(long ? 'textarea' : 'input', {
          id,
          name: field.name,
          rows: long ? 3 : null,
          maxlength: field.max_length ?? null,
          value: value ?? '',
          oninput: onInput((el) => el.value),
        }),
      ];
    }
  }
}
