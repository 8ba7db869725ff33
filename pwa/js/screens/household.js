// Register a household and its residents; online, the server's duplicate check warns first.
import { request } from '../api.js';
import { currentUser } from '../auth.js';
import { today } from '../formrules.js';
import { birthDateOf, idNumberProblem, maskId } from '../idnumber.js';
import { t } from '../i18n.js';
import { queueAll } from '../outbox.js';
import { go } from '../router.js';
import { requestSync } from '../scheduler.js';
import { h, mount, notice, field } from '../ui.js';

export const name = 'household';
export const isForm = true;

const TAGS = [
  'pregnant',
  'postpartum',
  'hypertension',
  'diabetes',
  'severe_mental_disorder',
  'tuberculosis',
  'low_income',
];

function residentBlock(index, onRemove) {
  const f = {
    name: field(t('resident.name'), { name: `name-${index}`, required: true, maxlength: 50 }),
    sex: field(t('resident.sex'), { tag: 'select', name: `sex-${index}` }),
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
  f.sex.input.append(
    h('option', { value: 'F' }, t('sex.F')),
    h('option', { value: 'M' }, t('sex.M')),
  );
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
  const errors = h('div', { 'aria-live': 'polite' });
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
    errors,
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
  const check = (v) => {
    const problems = [];
    if (!v.name) problems.push(t('rule.required_named', { field: t('resident.name') }));
    if (!v.birth_date) problems.push(t('rule.required_named', { field: t('resident.birth_date') }));
    else if (v.birth_date > today()) problems.push(t('rule.future'));
    if (v.id_number) {
      const p = idNumberProblem(v.id_number);
      if (p) problems.push(t(`rule.${p}`));
      else if (birthDateOf(v.id_number) !== v.birth_date)
        problems.push(t('rule.id_birth_mismatch'));
    }
    mount(
      errors,
      problems.map((p) => h('p', { class: 'error' }, p)),
    );
    return problems.length === 0;
  };
  return { el, read, check, errors };
}

async function findDuplicates(person) {
  if (!navigator.onLine) return [];
  try {
    const answer = await request('POST', '/api/residents/duplicates', {
      name: person.name,
      birth_date: person.birth_date,
      ...(person.id_number ? { id_number: person.id_number } : {}),
    });
    return (answer && (answer.duplicates || answer.matches || answer.residents)) || [];
  } catch (_) {
    return []; // the check is a courtesy; the next sync reports duplicates too
  }
}

export async function render(root) {
  const user = await currentUser();
  const address = field(t('household.address'), {
    name: 'address',
    required: true,
    maxlength: 200,
  });
  const head = field(t('household.head_name'), {
    name: 'head_name',
    required: true,
    maxlength: 50,
  });
  const lowIncome = h(
    'label',
    { class: 'choice' },
    h('input', { type: 'checkbox', name: 'low_income' }),
    t('household.low_income'),
  );
  const blocks = [];
  const members = h('div');
  const status = h('div', { 'aria-live': 'polite' });
  const addMember = () => {
    const b = residentBlock(blocks.length, () => {
      blocks.splice(blocks.indexOf(b), 1);
      b.el.remove();
    });
    blocks.push(b);
    members.append(b.el);
  };
  addMember();
  let confirmedDuplicates = false;

  const save = async (e) => {
    e.preventDefault();
    const people = blocks.map((b) => b.read());
    const okHousehold = address.input.value.trim() && head.input.value.trim();
    const okPeople = blocks.map((b, i) => b.check(people[i])).every(Boolean);
    if (!okHousehold || !okPeople) {
      mount(status, notice('bad', t('form.fix_errors')));
      return;
    }
    if (!confirmedDuplicates) {
      const found = [];
      for (const p of people) for (const d of await findDuplicates(p)) found.push({ p, d });
      if (found.length) {
        confirmedDuplicates = true;
        mount(
          status,
          notice(
            'warn',
            h('p', {}, t('household.duplicates')),
            h(
              'ul',
              { id: 'duplicates' },
              found.map(({ d }) =>
                h(
                  'li',
                  {},
                  d.in_scope && d.id
                    ? h(
                        'a',
                        { href: `#/residents/${d.id}` },
                        `${d.name} ${d.birth_date || ''} ${d.id_number_masked || ''}`,
                      )
                    : t('household.duplicate_elsewhere', {
                        village: d.village ? d.village.name : '',
                      }),
                ),
              ),
            ),
            h('p', {}, t('household.duplicates_continue')),
          ),
        );
        return;
      }
    }
    const now = new Date().toISOString();
    const villageId = user?.org_unit ? user.org_unit.id : null;
    const hh = {
      id: crypto.randomUUID(),
      address: address.input.value.trim(),
      head_name: head.input.value.trim(),
      low_income: lowIncome.querySelector('input').checked,
    };
    // Checked online before saving: the sync does not check these residents again.
    confirmedDuplicates = confirmedDuplicates || navigator.onLine;
    const items = [
      {
        entity: 'household',
        op: 'create',
        row: { ...hh, village_id: villageId, created_at: now },
        data: { address: hh.address, head_name: hh.head_name, low_income: hh.low_income },
      },
    ];
    for (const p of people) {
      const id = crypto.randomUUID();
      const data = {
        household_id: hh.id,
        name: p.name,
        sex: p.sex,
        birth_date: p.birth_date,
        phone: p.phone || null,
        tags: p.tags,
      };
      if (p.id_number) data.id_number = p.id_number;
      const row = {
        ...data,
        id,
        village_id: villageId,
        id_number_masked: maskId(p.id_number),
        created_at: now,
      };
      delete row.id_number;
      items.push({ entity: 'resident', op: 'create', row, data, checked: confirmedDuplicates });
    }
    await queueAll(items);
    requestSync();
    go(`/residents/${items[1].row.id}`);
  };

  mount(
    root,
    h('h1', {}, t('household.title')),
    h(
      'form',
      { id: 'household-form', onsubmit: save, novalidate: true },
      h('div', { class: 'card' }, address.wrap, head.wrap, lowIncome),
      members,
      h(
        'button',
        { type: 'button', class: 'secondary block', onclick: addMember },
        t('household.add_member'),
      ),
      h('p'),
      status,
      h('button', { type: 'submit', class: 'block' }, t('household.save')),
    ),
  );
}
