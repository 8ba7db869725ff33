// One record as the reviewer judges it: every field under its label, the resident with the full
// ID number, who sent it from which device and when, every round of its history, and the
// approve / return / reject actions (which name the version seen, so a newer upload is not
// approved by mistake).
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, mount, notice, uid } from '../ui.js';
import { errorNotice, errorText, fmt, statusBadge } from './common.js';

const person = (p) => (p ? p.full_name || p.username : '—');
const pair = (label, value, id) => [
  h('dt', {}, label),
  h('dd', id ? { id } : {}, value == null || value === '' ? t('record.no_value') : value),
];

/** "死亡 · 2026-10-01", with where a resident who moved away went. */
const endedText = (res) =>
  `${t(`end.${res.end_reason}`)}${res.end_destination ? ` → ${res.end_destination}` : ''} · ${res.ended_on}`;

/** An ended resident's notice, with "restore" for an end recorded by mistake. */
function endedBox(res, outcome, reload) {
  const restore = async (e) => {
    e.target.disabled = true;
    try {
      await request('POST', `/api/residents/${res.id}/restore`);
      await reload();
    } catch (err) {
      e.target.disabled = false;
      outcome.replaceChildren(h('div', { class: 'notice bad', role: 'alert' }, errorText(err)));
    }
  };
  return h(
    'div',
    { class: 'notice warn', role: 'status', id: 'resident-ended-box' },
    h('p', {}, t('record.ended_notice', { name: res.name, ended: endedText(res) })),
    h(
      'button',
      { type: 'button', class: 'secondary', id: 'restore-resident', onclick: restore },
      t('record.restore'),
    ),
  );
}

function facts(r) {
  const res = r.resident;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'facts-h' },
    h('h2', { id: 'facts-h' }, t('record.title')),
    h(
      'dl',
      { class: 'summary ws-facts' },
      res
        ? [
            pair(t('record.resident'), res.name, 'rec-resident'),
            pair(
              t('record.id_number'),
              h('span', { class: 'ws-mono' }, res.id_number || res.id_number_masked || ''),
              'rec-id-number',
            ),
            pair(t('record.sex'), res.sex ? t(`sex.${res.sex}`) : ''),
            pair(t('record.birth_date'), res.birth_date),
            pair(t('record.phone'), res.phone),
            res.ended_on ? pair(t('record.ended'), endedText(res), 'rec-ended') : null,
          ]
        : null,
      pair(t('record.village'), r.village?.name),
      pair(t('record.assistant'), person(r.author), 'rec-assistant'),
      pair(t('record.device'), r.device ? r.device.label || r.device.client_id : '', 'rec-device'),
      pair(t('record.visit_date'), r.visit_date, 'rec-visit-date'),
      pair(t('record.received'), fmt(r.received_at), 'rec-received'),
      pair(t('record.version'), String(r.version), 'rec-version'),
      pair(t('record.status'), statusBadge(r.review_status), 'rec-status'),
      r.review_comment ? pair(t('record.comment'), r.review_comment, 'rec-comment') : null,
      r.reviewed_by
        ? pair(t('record.reviewed_by'), `${person(r.reviewed_by)} · ${fmt(r.reviewed_at)}`)
        : null,
    ),
  );
}

function formFields(r) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'fields-h' },
    h('h2', { id: 'fields-h' }, t('record.fields')),
    h(
      'dl',
      { class: 'ws-fields', id: 'rec-fields' },
      (r.fields || []).map((f) =>
        h(
          'div',
          { class: 'ws-field-value', dataset: { name: f.name } },
          h('dt', {}, f.label),
          h('dd', {}, f.display || t('record.no_value')),
        ),
      ),
    ),
  );
}

/** A phone's clock reading as sent: formatted when it parses, shown as it came otherwise. */
const phoneTime = (text) => (Number.isNaN(new Date(text).getTime()) ? text : fmt(text));

