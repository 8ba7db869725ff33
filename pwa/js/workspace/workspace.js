// The supervisor/admin workspace: one screen for the shell's router (#/ws/<page>[/<id>]) that
// draws the workspace frame (menu, language, sign-out) and hands the content to a page module.
// Loaded on demand, so the field app's offline shell never depends on it.
import { request } from '../api.js';
import { logout } from '../auth.js';
import { addStrings, getLang, setLang, t } from '../i18n.js';
import { go, render as redraw } from '../router.js';
import { h, mount } from '../ui.js';
import { me } from './common.js';
import accountsEn from './strings.accounts.en.js';
import accountsZh from './strings.accounts.zh-CN.js';
import adminEn from './strings.admin.en.js';
import adminZh from './strings.admin.zh-CN.js';
import en from './strings.en.js';
import tagsEn from './strings.tags.en.js';
import tagsZh from './strings.tags.zh-CN.js';
import zh from './strings.zh-CN.js';

export const name = 'workspace';
export const HOME = '/ws/queue';

const PAGES = {
  queue: () => import('./queue.js'),
  record: () => import('./record.js'),
  conflicts: () => import('./conflicts.js'),
  overview: () => import('./overview.js'),
  exports: () => import('./exports.js'),
  accounts: () => import('./accounts.js'),
  merge: () => import('./merge.js'),
  audit: () => import('./audit.js'),
  orgtree: () => import('./orgtree.js'),
  imports: () => import('./imports.js'),
  duplicates: () => import('./duplicates.js'),
  tagreview: () => import('./tagreview.js'),
};
const MENU = [
  'queue',
  'conflicts',
  'duplicates',
  'tagreview',
  'overview',
  'exports',
  'accounts',
  'orgtree',
  'imports',
  'audit',
];
// Menu entries that show how much waits there (GET /api/review/counts).
const COUNTED = { queue: 'pending', conflicts: 'conflicts', duplicates: 'duplicates' };
const PARENT = { record: 'queue', merge: 'duplicates' };

function useStyles() {
  if (document.getElementById('ws-css')) return;
  document.head.append(
    h('link', { id: 'ws-css', rel: 'stylesheet', href: 'css/workspace.css' }),
    h('link', { id: 'ws-pages-css', rel: 'stylesheet', href: 'css/workspace-pages.css' }),
  );
}

/** Fills the menu's counts; a failure leaves them out (the page itself says what went wrong). */
async function showCounts(nav) {
  let counts;
  try {
    counts = await request('GET', '/api/review/counts');
  } catch (_) {
    return;
  }
  for (const [page, key] of Object.entries(COUNTED)) {
    const slot = nav.querySelector(`#nav-${page} .ws-count`);
    if (!slot) continue;
    const n = counts[key] || 0;
    slot.textContent = n ? String(n) : '';
    slot.dataset.count = String(n);
    slot.hidden = !n;
    slot.setAttribute('aria-label', t('ws.count', { n }));
  }
}

function menu(page, user) {
  const current = PARENT[page] || page;
  return h(
    'nav',
    { class: 'ws-nav', 'aria-label': t('ws.nav') },
    h(
      'ul',
      {},
      MENU.map((p) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `#/ws/${p}`, id: `nav-${p}`, 'aria-current': p === current ? 'page' : null },
            t(`ws.${p}`),
            COUNTED[p] ? [' ', h('span', { class: 'ws-count', hidden: true })] : null,
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'ws-user' },
      h(
        'span',
        { id: 'ws-user' },
        t('ws.signed_in_as', {
          name: user.full_name || user.username,
          role: t(`role.${user.role}`),
        }),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'ws-lang',
          lang: getLang() === 'en' ? 'zh-CN' : 'en',
          'aria-label': t('ws.language_label'),
          onclick: () => {
            setLang(getLang() === 'en' ? 'zh-CN' : 'en');
            document.dispatchEvent(new Event('langchange'));
            redraw();
          },
        },
        t('ws.language'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          id: 'ws-logout',
          onclick: async () => {
            await logout(2);
            document.body.classList.remove('ws-mode');
            go('/login');
          },
        },
        t('ws.logout'),
      ),
    ),
  );
}

export async function render(root, params, query) {
  addStrings({
    'zh-CN': { ...zh, ...accountsZh, ...adminZh, ...tagsZh },
    en: { ...en, ...accountsEn, ...adminEn, ...tagsEn },
  });
  useStyles();
  document.body.classList.add('ws-mode');
  const user = await me();
  const page = PAGES[params.page] ? params.page : 'queue';
  const content = h('div', { class: 'ws-content' }, h('p', { class: 'muted' }, t('ws.loading')));
  const nav = menu(page, user);
  mount(root, h('div', { class: 'ws' }, nav, content));
  showCounts(nav);
  let module;
  try {
    module = await PAGES[page]();
  } catch (_) {
    // Offline (the workspace is not part of the offline shell): say so instead of loading forever.
    mount(
      content,
      h('p', { class: 'notice bad', role: 'alert', id: 'ws-offline' }, t('ws.offline')),
    );
    return () => document.body.classList.remove('ws-mode');
  }
  document.title = `${t(`ws.${PARENT[page] || page}`)} · ${t('ws.title')}`;
  const cleanup = await module.render(content, { ...params, user }, query);
  return () => {
    document.body.classList.remove('ws-mode');
    if (typeof cleanup === 'function') cleanup();
  };
}
