// Creating an account: the roles the caller may create, the username and password rules said
// and checked in the page, and the form (accounts.js shows it beside the list).
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, mount, notice } from '../ui.js';
import { dropReferences, errorText, inputField, selectField } from './common.js';

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

export function createForm(user, refs, onCreated) {
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
