// The frame around the screens: connectivity pill, bottom tabs, and the lock/sign-in guard.
import { getMeta } from './db.js';
import { isUnlocked, mustChangePassword } from './auth.js';
import { t } from './i18n.js';
import { on } from './events.js';
import { h, mount } from './ui.js';

const TABS = [
  ['/home', 'tab.home'],
  ['/residents', 'tab.residents'],
  ['/records', 'tab.records'],
  ['/settings', 'tab.settings'],
];
export const CHANGE_PASSWORD = '/password';
const OPEN = new Set(['/login', '/unlock']);
// Screens shown without the bottom tabs: nothing else may open from them.
const NO_TABS = new Set([...OPEN, CHANGE_PASSWORD]);

/**
 * Where the user may go: no session → sign in; a temporary password → change it first (a cold
 * start signs in again, as no verifier is kept for it); a session on a fresh start → unlock.
 */
export async function guard(path) {
  const session = await getMeta('session');
  if (!session) return OPEN.has(path) && path === '/login' ? null : '/login';
  if (mustChangePassword(session.user)) {
    if (path === '/login') return null;
    if (!isUnlocked()) return '/login';
    return path === CHANGE_PASSWORD ? null : CHANGE_PASSWORD;
  }
  if (!isUnlocked()) return path === '/unlock' || path === '/login' ? null : '/unlock';
  if (path === '/unlock' || path === CHANGE_PASSWORD) return '/home';
  const staff = isStaff(session.user);
  if (staff && !path.startsWith('/ws/')) return '/ws/queue';
  if (!staff && path.startsWith('/ws/')) return '/home';
  return null;
}

/** Supervisors and admins see the workspace (pwa/js/workspace/), assistants the field app. */
export const isStaff = (user) =>
  Boolean(user && (user.role === 'supervisor' || user.role === 'admin'));

function drawNet(syncing) {
  const el = document.getElementById('net');
  const online = navigator.onLine;
  el.className = `net ${online ? 'online' : 'offline'}`;
  el.textContent = syncing ? t('net.syncing') : online ? t('net.online') : t('net.offline');
}

function drawTabs(path) {
  const nav = document.getElementById('tabs');
  nav.setAttribute('aria-label', t('tab.label'));
  nav.hidden = NO_TABS.has(path) || path.startsWith('/ws/');
  mount(
    nav,
    TABS.map(([href, key]) =>
      h('a', { href: `#${href}`, 'aria-current': path.startsWith(href) ? 'page' : null }, t(key)),
    ),
  );
}

export function startShell() {
  let syncing = false;
  drawNet(false);
  window.addEventListener('online', () => drawNet(syncing));
  window.addEventListener('offline', () => drawNet(syncing));
  on('sync', (p) => {
    syncing = p.state === 'running';
    drawNet(syncing);
  });
  document.addEventListener('screen', (e) => drawTabs(e.detail.path));
  document.addEventListener('langchange', () => {
    drawNet(syncing);
    document.getElementById('brand').textContent = t('app.name');
  });
  document.getElementById('brand').textContent = t('app.name');
}
