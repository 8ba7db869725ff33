// Sign in online, or unlock the local session with the password when one exists.
import { login, unlock, currentUser, mustChangePassword } from '../auth.js';
import { forgetUnlock, isCutOff } from '../cutoff.js';
import { getMeta } from '../db.js';
import problems from '../i18n/problems.js';
import { pick, t } from '../i18n.js';
import { go } from '../router.js';
import { CHANGE_PASSWORD, isStaff } from '../shell.js';
import { run as syncNow } from '../scheduler.js';
import { h, mount, notice, field } from '../ui.js';
import { refusalText } from './wording.js';
import { wechatNotice } from '../wechat.js';

export const name = 'login';

function errorText(err) {
  if (isCutOff(err)) return pick(problems[err.code]);
  if (err.status === 0) return t('login.offline');
  if (err.status === 401) return t('login.bad');
  if (err.status === 429 && err.retryAfter) return t('login.wait', { seconds: err.retryAfter });
  if (err.status === 429) return t('login.slow');
  if (err.code === 'other_user_outbox') return t('login.other_user_outbox');
  return refusalText(err); // the server's words only through problems.js, never its English
}

/**
 * Why this phone was erased, when it was (shown until the next sign-in). The service worker may
 * have done the erasing, and it cannot reach this tab's unlock: it ends here.
 */
async function cutOffNotice() {
  const cut = await getMeta('cut_off');
  if (!cut) return null;
  forgetUnlock();
  if (!Object.hasOwn(problems, cut.code)) return null;
  return h('div', { id: 'cut-off' }, notice('bad', pick(problems[cut.code])));
}

export async function render(root, _params, query) {
  const user = await currentUser();
  const cutOff = await cutOffNotice();
  const username = field(t('login.username'), {
    name: 'username',
    autocomplete: 'username',
    autocapitalize: 'none',
    value: query.u || user?.username || '',
  });
  const password = field(t('login.password'), {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
  });
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'block' }, t('login.submit'));
  const form = h(
    'form',
    {
      class: 'card',
      onsubmit: async (e) => {
        e.preventDefault();
        button.disabled = true;
        mount(status);
        try {
          const user = await login(username.input.value.trim(), password.input.value);
          // A temporary password (new account, or reset by a supervisor) is changed before anything else.
          if (mustChangePassword(user)) {
            go(CHANGE_PASSWORD);
            return;
          }
          go('/home');
          if (!isStaff(user)) syncNow(); // the workspace works online and keeps no local copy
        } catch (err) {
          mount(status, notice('bad', errorText(err)));
        } finally {
          button.disabled = false;
        }
      },
    },
    username.wrap,
    password.wrap,
    h('p'),
    button,
    status,
  );
  mount(root, h('h1', {}, t('login.title')), wechatNotice(), cutOff, form);
}

export async function renderUnlock(root) {
  const user = await currentUser();
  const password = field(t('login.password'), {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
  });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'card',
      onsubmit: async (e) => {
        e.preventDefault();
        if (await unlock(password.input.value)) go('/home');
        else mount(status, notice('bad', t('unlock.bad')));
      },
    },
    h('p', {}, t('unlock.as', { name: user ? user.full_name || user.username : '' })),
    password.wrap,
    h('p'),
    h('button', { type: 'submit', class: 'block' }, t('unlock.submit')),
    status,
    h('p', {}, h('a', { href: '#/login' }, t('unlock.other'))),
  );
  mount(root, h('h1', {}, t('unlock.title')), form);
}

export const unlockScreen = { name: 'unlock', render: renderUnlock };
