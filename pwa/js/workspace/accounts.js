// Accounts in the caller's area: a supervisor creates assistants for the villages of the
// township, an admin also supervisors for the county's townships; reset a password (the user
// must change it at next sign-in), deactivate, and see / revoke a user's devices.
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, mount, notice } from '../ui.js';
import { errorNotice, errorText, inputField, references } from './common.js';
import { creatable, createForm } from './accountcreate.js';
import { editForm } from './accountedit.js';
import { devicesSection } from './devices.js';

function usersTable(users) {
  return h(
    'div',
    { class: 'ws-table-wrap' },
    h(
      'table',
      { class: 'ws-table', id: 'users-table' },
      h('caption', { class: 'sr-only' }, t('accounts.title')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            'accounts.username',
            'accounts.full_name',
            'accounts.role',
            'accounts.unit',
            'accounts.active',
            'accounts.manage',
          ].map((k) => h('th', { scope: 'col' }, t(k))),
        ),
      ),
      h(
        'tbody',
        {},
        users.map((u) =>
          h(
            'tr',
            { dataset: { username: u.username } },
            h('th', { scope: 'row' }, u.username),
            h('td', {}, u.full_name || ''),
            h('td', {}, t(`role.${u.role}`)),
            h('td', {}, u.org_unit ? u.org_unit.name : ''),
            h(
              'td',
              {},
              h(
                'span',
                { class: `badge ${u.active ? 'approved' : 'rejected'}` },
                u.active ? t('accounts.is_active') : t('accounts.inactive'),
              ),
              u.must_change_password
                ? [' ', h('span', { class: 'badge returned' }, t('accounts.must_change'))]
                : null,
            ),
            h(
              'td',
              {},
              h(
                'a',
                {
                  href: `#/ws/accounts/${u.id}`,
                  'aria-label': `${t('accounts.manage')} ${u.username}`,
                },
                t('accounts.manage'),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

async function renderList(root, user) {
  const list = h('div', {}, h('p', { class: 'muted' }, t('ws.loading')));
  let refs;
  try {
    refs = await references();
  } catch (err) {
    mount(root, h('h1', {}, t('accounts.title')), errorNotice(err));
    return;
  }
  async function draw() {
    try {
      mount(list, usersTable(await request('GET', '/api/users')));
    } catch (err) {
      mount(list, errorNotice(err));
    }
  }
  mount(
    root,
    h('h1', {}, t('accounts.title')),
    h('div', { id: 'accounts-outcome', 'aria-live': 'polite' }),
    h('div', { class: 'ws-accounts' }, list, createForm(user, refs, draw)),
  );
  await draw();
}

async function renderUser(root, id, caller) {
  let u;
  let devices;
  let refs;
  try {
    [u, devices, refs] = await Promise.all([
      request('GET', `/api/users/${id}`),
      request('GET', `/api/users/${id}/devices`),
      references(),
    ]);
  } catch (err) {
    mount(
      root,
      h('p', {}, h('a', { href: '#/ws/accounts' }, t('accounts.back'))),
      errorNotice(err),
    );
    return;
  }
  const outcome = h('div', { id: 'user-outcome', 'aria-live': 'polite' });
  const again = async (key) => {
    await renderUser(root, id, caller);
    root.querySelector('#user-outcome').replaceChildren(notice('ok', t(key)));
  };
  const fail = (err) => outcome.replaceChildren(notice('bad', errorText(err)));
  const reset = h(
    'form',
    {
      class: 'card',
      id: 'reset-password',
      'aria-labelledby': 'reset-h',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          await request('POST', `/api/users/${id}/password`, {
            password: reset.elements.password.value,
          });
          await again('accounts.reset_done');
        } catch (err) {
          fail(err);
        }
      },
    },
    h('h2', { id: 'reset-h' }, t('accounts.reset')),
    inputField('reset-pw', `${t('accounts.new_password')} ${t('accounts.temp_hint')}`, {
      name: 'password',
      type: 'text',
      required: true,
      autocomplete: 'new-password',
    }),
    h('button', { type: 'submit', id: 'reset-submit' }, t('accounts.reset')),
  );
  const toggle = h(
    'button',
    {
      type: 'button',
      id: u.active ? 'deactivate' : 'activate',
      class: u.active ? 'danger' : '',
      onclick: async () => {
        if (u.active && !window.confirm(t('accounts.confirm_deactivate', { name: u.username })))
          return;
        try {
          await request('POST', `/api/users/${id}/${u.active ? 'deactivate' : 'activate'}`, {});
          await again(u.active ? 'accounts.deactivated' : 'accounts.activated');
        } catch (err) {
          fail(err);
        }
      },
    },
    u.active ? t('accounts.deactivate') : t('accounts.activate'),
  );
  mount(
    root,
    h('p', {}, h('a', { href: '#/ws/accounts' }, t('accounts.back'))),
    h('h1', {}, u.full_name || u.username, ' ', h('span', { class: 'muted' }, `(${u.username})`)),
    outcome,
    h(
      'dl',
      { class: 'summary card ws-facts' },
      h('dt', {}, t('accounts.role')),
      h('dd', {}, t(`role.${u.role}`)),
      h('dt', {}, t('accounts.unit')),
      h('dd', {}, u.org_unit ? u.org_unit.name : ''),
      h('dt', {}, t('accounts.active')),
      h('dd', { id: 'user-active' }, u.active ? t('accounts.is_active') : t('accounts.inactive')),
      u.must_change_password ? [h('dt', {}, t('accounts.must_change')), h('dd', {}, '✓')] : null,
    ),
    h('div', { class: 'row' }, toggle),
    creatable(caller.role).includes(u.role) ? editForm(caller, u, refs, again, fail) : null,
    reset,
    devicesSection(id, devices, again, fail),
  );
}

export async function render(root, params) {
  if (params.id) return renderUser(root, params.id, params.user);
  return renderList(root, params.user);
}
