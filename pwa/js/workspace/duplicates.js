// Suspected duplicate residents as a work-list: each pair side by side (village, address,
// household head, phone, tags, number of services), with why it was suspected and when it was
// found. The supervisor keeps one and merges the other in (audited, irreversible, confirmed
// first), or says "not the same person", which the server remembers for good.
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, mount, notice } from '../ui.js';
import { errorNotice, errorText, fmt } from './common.js';

const who = (s) => `${s.name}（${s.birth_date || ''} · ${s.village ? s.village.name : ''}）`;
const tagText = (tags) => (tags?.length ? tags.map((x) => t(`tag.${x}`)).join('、') : '—');

function side(s, key) {
  if (!s.in_scope) {
    return h(
      'div',
      { class: 'ws-value ws-dup-side muted', dataset: { side: key } },
      t('dups.out_of_scope', { village: s.village ? s.village.name : '' }),
    );
  }
  const row = (label, value) => [h('dt', {}, label), h('dd', {}, value ?? '—')];
  return h(
    'div',
    { class: 'ws-value ws-dup-side', dataset: { side: key, id: s.id } },
    h('h3', {}, s.name, ' ', h('span', { class: 'muted' }, s.sex ? t(`sex.${s.sex}`) : '')),
    h(
      'dl',
      { class: 'summary' },
      row(t('dups.birth'), s.birth_date),
      row(t('dups.id_number'), h('span', { class: 'ws-mono' }, s.id_number_masked || '—')),
      row(t('dups.village'), s.village?.name),
      row(t('dups.address'), s.address),
      row(t('dups.head'), s.head_name),
      row(t('dups.phone'), s.phone),
      row(t('dups.tags'), tagText(s.tags)),
      row(t('dups.services'), t('dups.services_n', { n: s.services })),
    ),
  );
}

function pairCard(pair, onDone, outcome) {
  const { first, second } = pair;
  const both = first.in_scope && second.in_scope;
  const keepButton = (keep, other) =>
    h(
      'button',
      {
        type: 'button',
        class: 'danger keep',
        dataset: { keep: keep.id },
        'aria-label': t('dups.keep_label', { name: keep.name, village: keep.village?.name || '' }),
        onclick: async () => {
          if (!window.confirm(t('dups.confirm', { dup: who(other), keep: who(keep) }))) return;
          try {
            const answer = await request('POST', `/api/duplicates/${pair.id}/merge`, {
              keep_id: keep.id,
            });
            await onDone(notice('ok', t('dups.merged', { n: answer.moved_record_ids.length })));
          } catch (err) {
            outcome.replaceChildren(notice('bad', errorText(err)));
          }
        },
      },
      t('dups.keep'),
    );
  const names = [first, second].map((s) => (s.in_scope ? s.name : s.village?.name || ''));
  return h(
    'article',
    { class: 'card ws-dup', dataset: { id: pair.id }, 'aria-labelledby': `dup-${pair.id}-h` },
    h(
      'h2',
      { id: `dup-${pair.id}-h` },
      names.join(' / '),
      ' ',
      h(
        'span',
        { class: 'badge', dataset: { reason: pair.reason } },
        t(`dups.reason.${pair.reason}`),
      ),
    ),
    h('p', { class: 'muted' }, t(`dups.found_by.${pair.found_by}`), ' · ', fmt(pair.found_at)),
    h('div', { class: 'ws-side-by-side' }, side(first, 'first'), side(second, 'second')),
    h(
      'div',
      { class: 'row ws-dup-actions' },
      both ? [keepButton(first, second), keepButton(second, first)] : null,
      h(
        'button',
        {
          type: 'button',
          class: 'secondary not-same',
          'aria-label': t('dups.not_same_label', { a: names[0], b: names[1] }),
          onclick: async () => {
            try {
              await request('POST', `/api/duplicates/${pair.id}/dismiss`);
              await onDone(notice('ok', t('dups.dismissed')));
            } catch (err) {
              outcome.replaceChildren(notice('bad', errorText(err)));
            }
          },
        },
        t('dups.not_same'),
      ),
    ),
  );
}

export async function render(root) {
  const outcome = h('div', { id: 'dups-outcome', 'aria-live': 'polite' });
  const list = h('div', { id: 'dup-list' }, h('p', { class: 'muted' }, t('ws.loading')));
  mount(
    root,
    h('h1', {}, t('dups.title')),
    h(
      'p',
      {},
      t('dups.intro'),
      ' ',
      h('a', { href: '#/ws/merge', id: 'dups-search' }, t('dups.search')),
    ),
    outcome,
    list,
  );
  async function draw(message) {
    let data;
    try {
      data = await request('GET', '/api/duplicates?per_page=50');
    } catch (err) {
      mount(list, errorNotice(err));
      return;
    }
    if (message) outcome.replaceChildren(message);
    const count = document.querySelector('#nav-duplicates .ws-count');
    if (count) {
      count.textContent = data.total ? String(data.total) : '';
      count.dataset.count = String(data.total);
      count.hidden = !data.total;
    }
    mount(
      list,
      data.items.length
        ? [
            h('p', { id: 'dups-total', class: 'muted' }, t('dups.total', { n: data.total })),
            data.items.map((pair) => pairCard(pair, draw, outcome)),
          ]
        : h('p', { class: 'muted', id: 'no-dups' }, t('dups.none')),
    );
  }
  await draw();
}
