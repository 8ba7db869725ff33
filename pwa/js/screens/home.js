// Home: the sync state at a glance and the day's work.
import { getMeta, setMeta } from '../db.js';
import { on } from '../events.js';
import { allForms, currentForms, residentNames, summary } from '../data.js';
import { wechatNotice } from '../wechat.js';
import { t, when, pick } from '../i18n.js';
import { run as syncNow } from '../scheduler.js';
import { storageInfo } from '../storage.js';
import { h, mount, notice } from '../ui.js';
import { recordLine, refusalText, titleIndex } from './wording.js';

export const name = 'home';

const TODAY_SHOWN = 5; // home is a summary: the whole day is on the records screen

/** How to keep the data: install to the home screen (steps for the browsers seen in villages). */
function storageWarning() {
  return notice(
    'warn',
    { id: 'storage-warning' },
    h('p', {}, t('storage.at_risk')),
    h(
      'details',
      {},
      h('summary', {}, t('storage.how')),
      h(
        'ul',
        {},
        [
          'storage.step_chrome',
          'storage.step_huawei',
          'storage.step_xiaomi',
          'storage.step_other',
        ].map((key) => h('li', {}, t(key))),
      ),
    ),
  );
}

function progressView(p) {
  if (!p || p.state !== 'running') return null;
  const pct = p.total ? Math.round((100 * p.done) / p.total) : 0;
  // Before the outbox is counted (or with nothing to send) there is no "0/0": just "syncing".
  const text =
    p.phase === 'push'
      ? p.total
        ? t('sync.pushing', { done: p.done || 0, total: p.total })
        : t('net.syncing')
      : t('sync.pulling', { received: p.received || 0 });
  return h(
    'div',
    { class: 'card', id: 'sync-progress' },
    h('p', {}, text),
    p.phase === 'push' && p.total
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
  let drawing = 0;
  const draw = async () => {
    const mine = ++drawing; // only the newest draw shows: an older one read older numbers
    const [s, lastSync, lastError, session, forms, storage, duplicates, names, stored] =
      await Promise.all([
        summary(),
        getMeta('last_sync'),
        getMeta('last_error'),
        getMeta('session'),
        currentForms(),
        storageInfo(),
        getMeta('duplicates', []),
        residentNames(),
        allForms(),
      ]);
    // A redraw started by a sync or network event may finish after the user has moved on.
    if (left || mine !== drawing) return;
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
        notice(
          'warn',
          { id: 'home-returned' },
          h('a', { href: '#/records' }, t('home.returned', { n: s.returned })),
        ),
      );
    if (s.reviewRejected)
      problems.push(
        notice(
          'bad',
          { id: 'home-rejected' },
          h('a', { href: '#/records' }, t('home.review_rejected', { n: s.reviewRejected })),
        ),
      );
    if (lastError && online && lastError.status !== 401)
      problems.push(notice('warn', t('home.sync_error', { message: refusalText(lastError) })));
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
    // Only when the browser may evict AND there is something to lose: unsent records or drafts.
    if (storage && !storage.persisted && (s.waiting || s.drafts)) problems.push(storageWarning());
    else if (storage?.nearlyFull) problems.push(notice('warn', t('storage.evictable')));
    const activity = forms.filter((f) => f.subject === 'activity');
    const titles = titleIndex(stored);
    const shown = s.todayRecords.slice(0, TODAY_SHOWN);
    mount(slot, progressView(progress));
    mount(
      root,
      h('h1', {}, t('home.title')),
      wechatNotice(),
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
          'a',
          { class: 'stat', id: 'stat-waiting', href: '#/records' },
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
      h(
        'ul',
        { class: 'list', id: 'home-links' },
        h(
          'li',
          {},
          h('a', { href: '#/drafts', id: 'drafts-link' }, t('home.drafts', { n: s.drafts })),
        ),
        h('li', {}, h('a', { href: '#/residents' }, t('home.find_resident'))),
        h('li', {}, h('a', { href: '#/records' }, t('home.all_records'))),
      ),
      h('h2', {}, t('home.day')),
      shown.length
        ? [
            h(
              'ul',
              { class: 'list', id: 'today-list' },
              shown.map((r) =>
                h('li', {}, h('a', { href: `#/records/${r.id}` }, recordLine(r, titles, names))),
              ),
            ),
            s.todayRecords.length > shown.length
              ? h(
                  'p',
                  {},
                  h(
                    'a',
                    { href: '#/records', id: 'today-more' },
                    t('home.today_more', { n: s.todayRecords.length }),
                  ),
                )
              : null,
          ]
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
  // Listening before the first draw: a sync that ends while home is being drawn (a refused
  // session, say) still redraws it.
  // While a sync runs only its progress card changes: redrawing the whole screen on every pull
  // page would re-read every local record each time. The numbers are redrawn when it ends.
  const offSync = on('sync', (p) => {
    progress = p;
    if (p.state === 'running' && slot.isConnected) {
      mount(slot, progressView(p));
      // 待上传 counts down as batches are accepted, not only when the whole sync ends.
      const stat = root.querySelector('#stat-waiting b');
      if (stat && p.phase === 'push' && p.total) {
        const n = Math.max(0, Number(stat.dataset.start ?? stat.dataset.count) - (p.done || 0));
        stat.dataset.start = stat.dataset.start ?? stat.dataset.count;
        stat.dataset.count = String(n);
        stat.textContent = String(n);
      }
    } else draw();
  });
  const onNet = () => draw();
  window.addEventListener('online', onNet);
  window.addEventListener('offline', onNet);
  await draw();
  return () => {
    left = true;
    offSync();
    window.removeEventListener('online', onNet);
    window.removeEventListener('offline', onNet);
  };
}
