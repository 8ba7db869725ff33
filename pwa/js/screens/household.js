// Register a household and its residents; online, the server's duplicate check warns first.
import { request } from '../api.js';
import { currentUser } from '../auth.js';
import { maskId } from '../idnumber.js';
import { t } from '../i18n.js';
import { queueAll } from '../outbox.js';
import { replaceWith } from '../router.js';
import { del, get, put } from '../db.js';
import { requestSync } from '../scheduler.js';
import { h, mount, notice, field, fieldError } from '../ui.js';
import { residentBlock } from './residentfields.js';

export const name = 'household';
export const isForm = true;

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
