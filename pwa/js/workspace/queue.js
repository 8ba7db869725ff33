// The review queue: records in scope, newest received first, filtered (from the URL; 待审核
// unless the URL says otherwise) and paged, with checkboxes to approve many at once and the
// marks a reviewer must look at on each row. A record opened from here carries the filters in
// its URL, so "back to the queue" and previous / next keep them.
import { request } from '../api.js';
import { pick, t } from '../i18n.js';
import { go } from '../router.js';
import { h, mount } from '../ui.js';
import { errorNotice, errorText, fmt, references, say, statusBadge, toQuery } from './common.js';
import { exportButtons } from './exports.js';
import { apiFilters, filterForm, queueFiltersOf } from './queuefilters.js';

export const PER_PAGE = 20;

function residentCell(item) {
  if (!item.resident) return h('span', { class: 'muted' }, t('queue.activity'));
  return [
    item.resident.name,
    h('br'),
    h('span', { class: 'muted ws-mono' }, item.resident.id_number_masked || ''),
  ];
}

/** The marks of a record (danger values, unusual ranges, big changes), worded for the reviewer. */
export function marksList(marks, id) {
  if (!marks || !marks.length) return null;
  return h(
    'ul',
    { class: 'ws-marks', id },
    marks.map((m) =>
      h(
        'li',
        { class: `ws-mark ${m.kind}`, dataset: { field: m.field, kind: m.kind } },
        h('span', { class: 'ws-mark-kind' }, t(`marks.${m.kind}`)),
        ' ',
        pick(m.message),
      ),
    ),
  );
}

function table(items, selected, onSelect, link) {
  const pendings = items.filter((i) => i.review_status === 'pending');
  const all = h('input', {
    type: 'checkbox',
    id: 'select-all',
    'aria-label': t('queue.select_all'),
    disabled: !pendings.length,
    checked: pendings.length > 0 && pendings.every((i) => selected.has(i.id)),
    onchange: (e) => {
      for (const i of pendings) onSelect(i, e.target.checked, false);
      onSelect(null);
    },
  });
  return h(
    'div',
    { class: 'ws-table-wrap' },
    h(
      'table',
      { class: 'ws-table', id: 'queue-table' },
      h('caption', { class: 'sr-only' }, t('queue.caption')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', class: 'ws-check' }, all),
          [
            'queue.received',
            'queue.visit_date',
            'queue.form',
            'queue.resident',
            'queue.village',
            'queue.assistant',
            'queue.status',
          ].map((k) => h('th', { scope: 'col' }, t(k))),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((item) => {
          const title = `${item.form_title} ${item.resident ? item.resident.name : ''} ${item.visit_date}`;
          return h(
            'tr',
            { dataset: { id: item.id, status: item.review_status } },
            h(
              'td',
              { class: 'ws-check' },
              h('input', {
                type: 'checkbox',
                class: 'row-select',
                'aria-label': t('queue.select', { what: title }),
                disabled: item.review_status !== 'pending',
                checked: selected.has(item.id),
                onchange: (e) => onSelect(item, e.target.checked),
              }),
            ),
            h('td', {}, fmt(item.received_at)),
            h('td', {}, item.visit_date),
            h(
              'th',
              { scope: 'row' },
              h('a', { href: link(item.id), class: 'open-record' }, item.form_title),
              marksList(item.marks),
            ),
            h('td', {}, residentCell(item)),
            h('td', {}, item.village ? item.village.name : ''),
            h('td', {}, item.author ? item.author.full_name || item.author.username : ''),
            h(
              'td',
              {},
              statusBadge(item.review_status),
              item.review_comment && item.review_status !== 'pending'
                ? h('div', { class: 'muted ws-comment' }, item.review_comment)
                : null,
            ),
          );
        }),
      ),
    ),
  );
}

