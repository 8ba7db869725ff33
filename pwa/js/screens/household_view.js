// One household: its address and head, every member linked (ended records marked), "add family
// member", and editing the household itself (offline, merged field by field on the server).
import { household, householdMembers } from '../data.js';
import { t } from '../i18n.js';
import { queue } from '../outbox.js';
import { go } from '../router.js';
import { requestSync } from '../scheduler.js';
import { field, h, mount, notice } from '../ui.js';
import { endedText, memberLine } from './resident_links.js';

export const name = 'household-view';

const byBirth = (a, b) => (a.birth_date || '').localeCompare(b.birth_date || '');

export async function render(root, { id }) {
  const home = await household(id);
  if (!home) {
    mount(root, notice('bad', t('error.not_found')));
    return;
  }
  const members = (await householdMembers(id)).sort(byBirth);
  mount(
    root,
    h('h1', {}, t('register.household_title', { head: home.head_name || '' })),
    h(
      'div',
      { class: 'card' },
      h(
        'dl',
        { class: 'summary' },
        h('dt', {}, t('household.address')),
        h('dd', { id: 'household-address' }, home.address || '—'),
        h('dt', {}, t('household.head_name')),
        h('dd', {}, home.head_name || '—'),
        h('dt', {}, t('household.low_income')),
        h('dd', {}, home.low_income ? t('form.yes') : t('form.no')),
      ),
      h(
        'a',
        { class: 'button secondary block', id: 'edit-household', href: `#/households/${id}/edit` },
        t('register.edit_household'),
      ),
    ),
    h('h2', {}, t('register.members', { n: members.length })),
    h(
      'ul',
      { class: 'list', id: 'household-members' },
      members.map((m) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `#/residents/${m.id}` },
            memberLine(m),
            m.ended_on ? h('span', { class: 'badge ended' }, endedText(m)) : null,
            m.local ? h('span', { class: 'badge waiting' }, t('state.waiting')) : null,
          ),
        ),
      ),
    ),
    h(
      'a',
      { class: 'button block', id: 'add-member', href: `#/households/${id}/member` },
      t('register.add_member'),
    ),
  );
}

/** Editing the household: address, head, low income. */
export const edit = {
  name: 'household-edit',
  isForm: true,
  async render(root, { id }) {
    const home = await household(id);
    if (!home) {
      mount(root, notice('bad', t('error.not_found')));
      return;
    }
    const address = field(t('household.address'), {
      name: 'address',
      required: true,
      maxlength: 200,
      value: home.address || '',
    });
    const head = field(t('household.head_name'), {
      name: 'head_name',
      required: true,
      maxlength: 50,
      value: home.head_name || '',
    });
    const low = h('input', {
      type: 'checkbox',
      name: 'low_income',
      checked: Boolean(home.low_income),
    });
    const boxes = [address, head].map((f) => {
      const box = h('div', { class: 'errors', 'aria-live': 'polite' });
      f.wrap.append(box);
      return box;
    });
    const status = h('div', { 'aria-live': 'polite' });
    const save = async (e) => {
      e.preventDefault();
      const values = {
        address: address.input.value.trim(),
        head_name: head.input.value.trim(),
        low_income: low.checked,
      };
      const missing = [
        [values.address, t('household.address')],
        [values.head_name, t('household.head_name')],
      ].map(([v, label]) => (v ? null : t('rule.required_named', { field: label })));
      for (const [i, m] of missing.entries()) {
        mount(boxes[i], m ? h('p', { class: 'error' }, m) : null);
      }
      if (missing.some(Boolean)) {
        mount(status, notice('bad', t('form.fix_errors')));
        return;
      }
      const patch = Object.fromEntries(
        Object.entries(values).filter(([k, v]) => (home[k] ?? '') !== v),
      );
      if (Object.keys(patch).length) {
        await queue('household', 'update', { ...home, ...patch }, patch);
        requestSync();
      }
      go(`/households/${id}`);
    };
    mount(
      root,
      h('h1', {}, t('register.edit_household')),
      h(
        'form',
        { id: 'household-edit-form', novalidate: true, onsubmit: save },
        h(
          'div',
          { class: 'card' },
          address.wrap,
          head.wrap,
          h('label', { class: 'choice' }, low, t('household.low_income')),
        ),
        status,
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'submit', class: 'block' }, t('register.save')),
          h(
            'a',
            { class: 'button secondary block', href: `#/households/${id}` },
            t('register.cancel'),
          ),
        ),
      ),
    );
  },
};
