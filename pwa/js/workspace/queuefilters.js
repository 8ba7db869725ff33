// The filter form over review records, shared by the queue and the exports page; the filters
// live in the URL query. The queue opens on 待审核: no `status` in its URL means pending, and
// `status=all` means every status (the API's "no status filter").
import { t } from '../i18n.js';
import { h } from '../ui.js';
import { formTitle, inputField, selectField } from './common.js';

export const FILTERS = ['village_id', 'author_id', 'form_code', 'date_from', 'date_to', 'status'];
const STATUSES = ['pending', 'approved', 'returned', 'rejected'];

/** The filter part of a query object, empty values left out. */
export function filtersOf(query) {
  return Object.fromEntries(FILTERS.filter((k) => query[k]).map((k) => [k, query[k]]));
}

/** The queue's filters from its URL: pending unless the URL names a status (or `all`). */
export function queueFiltersOf(query) {
  return { ...filtersOf(query), status: query.status || 'pending' };
}

/** Filters as the API takes them (`all` is no status filter). */
export function apiFilters(filters) {
  const out = { ...filters };
  if (out.status === 'all') delete out.status;
  return out;
}

/** The filter form; `onApply(filters)` gets the chosen values. */
export function filterForm(refs, filters, onApply) {
  const form = h(
    'form',
    {
      class: 'ws-filters card',
      'aria-label': t('filter.title'),
      onsubmit: (e) => {
        e.preventDefault();
        const data = new FormData(form);
        onApply(Object.fromEntries(FILTERS.map((k) => [k, data.get(k) || ''])));
      },
    },
    selectField(
      'f-village_id',
      t('filter.village'),
      refs.villages.map((v) => [v.id, v.name]),
      filters.village_id,
    ),
    selectField(
      'f-author_id',
      t('filter.assistant'),
      refs.assistants.map((u) => [u.id, u.full_name || u.username]),
      filters.author_id,
    ),
    selectField(
      'f-form_code',
      t('filter.form'),
      refs.forms.map((f) => [f.code, formTitle(refs.forms, f.code)]),
      filters.form_code,
    ),
    inputField('f-date_from', t('filter.date_from'), {
      type: 'date',
      name: 'date_from',
      value: filters.date_from || '',
    }),
    inputField('f-date_to', t('filter.date_to'), {
      type: 'date',
      name: 'date_to',
      value: filters.date_to || '',
    }),
    selectField(
      'f-status',
      t('filter.status'),
      STATUSES.map((s) => [s, t(`status.${s}`)]),
      filters.status,
      null,
      'status',
      [['all', t('status.any')]],
    ),
    h(
      'div',
      { class: 'ws-filter-actions' },
      h('button', { type: 'submit', id: 'apply-filters' }, t('filter.apply')),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => onApply({}) },
        t('filter.clear'),
      ),
    ),
  );
  return form;
}
