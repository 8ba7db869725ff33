// Me: language, storage, and signing out (which refuses while records wait, unless insisted twice).
import { currentUser, logout } from '../auth.js';
import { getLang, setLang, t } from '../i18n.js';
import { go, render as rerender } from '../router.js';
import { askPersistence, storageInfo } from '../storage.js';
import { h, mount, notice } from '../ui.js';

export const name = 'settings';

/** The deployed shell's version: the name of the cache the service worker keeps it in. */
async function appVersion() {
  try {
    const names = await caches.keys();
    const shell = names.filter((n) => n.startsWith('vha-shell-')).sort();
    return shell.length ? shell[shell.length - 1].slice('vha-shell-'.length) : null;
  } catch (_) {
    return null;
  }
}

export async function render(root) {
  const user = await currentUser();
  const version = await appVersion();
  const storage = await storageInfo();
  let insist = 0;
  const status = h('div', { 'aria-live': 'polite' });
  const logoutButton = h(
    'button',
    {
      class: 'danger block',
      id: 'logout',
      onclick: async () => {
        const answer = await logout(insist);
        if (answer.done) {
          document.dispatchEvent(new Event('signedout'));
          go('/login');
          return;
        }
        insist += 1;
        mount(
          status,
          notice(
            'bad',
            t(insist === 1 ? 'logout.waiting' : 'logout.really', { n: answer.waiting }),
          ),
        );
        logoutButton.textContent = t(insist === 1 ? 'logout.anyway' : 'logout.final');
      },
    },
    t('logout.button'),
  );
  const langSelect = h(
    'select',
    {
      id: 'lang',
      onchange: (e) => {
        setLang(e.target.value);
        document.dispatchEvent(new Event('langchange'));
        rerender();
      },
    },
    h('option', { value: 'zh-CN', selected: getLang() === 'zh-CN' }, '中文'),
    h('option', { value: 'en', selected: getLang() === 'en' }, 'English'),
  );
  mount(
    root,
    h('h1', {}, t('settings.title')),
    h(
      'div',
      { class: 'card' },
      h('p', {}, user ? `${user.full_name || user.username} (${user.username})` : ''),
      user?.org_unit ? h('p', { class: 'muted' }, user.org_unit.name) : null,
    ),
    h('label', { for: 'lang' }, t('settings.language')),
    langSelect,
    h('h2', {}, t('settings.storage')),
    storage
      ? h(
          'p',
          {},
          t('storage.used', {
            used: storage.usedText,
            persisted: storage.persisted ? t('storage.persisted') : t('storage.not_persisted'),
          }),
        )
      : null,
    storage && !storage.persisted
      ? h(
          'button',
          {
            class: 'secondary',
            onclick: async () => {
              await askPersistence();
              rerender();
            },
          },
          t('storage.ask'),
        )
      : null,
    h('h2', {}, t('settings.about')),
    h(
      'p',
      { id: 'app-version' },
      t('settings.version', { version: version || t('settings.no_version') }),
    ),
    h('h2', {}, t('logout.title')),
    status,
    logoutButton,
  );
}
