// Accounts in the caller's area: a supervisor creates assistants for the villages of the
// township, an admin also supervisors for the county's townships; reset a password (the user
// must change it at next sign-in), deactivate, and see / revoke a user's devices.
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, mount, notice } from '../ui.js';
import {
  dropReferences,
  errorNotice,
  errorText,
  inputField,
  references,
  selectField,
} from './common.js';
import { editForm } from './accountedit.js';
import { devicesSection } from './devices.js';

/** Roles the caller may create. */
export const creatable = (role) => (role === 'admin' ? ['assistant', 'supervisor'] : ['assistant']);

// The server's rule for usernames (server/api/users/schemas.py), said in words before typing and
// checked here, so the browser's own bubble (in its language) never has to explain it.
const USERNAME = /^[A-Za-z0-9_.-]{3,64}$/;

/** Says in the page what breaks the rules (username, password length); true when nothing does. */
function checkRules(form) {
  const checks = [
    ['new-username', (v) => USERNAME.test(v.trim()), 'accounts.username_invalid'],
    ['new-password', (v) => v.length >= 8, 'accounts.password_short'],
  ];
  let first = null;
  for (const [id, ok, key] of checks) {
    const input = form.querySelector(`#${id}`);
    const error = form.querySelector(`#${id}-err`);
    if (!input || !error) continue;
    const good = ok(input.value);
    error.textContent = good ? '' : t(key);
    if (good) input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
    if (!good && !first) first = input;
  }
  if (first) first.focus();
  return !first;
}

function createForm(user, refs, onCreated) {
  const roles = creatable(user.role);
  const outcome = h('div', { 'aria-live': 'polite', id: 'create-outcome' });
  const unitOptions = (role) =>
    (role === 'supervisor' ? refs.townships : refs.villages).map((u) => [u.id, u.name]);
  const unitWrap = h(
    'div',
    {},
    selectField('new-org_unit_id', t('accounts.unit'), unitOptions(roles[0]), '', null),
  );
  const roleSelect = selectField(
    'new-role',
    t('accounts.role'),
    roles.map((r) => [r, t(`role.${r}`)]),
    roles[0],
    null,
  );
  roleSelect.querySelector('select').addEventListener('change', (e) => {
    mount(
      unitWrap,
      selectField('new-org_unit_id', t('accounts.unit'), unitOptions(e.target.value), '', null),
    );
  });
  const form = h(
    'form',
    {
      class: 'card ws-create',
      id: 'create-account',
      'aria-labelledby': 'create-h',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        if (!checkRules(form)) return;
        const data = new FormData(form);
        const body = {
          username: String(data.get('username') || '').trim(),
          full_name: String(data.get('full_name') || '').trim(),
          role: data.get('role'),
          org_unit_id: Number(data.get('org_unit_id')),
          password: String(data.get('password') || ''),
        };
        try {
          const created = await request('POST', '/api/users', body);
          dropReferences();
          form.reset();
          await onCreated();
          document
            .getElementById('accounts-outcome')
            .replaceChildren(notice('ok', t('accounts.created', { name: created.username })));
        } catch (err) {
          outcome.replaceChildren(notice('bad', errorText(err)));
        }
      },
    },
    h('h2', { id: 'create-h' }, t('accounts.create')),
    h(
      'div',
      { class: 'ws-grid' },
      h(
        'div',
        { class: 'ws-field' },
        h('label', { for: 'new-username' }, t('accounts.username')),
        h('input', {
          id: 'new-username',
          name: 'username',
          required: true,
          autocomplete: 'off',
          pattern: '[A-Za-z0-9_.\\-]{3,64}',
          'aria-describedby': 'new-username-rules new-username-err',
        }),
        h('p', { class: 'hint', id: 'new-username-rules' }, t('accounts.username_rules')),
        h('p', { class: 'error', id: 'new-username-err', 'aria-live': 'polite' }),
      ),
      inputField('new-full_name', t('accounts.full_name'), {
        name: 'full_name',
        autocomplete: 'off',
      }),
      roleSelect,
      unitWrap,
      inputField('new-password', `${t('accounts.temp_password')} ${t('accounts.temp_hint')}`, {
        name: 'password',
        type: 'text',
        required: true,
        autocomplete: 'new-password',
        minlength: 8,
        'aria-describedby': 'new-password-err',
      }),
      h('p', { class: 'error', id: 'new-password-err', 'aria-live': 'polite' }),
    ),
    h('button', { type: 'submit', id: 'create-submit' }, t('accounts.create')),
    outcome,
  );
  return form;
}

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
