// A user's phones and browsers on the account screen: when each last uploaded and what its last
// sync left waiting, so the supervisor sees whether revoking now would lose records, and the
// three ways to revoke (now; after its upload; now and with a new temporary password).
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h } from '../ui.js';
import { fmt } from './common.js';

const COLUMNS = [
  'accounts.device_label',
  'accounts.first_seen',
  'accounts.last_seen',
  'accounts.last_sync',
  'accounts.last_push',
  'accounts.queued',
  'accounts.actions',
];

/** The phone model and browser the device's User-Agent names ("小米 22081212C · 微信内置浏览器"). */
export function deviceKind(d) {
  const brand = d.brand ? t(`device.brand.${d.brand}`) : '';
  let model = d.model || brand;
  if (d.model && d.brand && !d.model.toLowerCase().startsWith(d.brand))
    model = `${brand} ${d.model}`;
  const browser = d.browser ? t(`device.browser.${d.browser}`) : '';
  return [model, browser].filter(Boolean).join(' · ');
}

/** A device as people know it: the label given at sign-in, with model and browser. */
export function deviceName(d) {
  const kind = deviceKind(d);
  if (d.label && kind) return `${d.label}（${kind}）`;
  return d.label || kind || d.client_id;
}

function queuedCell(d) {
  if (d.queued == null) return h('td', { class: 'queued muted' }, '—');
  const text = d.queued ? t('accounts.queued_n', { n: d.queued }) : t('accounts.queued_none');
  return h(
    'td',
    { class: d.queued ? 'queued warn' : 'queued', dataset: { queued: d.queued } },
    text,
  );
}

function revokeChoices(userId, d, again, fail) {
  const name = deviceName(d);
  const send = async (choice, body = {}) => {
    if (!window.confirm(t(`accounts.confirm_${choice}`))) return;
    try {
      await request('POST', `/api/users/${userId}/devices/${d.id}/revoke`, { choice, ...body });
      await again(`accounts.${choice}_done`);
    } catch (err) {
      fail(err);
    }
  };
  const button = (choice, cls) =>
    h(
      'button',
      {
        type: 'button',
        class: cls,
        'aria-label': `${t(`accounts.${choice}`)} ${name}`,
        onclick: () => send(choice),
      },
      t(`accounts.${choice}`),
    );
  const password = h('input', {
    type: 'text',
    name: 'revoke-password',
    autocomplete: 'new-password',
    'aria-label': `${t('accounts.new_password')} ${t('accounts.temp_hint')}`,
    placeholder: t('accounts.new_password'),
  });
  const andReset = h(
    'form',
    {
      class: 'row revoke-and-reset',
      onsubmit: (e) => {
        e.preventDefault();
        send('revoke_and_reset', { password: password.value });
      },
    },
    password,
    h(
      'button',
      {
        type: 'submit',
        class: 'danger',
        'aria-label': `${t('accounts.revoke_and_reset')} ${name}`,
      },
      t('accounts.revoke_and_reset'),
    ),
  );
  return [
    h(
      'div',
      { class: 'row' },
      button('revoke', 'danger revoke'),
      button('revoke_after_upload', 'secondary revoke-after-upload'),
    ),
    andReset,
  ];
}

function stateCell(userId, d, again, fail) {
  if (d.revoked_at) return h('span', { class: 'badge rejected' }, t('accounts.revoked'));
  if (d.revoke_after_upload_at)
    return h(
      'span',
      { class: 'badge returned pending-revocation' },
      t('accounts.revoking_after_upload'),
    );
  return revokeChoices(userId, d, again, fail);
}

/** The devices section of one account; `again(key)` redraws with a notice, `fail(err)` reports. */
export function devicesSection(userId, devices, again, fail) {
  const rows = devices.map((d) =>
    h(
      'tr',
      { dataset: { device: d.id } },
      h(
        'th',
        { scope: 'row', class: 'device-name' },
        d.label || deviceKind(d) || d.client_id,
        d.label && deviceKind(d)
          ? [h('br'), h('span', { class: 'muted device-kind' }, deviceKind(d))]
          : null,
      ),
      h('td', { class: 'first-seen' }, fmt(d.created_at)),
      h('td', {}, fmt(d.last_seen_at)),
      h('td', {}, fmt(d.last_sync_at)),
      h('td', { class: 'last-push' }, fmt(d.last_push_at)),
      queuedCell(d),
      h('td', {}, stateCell(userId, d, again, fail)),
    ),
  );
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'devices-h' },
    h('h2', { id: 'devices-h' }, t('accounts.devices')),
    devices.length
      ? h(
          'div',
          { class: 'ws-table-wrap' },
          h(
            'table',
            { class: 'ws-table', id: 'devices-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                COLUMNS.map((k) => h('th', { scope: 'col' }, t(k))),
              ),
            ),
            h('tbody', {}, rows),
          ),
        )
      : h('p', { class: 'muted' }, t('accounts.no_devices')),
  );
}
