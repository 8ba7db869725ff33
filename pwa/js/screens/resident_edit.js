// Edit a resident on the phone: name, sex, birth date, phone and the tags people know. Saved
// offline with only the changed fields, so the server merges them field by field with any
// change made meanwhile (a field changed on both sides is kept as a conflict for review).
import { resident } from '../data.js';
import { t } from '../i18n.js';
import { queue } from '../outbox.js';
import { go } from '../router.js';
import { requestSync } from '../scheduler.js';
import { h, mount, notice } from '../ui.js';
import { residentFields } from './residentform.js';

export const name = 'resident-edit';
export const isForm = true;

/** The fields of `after` that differ from `before` (tags compared as sets). */
export function changedFields(before, after) {
  const patch = {};
  for (const [key, value] of Object.entries(after)) {
    const old = before[key] ?? (key === 'tags' ? [] : key === 'phone' ? '' : null);
    const same =
      key === 'tags'
        ? JSON.stringify([...old].sort()) === JSON.stringify([...value].sort())
        : old === value;
    if (!same) patch[key] = key === 'phone' && value === '' ? null : value;
  }
  return patch;
}

export async function render(root, { id }) {
  const r = await resident(id);
  if (!r) {
    mount(root, notice('bad', t('error.not_found')));
    return;
  }
  const form = residentFields(r);
  const status = h('div', { 'aria-live': 'polite' });
  const save = async (e) => {
    e.preventDefault();
    const v = form.read();
    if (!form.check(v)) {
      mount(status, notice('bad', t('form.fix_errors')));
      return;
    }
    const { id_number: _unused, ...values } = v;
    const patch = changedFields(r, values);
    if (Object.keys(patch).length) {
      await queue('resident', 'update', { ...r, ...patch }, patch);
      requestSync();
    }
    go(`/residents/${id}`);
  };
  mount(
    root,
    h('h1', {}, t('register.edit_title', { name: r.name })),
    h(
      'form',
      { id: 'resident-edit-form', novalidate: true, onsubmit: save },
      form.el,
      status,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'block' }, t('register.save')),
        h(
          'a',
          { class: 'button secondary block', href: `#/residents/${id}` },
          t('register.cancel'),
        ),
      ),
    ),
  );
}
