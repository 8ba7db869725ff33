// Residents: offline search by name, pinyin, phone or household (never by ID digits).
import { searchResidents } from '../data.js';
import { t } from '../i18n.js';
import { h, mount } from '../ui.js';

export const name = 'residents';

export async function render(root, _params, query) {
  const list = h('ul', { class: 'list', id: 'resident-list', 'aria-live': 'polite' });
  const input = h('input', {
    type: 'search',
    id: 'resident-search',
    value: query.q || '',
    placeholder: t('residents.search_hint'),
    'aria-label': t('residents.search'),
  });
  const show = async () => {
    const found = await searchResidents(input.value);
    mount(
      list,
      found.length
        ? found.map((r) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: `#/residents/${r.id}` },
                h('b', {}, r.name),
                ' ',
                h(
                  'span',
                  { class: 'muted' },
                  `${t(`sex.${r.sex}`)} ${r.birth_date || ''} ${r.phone || ''}`,
                ),
                r.local ? h('span', { class: 'badge waiting' }, t('state.waiting')) : null,
              ),
            ),
          )
        : h('li', {}, h('div', { class: 'item muted' }, t('residents.none'))),
    );
  };
  input.addEventListener('input', show);
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
    list,
  );
  await show();
}
