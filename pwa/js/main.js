// Entry point: shell, routes, service worker, sync.
import { addStrings, setLang, storedLang, t } from './i18n.js';
import zh from './i18n/field.zh-CN.js';
import en from './i18n/field.en.js';
import { go, route, setGuard, startRouter, render } from './router.js';
import { CHANGE_PASSWORD, guard, isStaff, startShell } from './shell.js';
import { registerWorker } from './update.js';
import { start as startSync } from './scheduler.js';
import { askPersistence } from './storage.js';
import { getMeta } from './db.js';
import { isUnlocked } from './auth.js';
import { on } from './events.js';
import { currentScreen } from './router.js';
import * as login from './screens/login.js';
import * as home from './screens/home.js';
import * as residents from './screens/residents.js';
import * as resident from './screens/resident.js';
import * as household from './screens/household.js';
import * as form from './screens/form.js';
import * as records from './screens/records.js';
import * as settings from './screens/settings.js';
import * as drafts from './screens/drafts.js';
import * as password from './screens/password.js';
import registerZh from './i18n/register.zh-CN.js';
import registerEn from './i18n/register.en.js';
import episodesZh from './i18n/episodes.zh-CN.js';
import episodesEn from './i18n/episodes.en.js';
import * as residentEdit from './screens/resident_edit.js';
import * as residentEnd from './screens/resident_end.js';
import * as residentMove from './screens/resident_move.js';
import * as birth from './screens/birth.js';
import * as householdView from './screens/household_view.js';
import * as memberNew from './screens/member_new.js';

addStrings({ 'zh-CN': zh, en });
addStrings({ 'zh-CN': registerZh, en: registerEn });
addStrings({ 'zh-CN': episodesZh, en: episodesEn });
setLang(storedLang());
route('/login', () => login);
route('/unlock', () => login.unlockScreen);
route('/home', () => home);
route('/residents', () => residents);
route('/residents/:id', () => resident);
route('/households/new', () => household);
// Keeping the register current (after /households/new, which :id would also match).
route('/residents/:id/edit', () => residentEdit);
route('/residents/:id/end', () => residentEnd);
route('/residents/:id/move', () => residentMove);
route('/residents/:id/birth', () => birth);
route('/households/:id', () => householdView);
route('/households/:id/edit', () => householdView.edit);
route('/households/:id/member', () => memberNew);
route('/form/:code', () => form);
route('/records', () => records);
route('/records/:id', () => records.detail);
route('/settings', () => settings);
route('/drafts', () => drafts);
route(CHANGE_PASSWORD, () => password); // a temporary password must be changed first
// Supervisors and admins get the workspace instead (loaded on demand, online only): offline, a
// screen that says so rather than the shell's placeholder forever.
const needsNetwork = {
  name: 'workspace-offline',
  render: (root) => {
    root.replaceChildren();
    const p = document.createElement('p');
    p.className = 'notice bad';
    p.id = 'ws-offline';
    p.setAttribute('role', 'alert');
    p.textContent = t('ws.needs_network');
    root.append(p);
  },
};
const workspace = () => import('./workspace/workspace.js').catch(() => needsNetwork);
route('/ws/:page', workspace);
route('/ws/:page/:id', workspace);
setGuard(guard);
startShell();

async function startSyncWhenSignedIn() {
  const session = await getMeta('session');
  if (session && isUnlocked() && !isStaff(session.user)) {
    startSync();
    askPersistence().catch(() => {});
  }
}

startRouter().then(startSyncWhenSignedIn);
window.addEventListener('hashchange', startSyncWhenSignedIn);
// Fresh data from a sync redraws lists, but never a form being filled (or home, which redraws itself).
const redraw = () => {
  const s = currentScreen();
  if (s && !s.isForm && s.name !== 'home') render();
};
document.addEventListener('datachanged', redraw);
on('sync', (p) => {
  if (p.state === 'idle') redraw();
});
// A stopped phone has just been erased (by this page or by the service worker): say why.
on('cutoff', () => go('/login'));
navigator.serviceWorker?.addEventListener('message', (e) => {
  if (e.data?.type === 'cut_off') go('/login');
});
registerWorker().catch((err) => console.warn('service worker not registered', err));
