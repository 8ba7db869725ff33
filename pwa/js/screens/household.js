// Register a household and its residents; online, the server's duplicate check warns first.
import { request } from '../api.js';
import { currentUser } from '../auth.js';
import { today } from '../formrules.js';
import { birthDateOf, idNumberProblem, maskId } from '../idnumber.js';
import { t } from '../i18n.js';
import { queueAll } from '../outbox.js';
import { replaceWith } from '../router.js';
import { del, get, put } from '../db.js';
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

/** Under a field: its message, and the input outlined (aria-invalid) while it is wrong. */
function fieldError(f) {
  const box = h('p', { class: 'error', id: `${f.input.name}-error` });
  f.wrap.append(box);
  return (text) => {
    mount(box, text || null);
    if (text) {
      f.input.setAttribute('aria-invalid', 'true');
      f.input.setAttribute('aria-describedby', box.id);
    } else {
      f.input.removeAttribute('aria-invalid');
      f.input.removeAttribute('aria-describedby');
    }
    return text ? f.input : null;
  };
}

function residentBlock(index, onRemove) {
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

const DRAFT_KEY = 'household:new';

export async function render(root) {
  const user = await currentUser();
  const draft = await get('drafts', DRAFT_KEY);
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
  const sayAddress = fieldError(address);
  const sayHead = fieldError(head);
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
      saveDraft();
    });
    blocks.push(b);
    members.append(b.el);
    return b;
  };
  // Kept on every keystroke, like a service form's draft: leaving the screen loses nothing.
  const saveDraft = () =>
    put('drafts', {
      key: DRAFT_KEY,
      kind: 'household',
      code: 'household',
      address: address.input.value,
      head_name: head.input.value,
      low_income: lowIncome.querySelector('input').checked,
      people: blocks.map((b) => b.read()),
      updated_at: new Date().toISOString(),
    });
  if (draft) {
    address.input.value = draft.address || '';
    head.input.value = draft.head_name || '';
    lowIncome.querySelector('input').checked = Boolean(draft.low_income);
    for (const person of draft.people?.length ? draft.people : [{}]) addMember().fill(person);
  } else addMember();
  let confirmedDuplicates = false;

  const save = async (e) => {
    e.preventDefault();
    const people = blocks.map((b) => b.read());
    const wrong = [
      sayAddress(
        address.input.value.trim()
          ? null
          : t('rule.required_named', { field: t('household.address') }),
      ),
      sayHead(
        head.input.value.trim()
          ? null
          : t('rule.required_named', { field: t('household.head_name') }),
      ),
      ...blocks.map((b, i) => b.check(people[i])),
    ].find(Boolean);
    for (const b of blocks) mount(b.dupes);
    if (wrong) {
      mount(status, notice('bad', t('form.fix_errors')));
      wrong.scrollIntoView({ block: 'center' });
      wrong.focus({ preventScroll: true });
      return;
    }
    mount(status);
    if (!confirmedDuplicates) {
      const found = [];
      for (const [i, p] of people.entries())
        for (const d of await findDuplicates(p)) found.push({ i, d });
      if (found.length) {
        confirmedDuplicates = true;
        // At the member it is about, scrolled to: not at the bottom of a long form.
        const first = blocks[found[0].i];
        const warning = notice(
          'warn',
          { id: 'duplicate-warning', tabindex: '-1' },
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
        );
        mount(first.dupes, warning);
        warning.scrollIntoView({ block: 'center' });
        warning.focus({ preventScroll: true });
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
    await queueAll(items, { dropDraft: DRAFT_KEY });
    requestSync();
    replaceWith(`/residents/${items[1].row.id}`, t('household.saved'));
  };

  mount(
    root,
    h('h1', {}, t('household.title')),
    h(
      'form',
      {
        id: 'household-form',
        onsubmit: save,
        novalidate: true,
        oninput: saveDraft,
        onchange: saveDraft,
      },
      h('div', { class: 'card' }, address.wrap, head.wrap, lowIncome),
      members,
      h(
        'button',
        {
          type: 'button',
          class: 'secondary block',
          onclick: () => {
            addMember();
            saveDraft();
          },
        },
        t('household.add_member'),
      ),
      h('p'),
      status,
      h('button', { type: 'submit', class: 'block' }, t('household.save')),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary block',
          id: 'household-discard',
          onclick: async () => {
            await del('drafts', DRAFT_KEY);
            history.back();
          },
        },
        t('form.discard'),
      ),
    ),
  );
}
