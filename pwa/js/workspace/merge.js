// Duplicate residents: search, choose the resident to keep, see the county's possible duplicates
// of it (same ID number, or same name and birth date) and merge one in; services move over.
import { request } from '../api.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { h, mount, notice } from '../ui.js';
import { errorNotice, errorText, toQuery } from './common.js';

const who = (r) => `${r.name}（${r.birth_date || ''}${r.village ? ` · ${r.village.name}` : ''}）`;

function residentRow(r, action) {
  return h(
    'li',
    { class: 'ws-resident', dataset: { id: r.id } },
    h(
      'div',
      {},
      h('b', {}, r.name),
      ' ',
      r.sex ? t(`sex.${r.sex}`) : '',
      ' · ',
      r.birth_date || '',
      ' · ',
      r.village ? r.village.name : '',
      ' · ',
      h('span', { class: 'ws-mono' }, r.id_number_masked || ''),
    ),
    action,
  );
}

async function candidates(keep) {
  const { matches } = await request('POST', '/api/residents/duplicates', { like_id: keep.id });
  return matches;
}

async function showCandidates(box, keep) {
  mount(box, h('p', { class: 'muted' }, t('ws.loading')));
  let found;
  try {
    found = await candidates(keep);
  } catch (err) {
    mount(box, errorNotice(err));
    return;
  }
  const outcome = h('div', { 'aria-live': 'polite', id: 'merge-outcome' });
  mount(
    box,
    h('h2', { id: 'kept-h' }, t('merge.kept')),
    h('p', { id: 'kept' }, h('b', {}, who(keep))),
    h('h2', {}, t('merge.candidates')),
    found.length
      ? h(
          'ul',
          { class: 'list', id: 'merge-candidates' },
          found.map((m) =>
            m.in_scope
              ? residentRow(
                  m,
                  h(
                    'div',
                    { class: 'row' },
                    h('span', { class: 'badge' }, t(`merge.reason.${m.reason}`)),
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'danger',
                        onclick: async () => {
                          if (!window.confirm(t('merge.confirm', { dup: who(m), keep: who(keep) })))
                            return;
                          try {
                            const answer = await request(
                              'POST',
                              `/api/residents/${keep.id}/merge`,
                              { duplicate_id: m.id },
                            );
                            await showCandidates(box, keep);
                            box
                              .querySelector('#merge-outcome')
                              .replaceChildren(
                                notice(
                                  'ok',
                                  t('merge.done', { n: answer.moved_record_ids.length }),
                                ),
                              );
                          } catch (err) {
                            outcome.replaceChildren(notice('bad', errorText(err)));
                          }
                        },
                      },
                      t('merge.merge'),
                    ),
                  ),
                )
              : h(
                  'li',
                  { class: 'item muted' },
                  t('merge.out_of_scope', { village: m.village ? m.village.name : '' }),
                  ' · ',
                  t(`merge.reason.${m.reason}`),
                ),
          ),
        )
      : h('p', { class: 'muted' }, t('merge.none')),
    outcome,
  );
}

export async function render(root, _params, query) {
  const q = query.q || '';
  const search = h(
    'form',
    {
      class: 'row ws-search',
      role: 'search',
      onsubmit: (e) => {
        e.preventDefault();
        go(`/ws/merge?${toQuery({ q: search.elements.q.value.trim() })}`);
      },
    },
    h('label', { for: 'merge-q' }, t('merge.search')),
    h('input', {
      id: 'merge-q',
      name: 'q',
      type: 'search',
      value: q,
      'aria-describedby': 'merge-q-hint',
    }),
    h('span', { id: 'merge-q-hint', class: 'hint' }, t('merge.search_hint')),
    h('button', { type: 'submit' }, t('merge.find')),
  );
  const results = h('div', {});
  const chosen = h('div', { id: 'merge-chosen' });
  mount(
    root,
    h('h1', {}, t('merge.title')),
    h('p', {}, t('merge.intro')),
    search,
    h('div', { class: 'ws-split' }, results, chosen),
  );
  if (!q) return;
  let page;
  try {
    page = await request('POST', '/api/residents/search', { q, per_page: 50 }); // numbers stay out of URLs
  } catch (err) {
    mount(results, errorNotice(err));
    return;
  }
  mount(
    results,
    page.items.length
      ? h(
          'ul',
          { class: 'list', id: 'merge-results' },
          page.items.map((r) =>
            residentRow(
              r,
              h(
                'button',
                { type: 'button', class: 'secondary', onclick: () => showCandidates(chosen, r) },
                t('merge.keep'),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('merge.no_results')),
  );
}
