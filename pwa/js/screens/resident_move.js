// Move a resident to another household of the same village (the server refuses any other village
// with `household_elsewhere`; a supervisor moves people between villages).
import { getAll } from '../db.js';
import { household as getHousehold, resident } from '../data.js';
import { t } from '../i18n.js';
import { queue } from '../outbox.js';
import { go } from '../router.js';
import { requestSync } from '../scheduler.js';
import { h, mount, notice } from '../ui.js';

export const name = 'resident-move';
export const isForm = true;

export async function render(root, { id }) {
  const r = await resident(id);
  if (!r) {
    mount(root, notice('bad', t('error.not_found')));
    return;
  }
  const current = await getHousehold(r.household_id);
  const village = current?.village_id ?? r.village_id;
  const homes = (await getAll('households'))
    .filter(
      (home) => home.id !== r.household_id && (village == null || home.village_id === village),
    )
    .sort((a, b) => (a.address || '').localeCompare(b.address || '', 'zh-CN'));
  const status = h('div', { 'aria-live': 'polite' });
  const filter = h('input', {
    type: 'search',
    id: 'move-search',
    placeholder: t('register.move_search'),
    'aria-label': t('register.move_search'),
  });
  const list = h('div', { id: 'move-choices' });
  const show = () => {
    const q = filter.value.trim();
    const shown = homes.filter(
      (home) => !q || `${home.head_name || ''}${home.address || ''}`.includes(q),
    );
    mount(
      list,
      shown.length
        ? shown.map((home) =>
            h(
              'label',
              { class: 'choice' },
              h('input', { type: 'radio', name: 'household', value: home.id }),
              `${home.head_name || ''} · ${home.address || ''}`,
            ),
          )
        : h('p', { class: 'muted' }, t('register.move_none')),
    );
  };
  filter.addEventListener('input', show);
  show();
  const save = async (e) => {
    e.preventDefault();
    const chosen = list.querySelector('input:checked')?.value;
    if (!chosen) {
      mount(status, notice('bad', t('register.move_choose')));
      return;
    }
    const home = homes.find((x) => x.id === chosen);
    const patch = { household_id: chosen };
    await queue('resident', 'update', { ...r, ...patch, village_id: home.village_id }, patch);
    requestSync();
    go(`/residents/${id}`);
  };
  mount(
    root,
    h('h1', {}, t('register.move_title', { name: r.name })),
    h(
      'p',
      { class: 'muted' },
      t('register.move_from', {
        household: current ? `${current.head_name} · ${current.address}` : '—',
      }),
    ),
    h(
      'form',
      { id: 'resident-move-form', novalidate: true, onsubmit: save },
      h('fieldset', { class: 'card' }, h('legend', {}, t('register.move_to')), filter, list),
      status,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'block' }, t('register.move_save')),
        h(
          'a',
          { class: 'button secondary block', href: `#/residents/${id}` },
          t('register.cancel'),
        ),
      ),
    ),
  );
}
