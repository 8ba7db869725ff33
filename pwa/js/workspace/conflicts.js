// Open sync conflicts with the server's and the phone's value side by side, each with who sent
// it and when, under the resident, form and visit date they are about (with a link to the
// record); the supervisor keeps one or types the right value, which the server writes as a new
// version that reaches phones (the phone whose value lost sees the outcome on the record).
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, mount, notice } from '../ui.js';
import { errorNotice, errorText, fmt } from './common.js';

export const show = (v) => {
  if (v == null) return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/** The typed text as a value of the same kind as the two contenders (text stays text). */
export function typedValue(text, conflict) {
  const sample = conflict.server_value ?? conflict.client_value;
  if (typeof sample === 'string' || sample == null) return text;
  try {
    return JSON.parse(text);
  } catch (_) {
    return text;
  }
}

const name = (p) => (p ? p.full_name || p.username : '—');

/** What the conflict is about: resident, form and visit date, and a link to the record. */
function about(c) {
  if (c.record_id) {
    const text = c.resident
      ? t('conflicts.about_record', {
          resident: c.resident.name,
          form: c.form_title,
          date: c.visit_date,
        })
      : t('conflicts.about_activity', { form: c.form_title, date: c.visit_date });
    return h(
      'p',
      { class: 'ws-conflict-about' },
      h('b', {}, text),
      ' ',
      h(
        'a',
        { href: `#/ws/record/${c.record_id}?status=all`, class: 'open-record' },
        t('conflicts.open_record'),
      ),
    );
  }
  if (c.resident) return h('p', { class: 'ws-conflict-about' }, h('b', {}, c.resident.name));
  if (c.household)
    return h(
      'p',
      { class: 'ws-conflict-about' },
      h('b', {}, c.household.address, c.household.head_name ? ` · ${c.household.head_name}` : ''),
    );
  return null;
}

function conflictCard(c, onResolved) {
  const group = `choice-${c.id}`;
  const customId = `custom-${c.id}`;
  const outcome = h('div', { 'aria-live': 'polite' });
  const radio = (value, label, extra) =>
    h(
      'label',
      { class: 'choice' },
      h('input', { type: 'radio', name: group, value, checked: value === 'server' }),
      label,
      extra,
    );
  const custom = h('input', {
    id: customId,
    name: 'value',
    'aria-label': t('conflicts.custom_value'),
    value: c.current_value == null ? '' : show(c.current_value),
  });
  const form = h(
    'form',
    {
      class: 'card ws-conflict',
      dataset: { id: c.id },
      onsubmit: async (e) => {
        e.preventDefault();
        const choice = form.querySelector(`input[name="${group}"]:checked`).value;
        const body = { choice };
        if (choice === 'custom') body.value = typedValue(custom.value.trim(), c);
        try {
          await request('POST', `/api/conflicts/${c.id}/resolve`, body);
          onResolved();
        } catch (err) {
          outcome.replaceChildren(notice('bad', errorText(err)));
        }
      },
    },
    h('h2', {}, t(`conflicts.entity.${c.entity}`), ' · ', c.label || c.field),
    about(c),
    h(
      'div',
      { class: 'ws-side-by-side' },
      h(
        'div',
        { class: 'ws-value', dataset: { side: 'server' } },
        h('h3', {}, t('conflicts.server')),
        h('p', { class: 'ws-mono' }, show(c.server_value)),
        h(
          'p',
          { class: 'muted sent-by' },
          c.server_by
            ? t('conflicts.server_by', { who: name(c.server_by), at: fmt(c.server_at) })
            : '—',
        ),
      ),
      h(
        'div',
        { class: 'ws-value', dataset: { side: 'client' } },
        h('h3', {}, t('conflicts.client')),
        h('p', { class: 'ws-mono' }, show(c.client_value)),
        h(
          'p',
          { class: 'muted sent-by' },
          t('conflicts.client_by', { who: name(c.author), at: fmt(c.created_at) }),
        ),
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('conflicts.field'), ': ', c.label || c.field),
      radio('server', t('conflicts.keep_server')),
      radio('client', t('conflicts.keep_client')),
      radio('custom', t('conflicts.custom')),
      custom,
    ),
    h('button', { type: 'submit' }, t('conflicts.resolve')),
    outcome,
  );
  return form;
}

export async function render(root) {
  const list = h('div', { id: 'conflict-list' }, h('p', { class: 'muted' }, t('ws.loading')));
  const done = h('div', { id: 'conflict-outcome', 'aria-live': 'polite' });
  mount(root, h('h1', {}, t('conflicts.title')), done, list);
  async function draw() {
    let data;
    try {
      data = await request('GET', '/api/conflicts?per_page=100');
    } catch (err) {
      mount(list, errorNotice(err));
      return;
    }
    mount(
      list,
      data.items.length
        ? data.items.map((c) =>
            conflictCard(c, async () => {
              await draw();
              done.replaceChildren(notice('ok', t('conflicts.resolved')));
            }),
          )
        : h('p', { class: 'muted', id: 'no-conflicts' }, t('conflicts.none')),
    );
  }
  await draw();
}
