// What the record page shows of a record: who, where, when, from which device; its form's answers
// under their labels (fields that do not apply left out); an ended resident with "restore".
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h } from '../ui.js';
import { errorText, fmt, statusBadge } from './common.js';
import { deviceName } from './devices.js';

const person = (p) => (p ? p.full_name || p.username : '—');
const pair = (label, value, id) => [
  h('dt', {}, label),
  h('dd', id ? { id } : {}, value == null || value === '' ? t('record.no_value') : value),
];

/** "死亡 · 2026-10-01", with where a resident who moved away went. */
const endedText = (res) =>
  `${t(`end.${res.end_reason}`)}${res.end_destination ? ` → ${res.end_destination}` : ''} · ${res.ended_on}`;

/** An ended resident's notice, with "restore" for an end recorded by mistake. */
export function endedBox(res, outcome, reload) {
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

/** The device with its label, model and browser, and when it first and last signed in. */
const deviceText = (d) => [
  deviceName(d),
  h(
    'span',
    { class: 'muted' },
    ' · ',
    t('record.first_seen', { at: fmt(d.created_at) }),
    ' · ',
    t('accounts.last_seen'),
    ' ',
    fmt(d.last_seen_at),
  ),
];

export function facts(r) {
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
      pair(t('record.device'), r.device ? deviceText(r.device) : '', 'rec-device'),
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

export function formFields(r) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'fields-h' },
    h('h2', { id: 'fields-h' }, t('record.fields')),
    r.masked ? h('p', { class: 'muted', id: 'rec-masked' }, t('record.masked')) : null,
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
