// Editing an account on its page: the name, and (for roles the caller manages) the role and the
// unit within the caller's area. A change of role or unit ends the account's sessions on the
// server; the change is audited there as `update`.
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, mount } from '../ui.js';
import { creatable } from './accountcreate.js';
import { dropReferences, inputField, selectField } from './common.js';

/** The form; `done()` redraws the page, `fail(err)` shows why it was refused. */
export function editForm(caller, account, refs, done, fail) {
  const roles = creatable(caller.role);
  const unitOptions = (role) =>
    (role === 'supervisor' ? refs.townships : refs.villages).map((u) => [u.id, u.name]);
  const unitField = (role, value) =>
    selectField(
      'edit-org_unit_id',
      t('accounts.unit'),
      unitOptions(role),
      value,
      null,
      'org_unit_id',
    );
  const unitWrap = h('div', {}, unitField(account.role, account.org_unit?.id));
  const roleSelect = selectField(
    'edit-role',
    t('accounts.role'),
    roles.map((r) => [r, t(`role.${r}`)]),
    account.role,
    null,
    'role',
  );
  roleSelect.querySelector('select').addEventListener('change', (e) => {
    mount(unitWrap, unitField(e.target.value, ''));
  });
  const form = h(
    'form',
    {
      class: 'card',
      id: 'edit-account',
      'aria-labelledby': 'edit-h',
      onsubmit: async (e) => {
        e.preventDefault();
        const data = new FormData(form);
        const body = { full_name: String(data.get('full_name') || '').trim() };
        const role = data.get('role');
        const unit = Number(data.get('org_unit_id'));
        if (role && role !== account.role) body.role = role;
        if (unit && unit !== account.org_unit?.id) body.org_unit_id = unit;
        try {
          await request('PATCH', `/api/users/${account.id}`, body);
          dropReferences();
          await done('accounts.edit_done');
        } catch (err) {
          fail(err);
        }
      },
    },
    h('h2', { id: 'edit-h' }, t('accounts.edit')),
    h(
      'div',
      { class: 'ws-grid' },
      inputField('edit-full_name', t('accounts.full_name'), {
        name: 'full_name',
        value: account.full_name || '',
        autocomplete: 'off',
        maxlength: 100,
      }),
      roleSelect,
      unitWrap,
    ),
    h('button', { type: 'submit', id: 'edit-submit' }, t('accounts.edit_save')),
  );
  return form;
}
