// Home: the sync state at a glance and the day's work.
import { getMeta, setMeta } from '../db.js';
import { on } from '../events.js';
import { currentForms, summary } from '../data.js';
import { t, when, pick } from '../i18n.js';
import { run as syncNow } from '../scheduler.js';
import { storageInfo } from '../storage.js';
import { h, mount, notice } from '../ui.js';

export const name = 'home';

function progressView(p) {
  if (!p || p.state !== 'running') return null;
  const pct = p.total ? Math.round((100 * p.done) / p.total) : 0;
  const text =
    p.phase === 'push'
      ? t('sync.pushing', { done: p.done || 0, total: p.total || 0 })
      : t('sync.pulling', { received: p.received || 0 });
  return h(
    'div',
    { class: 'card', id: 'sync-progress' },
    h('p', {}, text),
    p.phase === 'push'
      ? h(
          'div',
          {
            class: 'progress',
            role: 'progressbar',
            'aria-valuenow': pct,
            'aria-valuemin': 0,
            'aria-valuemax': 100,
            'aria-label': text,
          },
          h('span', { style: { width: `${pct}%` } }),
        )
      : null,
  );
}

export async function render(root) {
  let progress = null;
  let left = false;
  const slot = h('div', { id: 'progress-slot' });
  const draw = async () => {
    const [s, lastSync, lastError, session, forms, storage, duplicates] = await Promise.all([
      summary(),
      getMeta('last_sync'),
      getMeta('last_error'),
      getMeta('session'),
      currentForms(),
      storageInfo(),
      getMeta('duplicates', []),
    ]);
    // A redraw started by a sync or network event may finish after the user has moved on.
    if (left) return;
    const online = navigator.onLine;
    const problems = [];
    if (session?.expired)
      problems.push(
        notice(
          'bad',
          t('home.expired'),
          ' ',
          h(
            'a',
            { href: `#/login?u=${encodeURIComponent(session.user.username)}` },
            t('home.signin'),
          ),
        ),
      );
    if (s.rejectedUploads)
      problems.push(
        notice(
          'bad',
          h('a', { href: '#/records' }, t('home.rejected_uploads', { n: s.rejectedUploads })),
        ),
      );
    if (s.returned)
      problems.push(
        notice('warn', h('a', { href: '#/records' }, t('home.returned', { n: s.returned }))),
      );
    if (lastError && online && lastError.status !== 401)
      problems.push(
        notice('warn', t('home.sync_error', { message: lastError.message || lastError.code })),
      );
    for (const d of duplicates) {
      problems.push(
        notice(
          'warn',
          h(
            'a',
            { href: `#/residents/${d.id}` },
            t('home.duplicate', { name: d.name, n: d.matches.length }),
          ),
          ' ',
          h(
            'button',
            {
              class: 'secondary',
              onclick: async () => {
                await setMeta(
                  'duplicates',
                  (await getMeta('duplicates', [])).filter((x) => x.id !== d.id),
                );
                draw();
              },
            },
            t('home.dismiss'),
          ),
        ),
      );
    }
    if (storage?.warn) problems.push(notice('warn', t('storage.evictable')));
    const activity = forms.filter((f) => f.subject === 'activity');
    mount(slot, progressView(progress));
    mount(
      root,
      h('h1', {}, t('home.title')),
      h(
        'div',
        { class: 'grid2' },
        h(
          'div',
          { class: 'stat', id: 'stat-online' },
          h('span', { class: 'muted' }, t('home.network')),
          h('b', {}, online ? t('net.online') : t('net.offline')),
        ),
        h(
          'div',
          { class: 'stat', id: 'stat-waiting' },
          h('span', { class: 'muted' }, t('home.waiting')),
          h('b', { 'data-count': s.waiting }, String(s.waiting)),
        ),
        h(
          'div',
          { class: 'stat', id: 'stat-last-sync' },
          h('span', { class: 'muted' }, t('home.last_sync')),
          h('b', { class: 'stat-time' }, when(lastSync)),
        ),
        h(
          'div',
          { class: 'stat' },
          h('span', { class: 'muted' }, t('home.today')),
          h('b', {}, String(s.todayRecords.length)),
        ),
      ),
      slot,
      problems,
      h(
        'div',
        { class: 'row sync-actions' },
        h(
          'button',
          { id: 'sync-now', disabled: !online, onclick: () => syncNow() },
          t('home.sync_now'),
        ),
        h('a', { class: 'button secondary', href: '#/households/new' }, t('home.register')),
      ),
      h('h2', {}, t('home.day')),
      s.todayRecords.length
        ? h(
            'ul',
            { class: 'list' },
            s.todayRecords.map((r) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: `#/records/${r.id}` },
                  `${r.resident_name || ''} ${r.form_code} `,
                  h('span', { class: `badge ${r.state}` }, t(`state.${r.state}`)),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('home.nothing_today')),
      activity.length
        ? [
            h('h2', {}, t('home.activities')),
            h(
              'ul',
              { class: 'list' },
              activity.map((f) => h('li', {}, h('a', { href: `#/form/${f.code}` }, pick(f.title)))),
            ),
          ]
        : null,
      storage
        ? h(
            'p',
            { class: 'muted', id: 'storage' },
            t('storage.used', {
              used: storage.usedText,
              persisted: storage.persisted ? t('storage.persisted') : t('storage.not_persisted'),
            }),
          )
        : null,
    );
  };
  await draw();
  // While a sync runs only its progress card changes: redrawing the whole screen on every pull
  // page would re-read every local record each time. The numbers are redrawn when it ends.
  const offSync = on('sync', (p) => {
    progress = p;
    if (p.state === 'running' && slot.isConnected) mount(slot, progressView(p));
    else draw();
  });
  const onNet = () => draw();
  window.addEventListener('online', onNet);
  window.addEventListener('offline', onNet);
  return () => {
    left = true;
    offSync();
    window.removeEventListener('online', onNet);
    window.removeEventListener('offline', onNet);
  };
}