function history(r) {
  const labels = Object.fromEntries((r.fields || []).map((f) => [`data.${f.name}`, f.label]));
  const changed = (names) =>
    names.filter((n) => n.startsWith('data.')).map((n) => labels[n] || n.slice(5));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'history-h' },
    h('h2', { id: 'history-h' }, t('record.history')),
    h(
      'ol',
      { class: 'ws-history', id: 'rec-history' },
      (r.history || []).map((e) =>
        h(
          'li',
          { dataset: { action: e.action } },
          h(
            'div',
            { class: 'ws-history-head' },
            h('b', {}, t(`history.${e.action}`)),
            ' · ',
            t('history.round', { version: e.version }),
            ' · ',
            person(e.actor),
            ' · ',
            h('time', { datetime: e.at }, fmt(e.at)),
            e.review_status ? [' ', statusBadge(e.review_status)] : null,
          ),
          e.comment ? h('blockquote', { class: 'ws-history-comment' }, e.comment) : null,
          e.client_time
            ? h(
                'div',
                { class: 'muted phone-time' },
                t('history.phone_time', { time: phoneTime(e.client_time) }),
              )
            : null,
          changed(e.changed || []).length && e.action !== 'create'
            ? h(
                'div',
                { class: 'muted' },
                t('history.changed', { fields: changed(e.changed).join('、') }),
              )
            : null,
        ),
      ),
    ),
  );
}

function actionForm(kind, labelKey, requiredKey, buttonClass, onAct) {
  const id = uid(`ws-${kind}`);
  const errId = `${id}-err`;
  const text = h('textarea', {
    id,
    name: kind === 'reject' ? 'reason' : 'comment',
    rows: 3,
    maxlength: 1000,
    required: true,
    'aria-describedby': errId,
  });
  const error = h('p', { class: 'error', id: errId, 'aria-live': 'polite' });
  return h(
    'form',
    {
      class: 'ws-action',
      id: `form-${kind}`,
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        const value = text.value.trim();
        if (!value) {
          error.textContent = t(requiredKey);
          text.setAttribute('aria-invalid', 'true');
          text.focus();
          return;
        }
        error.textContent = '';
        text.removeAttribute('aria-invalid');
        onAct(kind, value);
      },
    },
    h('label', { for: id }, t(labelKey)),
    text,
    error,
    h('button', { type: 'submit', class: buttonClass, id: `do-${kind}` }, t(`record.${kind}`)),
  );
}

export async function render(root, params) {
  const outcome = h('div', { id: 'review-outcome', 'aria-live': 'polite' });
  let r;
  try {
    r = await request('GET', `/api/review/records/${encodeURIComponent(params.id)}`);
  } catch (err) {
    mount(root, h('p', {}, h('a', { href: '#/ws/queue' }, t('record.back'))), errorNotice(err));
    return;
  }
  const reload = () => render(root, params);

  async function act(kind, comment) {
    const body = { version: r.version };
    if (kind === 'return') body.comment = comment;
    if (kind === 'reject') body.reason = comment;
    for (const b of root.querySelectorAll('.ws-actions button')) b.disabled = true;
    try {
      await request('POST', `/api/review/records/${r.id}/${kind}`, body);
      await render(root, params);
      root.querySelector('#review-outcome').replaceChildren(notice('ok', t(`record.done.${kind}`)));
    } catch (err) {
      for (const b of root.querySelectorAll('.ws-actions button')) b.disabled = false;
      if (err.code === 'stale_version') {
        outcome.replaceChildren(
          h(
            'div',
            { class: 'notice bad', role: 'alert', id: 'stale-version' },
            h('p', {}, t('record.stale', { mine: r.version })),
            h('button', { type: 'button', id: 'reload-record', onclick: reload }, t('ws.reload')),
          ),
        );
      } else {
        outcome.replaceChildren(h('div', { class: 'notice bad', role: 'alert' }, errorText(err)));
      }
    }
  }

  const pending = r.review_status === 'pending';
  mount(
    root,
    h('p', {}, h('a', { href: '#/ws/queue', id: 'back-to-queue' }, t('record.back'))),
    h('h1', {}, r.form_title, ' ', statusBadge(r.review_status)),
    outcome,
    r.resident?.ended_on ? endedBox(r.resident, outcome, reload) : null,
    h(
      'div',
      { class: 'ws-record' },
      h('div', { class: 'ws-record-main' }, facts(r), formFields(r)),
      h(
        'div',
        { class: 'ws-record-side' },
        pending
          ? h(
              'section',
              { class: 'card ws-actions', 'aria-labelledby': 'actions-h' },
              h('h2', { id: 'actions-h' }, t('record.actions')),
              h(
                'button',
                { type: 'button', id: 'do-approve', onclick: () => act('approve') },
                t('record.approve'),
              ),
              actionForm(
                'return',
                'record.return_comment',
                'record.comment_required',
                'secondary',
                act,
              ),
              actionForm('reject', 'record.reject_reason', 'record.reason_required', 'danger', act),
            )
          : null,
        history(r),
      ),
    ),
  );
}
