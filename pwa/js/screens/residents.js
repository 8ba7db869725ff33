// Residents: offline search by name, pinyin, phone or household (never by ID digits). Each result
// says enough to tell two 王建国 apart; the query stays in the address, so back keeps it.
import { findResidents } from '../data.js';
import { residentTags } from '../episodes.js';
import { ageOn, today } from '../formrules.js';
import { t } from '../i18n.js';
import { h, mount } from '../ui.js';
import { tagsText } from './tagtext.js';

export const name = 'residents';
const SHOWN = 50;

function details(r, held) {
  const age = ageOn(r.birth_date, today());
  const home = r.household;
  return [
    [t(`sex.${r.sex}`), age == null ? '' : t('residents.age', { n: age }), r.birth_date || '']
      .filter(Boolean)
      .join(' · '),
    home ? t('residents.home', { head: home.head_name || '', address: home.address || '' }) : '',
    tagsText(held),
  ].filter(Boolean);
}

export async function render(root, _params, query) {
  const list = h('ul', { class: 'list', id: 'resident-list' });
  const count = h('p', { class: 'muted', id: 'resident-count', 'aria-live': 'polite' });
  const input = h('input', {
    type: 'search',
    id: 'resident-search',
    value: query.q || '',
    placeholder: t('residents.search_hint'),
    'aria-label': t('residents.search'),
  });
  const show = async () => {
    const { items, total } = await findResidents(input.value, SHOWN);
    const held = await Promise.all(items.map((r) => residentTags(r)));
    mount(count, total > items.length ? t('residents.more', { shown: items.length, total }) : null);
    mount(
      list,
      items.length
        ? items.map((r, i) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: `#/residents/${r.id}` },
                h('b', {}, r.name),
                r.local ? [' ', h('span', { class: 'badge waiting' }, t('state.waiting'))] : null,
                details(r, held[i]).map((line) => h('div', { class: 'muted' }, line)),
              ),
            ),
          )
        : h('li', {}, h('div', { class: 'item muted' }, t('residents.none'))),
    );
  };
  input.addEventListener('input', () => {
    const q = input.value;
    // In place of the current entry: back from a resident comes back to this very search.
    history.replaceState(
      history.state,
      '',
      q ? `#/residents?q=${encodeURIComponent(q)}` : '#/residents',
    );
    show();
  });
  mount(
    root,
    h('h1', {}, t('residents.title')),
    h(
      'div',
      { class: 'row' },
      h('a', { class: 'button block', href: '#/households/new' }, t('home.register')),
    ),
    h('p'),
    input,
    count,
    list,
  );
  await show();
}