export async function render(root, _params, query) {
  const filters = queueFiltersOf(query);
  const page = Math.max(1, Number(query.page) || 1);
  const apply = (next) => go(`/ws/queue?${toQuery(next)}`);
  const link = (id) => `#/ws/record/${id}?${toQuery({ ...filters, page })}`;
  const outcome = h('div', { id: 'queue-outcome', 'aria-live': 'polite' });
  const body = h('div', {}, h('p', { class: 'muted' }, t('ws.loading')));
  let refs;
  try {
    refs = await references();
  } catch (err) {
    mount(root, h('h1', {}, t('ws.queue')), errorNotice(err));
    return;
  }
  mount(
    root,
    h('h1', {}, t('ws.queue')),
    filterForm(refs, filters, apply),
    h(
      'div',
      { class: 'row ws-exports-inline' },
      exportButtons(() => apiFilters(filters)),
    ),
    outcome,
    body,
  );

  const selected = new Map();
  async function draw() {
    let data;
    try {
      data = await request(
        'GET',
        `/api/review/records?${toQuery({ ...apiFilters(filters), page, per_page: PER_PAGE })}`,
      );
    } catch (err) {
      mount(body, errorNotice(err));
      return;
    }
    const pages = Math.max(1, Math.ceil(data.total / data.per_page));
    const bulk = h(
      'button',
      {
        type: 'button',
        id: 'approve-selected',
        disabled: selected.size === 0,
        onclick: approveSelected,
      },
      t('queue.approve_selected', { n: selected.size }),
    );
    /** Records a (de)selection; `redraw` false defers the checkbox refresh (select all). */
    const onSelect = (item, on, redraw = true) => {
      if (item && on) selected.set(item.id, item.version);
      else if (item) selected.delete(item.id);
      if (!redraw) return;
      bulk.textContent = t('queue.approve_selected', { n: selected.size });
      bulk.disabled = selected.size === 0;
      for (const box of body.querySelectorAll('tr[data-id] .row-select'))
        box.checked = selected.has(box.closest('tr').dataset.id);
      const all = body.querySelector('#select-all');
      const enabled = [...body.querySelectorAll('.row-select:not([disabled])')];
      if (all) all.checked = enabled.length > 0 && enabled.every((b) => b.checked);
    };
    const pager = h(
      'nav',
      { class: 'row ws-pager', 'aria-label': t('queue.total', { total: data.total, page, pages }) },
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          disabled: page <= 1,
          onclick: () => go(`/ws/queue?${toQuery({ ...filters, page: page - 1 })}`),
        },
        t('queue.prev'),
      ),
      h(
        'span',
        { id: 'queue-total', role: 'status' },
        t('queue.total', { total: data.total, page, pages }),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          disabled: page >= pages,
          onclick: () => go(`/ws/queue?${toQuery({ ...filters, page: page + 1 })}`),
        },
        t('queue.next'),
      ),
    );
    mount(
      body,
      h('div', { class: 'row ws-bulk' }, bulk),
      data.items.length
        ? table(data.items, selected, onSelect, link)
        : h('p', { class: 'muted', id: 'queue-empty' }, t('queue.none')),
      pager,
    );
  }

  async function approveSelected() {
    const items = [...selected].map(([id, version]) => ({ id, version }));
    if (!items.length) return;
    try {
      const { results } = await request('POST', '/api/review/records/approve', { items });
      const refused = results.filter((r) => r.status !== 'approved');
      const approved = results.length - refused.length;
      say(
        outcome,
        refused.length ? 'warn' : 'ok',
        t('queue.approved_n', { n: approved }),
        refused.length
          ? [
              ' ',
              t('queue.refused_n', { n: refused.length }),
              h(
                'ul',
                {},
                refused.map((r) =>
                  h(
                    'li',
                    {},
                    r.code === 'stale_version'
                      ? t('record.stale', { mine: selected.get(r.id) })
                      : r.message,
                  ),
                ),
              ),
            ]
          : null,
      );
    } catch (err) {
      say(outcome, 'bad', errorText(err));
    }
    selected.clear();
    await draw();
  }

  await draw();
}
