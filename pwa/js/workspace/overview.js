// The month at a glance for the caller's area: services by form and by village (tables and
// inline SVG charts), records per assistant, the review backlog and who has gone silent.
import { request } from '../api.js';
import { today } from '../formrules.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { h, mount } from '../ui.js';
import { barChart } from './chart.js';
import { days, errorNotice, fmt } from './common.js';

/** The China month of `now`: month boundaries are China dates, as on the server. */
export const thisMonth = (now = new Date()) => today(now).slice(0, 7);

function countTable(id, caption, nameHeader, rows) {
  return h(
    'div',
    { class: 'ws-table-wrap' },
    h(
      'table',
      { class: 'ws-table', id },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, nameHeader),
          h('th', { scope: 'col', class: 'num' }, t('overview.count')),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h('tr', {}, h('th', { scope: 'row' }, r.label), h('td', { class: 'num' }, r.value)),
        ),
      ),
    ),
  );
}

function block(id, heading, rows, nameHeader, chartTitle) {
  return h(
    'section',
    { class: 'card ws-block', 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, heading),
    h(
      'div',
      { class: 'ws-split' },
      countTable(`${id}-table`, heading, nameHeader, rows),
      barChart(rows, chartTitle, { id: `${id}-chart` }),
    ),
  );
}

export async function render(root, _params, query) {
  const month = /^\d{4}-\d{2}$/.test(query.month || '') ? query.month : thisMonth();
  const form = h(
    'form',
    {
      class: 'row ws-month',
      onsubmit: (e) => {
        e.preventDefault();
        go(`/ws/overview?month=${encodeURIComponent(form.elements.month.value || thisMonth())}`);
      },
    },
    h('label', { for: 'ov-month' }, t('overview.month')),
    h('input', { id: 'ov-month', name: 'month', type: 'month', value: month }),
    h('button', { type: 'submit', id: 'ov-show' }, t('overview.show')),
  );
  const body = h('div', {}, h('p', { class: 'muted' }, t('ws.loading')));
  mount(root, h('h1', {}, t('overview.title')), form, body);

  let o;
  try {
    o = await request('GET', `/api/overview?month=${month}`);
  } catch (err) {
    mount(body, errorNotice(err));
    return;
  }
  const byForm = o.services.by_form.map((r) => ({ label: r.title || r.form_code, value: r.count }));
  const byVillage = o.services.by_village.map((r) => ({ label: r.name, value: r.count }));
  const b = o.backlog;
  mount(
    body,
    h('p', { id: 'ov-total', class: 'ws-lead' }, t('overview.total', { n: o.services.total })),
    h(
      'div',
      { class: 'ws-stats' },
      h(
        'div',
        { class: 'stat', id: 'ov-backlog' },
        h('span', { class: 'muted' }, t('overview.backlog_count')),
        h('b', {}, b.count),
      ),
      h(
        'div',
        { class: 'stat' },
        h('span', { class: 'muted' }, t('overview.oldest')),
        h('b', {}, days(b.oldest_days)),
      ),
      h(
        'div',
        { class: 'stat' },
        h('span', { class: 'muted' }, t('overview.median')),
        h('b', {}, days(b.median_days)),
      ),
      o.register
        ? h(
            'div',
            { class: 'stat', id: 'ov-register' },
            h('span', { class: 'muted' }, t('overview.register', { on: o.register.on })),
            h('b', {}, o.register.active),
            h('span', { class: 'muted' }, t('overview.register_ended', { n: o.register.ended })),
          )
        : null,
    ),
    block('ov-form', t('overview.by_form'), byForm, t('filter.form'), t('overview.chart_form')),
    block(
      'ov-village',
      t('overview.by_village'),
      byVillage,
      t('filter.village'),
      t('overview.chart_village'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ov-asst-h' },
      h('h2', { id: 'ov-asst-h' }, t('overview.per_assistant')),
      h(
        'div',
        { class: 'ws-table-wrap' },
        h(
          'table',
          { class: 'ws-table', id: 'ov-assistants' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [t('filter.assistant'), t('overview.records'), t('overview.last_sync')].map((x, i) =>
                h('th', { scope: 'col', class: i === 1 ? 'num' : null }, x),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            o.per_assistant.map((a) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, a.full_name || a.username),
                h('td', { class: 'num' }, a.count),
                h('td', {}, a.last_sync_at ? fmt(a.last_sync_at) : t('never')),
              ),
            ),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ov-silent-h' },
      h('h2', { id: 'ov-silent-h' }, t('overview.silent')),
      o.silent_assistants.length
        ? h(
            'ul',
            { class: 'ws-silent', id: 'ov-silent' },
            o.silent_assistants.map((a) =>
              h(
                'li',
                {},
                h('b', {}, a.full_name || a.username),
                ' · ',
                t('overview.last_sync'),
                ' ',
                a.last_sync_at ? fmt(a.last_sync_at) : t('never'),
                a.days_silent != null
                  ? ` · ${t('overview.days_silent')} ${days(a.days_silent)}`
                  : '',
              ),
            ),
          )
        : h('p', { class: 'muted', id: 'ov-silent' }, t('overview.silent_none')),
    ),
  );
}
