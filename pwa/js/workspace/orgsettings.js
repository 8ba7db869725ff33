// A unit's settings on the org tree: which immunisation schedule edition (免疫程序版本) it
// follows. A unit that sets none follows its township or county; the panel says which, and
// "follow the parent" clears the unit's own choice. The server resolves and checks; this only
// shows its answer and sends the admin's choice.
import { request } from '../api.js';
import { getLang, t } from '../i18n.js';
import { h } from '../ui.js';
import { selectField } from './common.js';
import { issueText } from './upload.js';

const pick = (label) => (label && (label[getLang()] || label.zh)) || '';

/** Where the value in effect comes from, in words: this unit, an ancestor, or the default. */
function sourceText(unit, effect) {
  if (effect.source_id === unit.id) return t('orgtree.nip_source.own');
  if (effect.source_id == null) return t('orgtree.nip_source.default');
  return t('orgtree.nip_source.inherited', { name: effect.source_name });
}

function versionName(choices, value) {
  const found = choices.find((c) => c.value === value);
  return found ? `${pick(found.label)}（${value}）` : value;
}

/** The panel under a unit: the edition in effect and where from, and (admins) a menu to change it. */
export async function settingsPanel(unit, canChange, done, fail) {
  const answer = await request('GET', `/api/org-units/${unit.id}/settings`);
  const effect = answer.in_effect.nip_version;
  const choices = answer.choices.nip_version || [];
  const own = answer.own.nip_version ?? '';
  const inEffect = h(
    'p',
    { id: 'nip-in-effect' },
    t('orgtree.nip_in_effect', { version: versionName(choices, effect.value) }),
    ' ',
    h('span', { class: 'badge' }, sourceText(unit, effect)),
  );
  if (!canChange) return h('div', { class: 'org-settings' }, inEffect);
  const form = h(
    'form',
    {
      class: 'ws-grid org-settings',
      id: 'settings-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const chosen = form.elements.nip_version.value;
        try {
          await request('PATCH', `/api/org-units/${unit.id}/settings`, {
            nip_version: chosen || null,
          });
          await done('orgtree.nip_saved');
        } catch (err) {
          const known = choices.map((c) => c.value).join(', ');
          const params = { value: chosen, key: 'nip_version', known };
          fail(issueText({ code: err.code, params, message: err.message }));
        }
      },
    },
    inEffect,
    selectField(
      'nip-version',
      t('orgtree.setting.nip_version'),
      choices.map((c) => [c.value, versionName(choices, c.value)]),
      own,
      unit.level === 'county' ? t('orgtree.nip_default') : t('orgtree.nip_follow_parent'),
      'nip_version',
    ),
    h('button', { type: 'submit', id: 'settings-submit' }, t('orgtree.save')),
  );
  return form;
}
