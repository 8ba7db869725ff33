// The inputs of one resident on the household form: each error under its field, no default sex.
import { today } from '../formrules.js';
import { birthDateOf, idNumberProblem } from '../idnumber.js';
import { t } from '../i18n.js';
import { field, fieldError, h } from '../ui.js';

const TAGS = [
  'pregnant',
  'postpartum',
  'hypertension',
  'diabetes',
  'severe_mental_disorder',
  'tuberculosis',
  'low_income',
];

export function residentBlock(index, onRemove) {
  const f = {
    name: field(t('resident.name'), { name: `name-${index}`, required: true, maxlength: 50 }),
    sex: field(t('resident.sex'), { tag: 'select', name: `sex-${index}`, required: true }),
    birth: field(t('resident.birth_date'), { name: `birth-${index}`, type: 'date', max: today() }),
    id: field(
      t('resident.id_number'),
      { name: `id-${index}`, inputmode: 'text', maxlength: 18, autocomplete: 'off' },
      t('resident.id_optional'),
    ),
    phone: field(t('resident.phone'), {
      name: `phone-${index}`,
      type: 'tel',
      inputmode: 'numeric',
      maxlength: 20,
    }),
  };
  // No default: a silent 女 made men into women; the assistant chooses every time.
  f.sex.input.append(
    h('option', { value: '' }, t('resident.sex_choose')),
    h('option', { value: 'F' }, t('sex.F')),
    h('option', { value: 'M' }, t('sex.M')),
  );
  const say = {
    name: fieldError(f.name),
    sex: fieldError(f.sex),
    birth: fieldError(f.birth),
    id: fieldError(f.id),
  };
  f.id.input.addEventListener('change', () => {
    const v = f.id.input.value.trim().toUpperCase();
    if (v && !idNumberProblem(v) && !f.birth.input.value) f.birth.input.value = birthDateOf(v);
  });
  const tags = TAGS.map((tag) =>
    h(
      'label',
      { class: 'choice' },
      h('input', { type: 'checkbox', value: tag, name: `tags-${index}` }),
      t(`tag.${tag}`),
    ),
  );
  const dupes = h('div', { class: 'duplicates-slot' });
  const el = h(
    'fieldset',
    { class: 'resident-block' },
    h('legend', {}, t('household.member', { n: index + 1 })),
    f.name.wrap,
    f.sex.wrap,
    f.birth.wrap,
    f.id.wrap,
    f.phone.wrap,
    h('fieldset', {}, h('legend', {}, t('resident.tags')), tags),
    dupes,
    index > 0
      ? h(
          'button',
          { type: 'button', class: 'secondary', onclick: onRemove },
          t('household.remove_member'),
        )
      : null,
  );
  const read = () => ({
    name: f.name.input.value.trim(),
    sex: f.sex.input.value,
    birth_date: f.birth.input.value,
    id_number: f.id.input.value.trim().toUpperCase(),
    phone: f.phone.input.value.trim(),
    tags: [...el.querySelectorAll(`input[name="tags-${index}"]:checked`)].map((c) => c.value),
  });
  /** Puts a draft's answers back (values as typed, tags as checked). */
  const fill = (v) => {
    f.name.input.value = v.name || '';
    f.sex.input.value = v.sex || '';
    f.birth.input.value = v.birth_date || '';
    f.id.input.value = v.id_number || '';
    f.phone.input.value = v.phone || '';
    for (const box of el.querySelectorAll(`input[name="tags-${index}"]`))
      box.checked = (v.tags || []).includes(box.value);
  };
  /** Every problem of this member at its field; the first input in error, or null. */
  const check = (v) => {
    const wrong = [
      say.name(v.name ? null : t('rule.required_named', { field: t('resident.name') })),
      say.sex(v.sex ? null : t('rule.choose_named', { field: t('resident.sex') })),
      say.birth(
        !v.birth_date
          ? t('rule.required_named', { field: t('resident.birth_date') })
          : v.birth_date > today()
            ? t('rule.future')
            : null,
      ),
      say.id(idProblem(v)),
    ];
    return wrong.find(Boolean) || null;
  };
  return { el, read, fill, check, dupes };
}

function idProblem(v) {
  if (!v.id_number) return null;
  const p = idNumberProblem(v.id_number);
  if (p) return t(`rule.${p}`);
  return birthDateOf(v.id_number) !== v.birth_date ? t('rule.id_birth_mismatch') : null;
}
