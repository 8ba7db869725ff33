// The service worker: precaches the app shell under a version computed by the server from the
// content of the files (server/web.py replaces the two placeholders below), serves the shell
// cache-first so the app opens offline, and runs Background Sync.
import { isCutOff } from './js/cutoff.js';
import { syncOnce } from './js/sync.js';

const VERSION = '__VERSION__';
const PRECACHE = ['__PRECACHE__'];
const PREFIX = 'vha-shell-';
const CACHE = PREFIX + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  // The API goes straight to the network (the page handles offline); only the shell is cached.
  if (
    event.request.method !== 'GET' ||
    url.origin !== self.location.origin ||
    url.pathname.startsWith('/api/')
  )
    return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      if (event.request.mode === 'navigate') {
        return (await cache.match('./index.html')) || fetch(event.request);
      }
      return (await cache.match(event.request, { ignoreSearch: true })) || fetch(event.request);
    })(),
  );
});

self.addEventListener('sync', (event) => {
  if (event.tag !== 'vha-outbox') return;
  event.waitUntil(
    (async () => {
      let type = 'synced';
      try {
        await syncOnce();
      } catch (err) {
        if (!isCutOff(err)) throw err;
        type = 'cut_off'; // the phone was erased: open pages go to the sign-in screen
      }
      for (const client of await self.clients.matchAll()) client.postMessage({ type });
    })(),
  );
});
