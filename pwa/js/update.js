// Service worker registration and the "new version" banner: the app reloads only when the user
// says so, and never while a form is open (the banner waits until the form is left).
import { t } from './i18n.js';
import { currentScreen } from './router.js';
import { h, mount } from './ui.js';

let waitingWorker = null;

function banner() {
  const el = document.getElementById('banner');
  if (!waitingWorker) {
    el.hidden = true;
    return;
  }
  const screen = currentScreen();
  const busy = screen?.isForm;
  el.hidden = false;
  mount(
    el,
    h('span', {}, busy ? t('update.after_form') : t('update.ready')),
    busy
      ? null
      : h(
          'button',
          {
            id: 'apply-update',
            onclick: () => waitingWorker.postMessage({ type: 'SKIP_WAITING' }),
          },
          t('update.reload'),
        ),
  );
}

function track(reg) {
  if (reg.waiting && navigator.serviceWorker.controller) {
    waitingWorker = reg.waiting;
    banner();
  }
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing;
    worker.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) {
        waitingWorker = worker;
        banner();
      }
    });
  });
}

export async function registerWorker() {
  if (!('serviceWorker' in navigator)) return null;
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading || !waitingWorker) return;
    reloading = true;
    location.reload();
  });
  navigator.serviceWorker.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'synced') document.dispatchEvent(new Event('datachanged'));
  });
  document.addEventListener('screen', banner);
  document.addEventListener('langchange', banner);
  const reg = await navigator.serviceWorker.register('sw.js', {
    type: 'module',
    updateViaCache: 'none',
  });
  track(reg);
  // Look for a new deploy when the app comes back to the foreground and every half hour.
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) reg.update().catch(() => {});
  });
  setInterval(() => reg.update().catch(() => {}), 30 * 60 * 1000);
  return reg;
}

/** For tests and the settings screen: check for a new version now. */
export async function checkForUpdate() {
  const reg = await navigator.serviceWorker.getRegistration();
  if (reg) await reg.update();
}
