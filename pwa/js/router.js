// Hash routes (#/residents/<id>) so the one cached index.html serves every screen offline.
const routes = [];
let current = null;
let guard = null;

export function route(pattern, load) {
  const keys = [];
  const re = new RegExp(
    `^${pattern.replace(/:(\w+)/g, (_, k) => {
      keys.push(k);
      return '([^/]+)';
    })}$`,
  );
  routes.push({ re, keys, load });
}

/** `fn(path)` may answer another path to go to instead (e.g. the lock screen). */
export function setGuard(fn) {
  guard = fn;
}

export function go(path) {
  if (location.hash === `#${path}`) render();
  else location.hash = path;
}

export const currentScreen = () => current;

let flash = null;
const FLASH_MS = 10_000;

/**
 * Goes to `path` in place of the current entry of the history (a saved form is not returned to
 * with back), with `message` on top of that screen: kept through the redraws a sync makes for a
 * few seconds, gone once the user moves on.
 */
export function replaceWith(path, message = null) {
  flash = message ? { path, message, until: Date.now() + FLASH_MS } : null;
  if (location.hash === `#${path}`) render();
  else location.replace(`#${path}`);
}

// Renders run one at a time: a slow screen can no longer draw over the one asked for after it.
// A render still waiting when a newer one is queued is skipped; the newest reads the hash.
let chain = Promise.resolve();
let waiting = 0;

export function render() {
  waiting += 1;
  chain = chain
    .then(() => {
      waiting -= 1;
      return waiting > 0 ? undefined : renderNow();
    })
    .catch((error) => console.error('render failed', error));
  return chain;
}

async function renderNow() {
  let path = location.hash.replace(/^#/, '') || '/home';
  const [pathname, search = ''] = path.split('?');
  path = pathname;
  if (guard) {
    const redirect = await guard(path);
    if (redirect && redirect !== path) {
      go(redirect);
      return;
    }
  }
  const root = document.getElementById('app');
  for (const r of routes) {
    const m = r.re.exec(path);
    if (!m) continue;
    if (current?.cleanup) current.cleanup();
    const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
    const query = Object.fromEntries(new URLSearchParams(search));
    const screen = await r.load();
    current = { path, name: screen.name, isForm: Boolean(screen.isForm), cleanup: null };
    const cleanup = await screen.render(root, params, query);
    if (flash && (flash.path !== path || Date.now() > flash.until)) flash = null;
    if (flash) {
      const note = document.createElement('div');
      note.className = 'notice ok';
      note.setAttribute('role', 'status');
      note.id = 'flash';
      note.textContent = flash.message;
      root.prepend(note);
    }
    if (current && current.path === path) current.cleanup = cleanup || null;
    document.dispatchEvent(new CustomEvent('screen', { detail: current }));
    root.focus({ preventScroll: true });
    window.scrollTo(0, 0);
    return;
  }
  go('/home');
}

export function startRouter() {
  window.addEventListener('hashchange', render);
  return render();
}
