// The audit trail: who read, changed or exported which personal data, and when (times in China
// Standard Time, as i18n.when shows every time). Supervisors read their township's rows, admins
// their county's; the filters live in the URL query, like the queue's, and the export downloads
// exactly the filtered rows.
import { download, request } from '../api.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { h, mount } from '../ui.js';
import { errorNotice, errorText, fmt, inputField, selectField, toQuery } from './common.js';
import { save } from './exports.js';

export const FILTERS = ['username', 'action', 'entity', 'entity_id', 'from', 'to'];
const PER_PAGE = 50;
// The actions offered in the filter (any other still shows under its code).
export const ACTIONS = [
  'read.id_number',
  'read.resident',
  'read.record',
  'read.household',
  'search.id_number',
  'lookup.duplicates',
  'export.csv',
  'export.xlsx',
  'create',
  'update',
  'delete',
  'approve',
  'return',
  'reject',
  'merge',
  'resolve',
  'reset_password',
  'activate',
  'deactivate',
  'revoke',
  'revoke_after_upload',
  'revoke_and_reset',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'auth.password_changed',
  'auth.refresh_reuse',
  'auth.device_revoked',
];
const ENTITIES = [
  'resident',
  'household',
  'service_record',
  'user',
  'conflict',
  'export',
  'resident_search',
  'duplicate_lookup',
  'device',
  'username',
];

/** A label from the dictionary, or the raw code when there is none. */
const labelled = (prefix, code) => {
  const key = `${prefix}.${code}`;
  const text = t(key);
  return text === key ? code : text;
};
export const actionLabel = (action) => labelled('audit.action', action);

export function filtersOf(query) {
  return Object.fromEntries(FILTERS.filter((k) => query[k]).map((k) => [k, query[k]]));
}

function filterForm(filters, onApply) {
  const actions = [
    ['auth.', t('audit.filter.auth')],
    ['read.', t('audit.filter.reads')],
    ...ACTIONS.map((a) => [a, actionLabel(a)]),
  ];
  const form = h(
    'form',
    {
      class: 'ws-filters card',
      id: 'audit-filters',
      'aria-label': t('audit.filter.title'),
      onsubmit: (e) => {
        e.preventDefault();
        const data = new FormData(form);
        onApply(Object.fromEntries(FILTERS.map((k) => [k, (data.get(k) || '').trim()])));
      },
    },
    inputField('f-username', t('audit.filter.who'), {
      name: 'username',
      value: filters.username || '',
      autocomplete: 'off',
      maxlength: 64,
    }),
    selectField(
      'f-action',
      t('audit.filter.action'),
      actions,
      filters.action,
      t('audit.filter.any_action'),
    ),
    selectField(
      'f-entity',
      t('audit.filter.entity'),
      ENTITIES.map((e) => [e, labelled('audit.entity', e)]),
      filters.entity,
    ),
    inputField('f-entity_id', t('audit.filter.entity_id'), {
      name: 'entity_id',
      value: filters.entity_id || '',
      autocomplete: 'off',
      maxlength: 64,
    }),
    inputField('f-from', t('audit.filter.from'), {
      type: 'date',
      name: 'from',
      value: filters.from || '',
    }),
    inputField('f-to', t('audit.filter.to'), { type: 'date', name: 'to', value: filters.to || '' }),
    h(
      'div',
      { class: 'ws-filter-actions' },
      h('button', { type: 'submit', id: 'apply-audit-filters' }, t('filter.apply')),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => onApply({}) },
        t('filter.clear'),
      ),
    ),
  );
  return form;
}

/** A short line about what the row holds: rows exported, the masked number, the comment. */
export function details(entry) {
  const after = entry.after || {};
  const parts = [];
  if (typeof after.rows === 'number') parts.push(t('audit.rows', { n: after.rows }));
  if (after.id_number) parts.push(after.id_number);
  if (typeof after.matches === 'number') parts.push(`= ${after.matches}`);
  if (entry.comment) parts.push(entry.comment);
  return parts.join(' · ');
}

function table(items) {
  return h(
    'div',
    { class: 'ws-table-wrap' },
    h(
      'table',
      { class: 'ws-table', id: 'audit-table' },
      h('caption', { class: 'sr-only' }, t('audit.caption')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            'audit.col.at',
            'audit.col.who',
            'audit.col.action',
            'audit.col.object',
            'audit.col.details',
          ].map((k) => h('th', { scope: 'col' }, t(k))),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((e) =>
          h(
            'tr',
            { 'data-id': String(e.id), 'data-action': e.action },
            h('th', { scope: 'row' }, h('time', { datetime: e.at }, fmt(e.at))),
            h(
              'td',
              {},
              e.actor ? e.actor.full_name || e.actor.username : t('audit.nobody'),
              e.actor?.full_name ? h('span', { class: 'muted' }, ` ${e.actor.username}`) : null,
            ),
            h('td', { class: 'audit-action' }, actionLabel(e.action)),
            h('td', {}, `${labelled('audit.entity', e.entity)} ${e.entity_id}`),
            h('td', { class: 'audit-details' }, details(e)),
          ),
        ),
      ),
    ),
  );
}

function exportButtons(filters) {
  const status = h('span', { class: 'ws-export-status', 'aria-live': 'polite' });
  const button = (kind) =>
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        id: `audit-export-${kind}`,
        onclick: async (e) => {
          const btn = e.currentTarget;
          btn.disabled = true;
          status.textContent = t('exports.busy');
          try {
            const { blob, name } = await download(`/api/audit/export.${kind}?${toQuery(filters)}`);
            save(blob, name);
            status.textContent = t('exports.done', { name });
          } catch (err) {
            status.textContent = errorText(err);
          } finally {
            btn.disabled = false;
          }
        },
      },
      t(`audit.export_${kind}`),
    );
  return [button('csv'), button('xlsx'), status];
}

function pager(data, page, filters) {
  const pages = Math.max(1, Math.ceil(data.total / data.per_page));
  const total = t('audit.total', { total: data.total, page, pages });
  const to = (p) => () => go(`/ws/audit?${toQuery({ ...filters, page: p })}`);
  return h(
    'nav',
    { class: 'row ws-pager', 'aria-label': total },
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        id: 'audit-prev',
        disabled: page <= 1,
        onclick: to(page - 1),
      },
      t('queue.prev'),
    ),
    h('span', { id: 'audit-total', role: 'status' }, total),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        id: 'audit-next',
        disabled: page >= pages,
        onclick: to(page + 1),
      },
      t('queue.next'),
    ),
  );
}

export async function render(root, _params, query) {
  const filters = filtersOf(query);
  const page = Math.max(1, Number(query.page) || 1);
  const body = h('div', {}, h('p', { class: 'muted' }, t('ws.loading')));
  mount(
    root,
    h('h1', {}, t('ws.audit')),
    h('p', {}, t('audit.intro')),
    filterForm(filters, (next) => go(`/ws/audit?${toQuery(next)}`)),
    h('div', { class: 'row ws-exports-inline' }, exportButtons(filters)),
    body,
  );
  let data;
  try {
    data = await request('GET', `/api/audit?${toQuery({ ...filters, page, per_page: PER_PAGE })}`);
  } catch (err) {
    mount(body, errorNotice(err));
    return;
  }
  mount(
    body,
    data.items.length
      ? table(data.items)
      : h('p', { class: 'muted', id: 'audit-empty' }, t('audit.none')),
    pager(data, page, filters),
  );
}
