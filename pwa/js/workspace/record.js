// One record as the reviewer judges it: every field under its label, the resident with the full
// ID number, who sent it from which device and when, every round of its history, and the
// approve / return / reject actions (which name the version seen, so a newer upload is not
// approved by mistake).
//
// Opened from the queue, its URL carries the queue's filters: back, previous / next and
// "approve (return) and open the next one" stay within the filtered queue. Keyboard shortcuts
// (desktop) are listed on the screen: j / k next / previous, a approve, n approve and open the
// next one, r write a return comment, u back to the queue.
import { request } from '../api.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { h, mount, notice, uid } from '../ui.js';
import { errorNotice, errorText, statusBadge, toQuery } from './common.js';
import { history } from './history.js';
import { marksList } from './queue.js';
import { apiFilters, queueFiltersOf } from './queuefilters.js';
import { endedBox, facts, formFields } from './recordfacts.js';

function actionForm(kind, labelKey, requiredKey, buttonClass, onAct, withNext = false) {
  const id = uid(`ws-${kind}`);
  const errId = `${id}-err`;
  const text = h('textarea', {
    id,
    name: kind === 'reject' ? 'reason' : 'comment',
    rows: 3,
    maxlength: 1000,
    required: true,
    'aria-describedby': errId,
  });
  const error = h('p', { class: 'error', id: errId, 'aria-live': 'polite' });
  return h(
    'form',
    {
      class: 'ws-action',
      id: `form-${kind}`,
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        const value = text.value.trim();
        if (!value) {
          error.textContent = t(requiredKey);
          text.setAttribute('aria-invalid', 'true');
          text.focus();
          return;
        }
        error.textContent = '';
        text.removeAttribute('aria-invalid');
        onAct(kind, value, e.submitter?.dataset.next === '1');
      },
    },
    h('label', { for: id }, t(labelKey)),
    text,
    error,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'submit', class: buttonClass, id: `do-${kind}` }, t(`record.${kind}`)),
      withNext
        ? h(
            'button',
            { type: 'submit', class: buttonClass, id: `do-${kind}-next`, dataset: { next: '1' } },
            t(`record.${kind}_next`),
          )
        : null,
    ),
  );
}

const SHORTCUTS = ['j', 'k', 'a', 'n', 'r', 'u'];
let keyHandler = null; // one listener, however often the screen redraws itself

function shortcutsHelp() {
  return h(
    'details',
    { class: 'ws-shortcuts', id: 'shortcuts' },
    h('summary', {}, t('record.shortcuts')),
    h(
      'dl',
      {},
      SHORTCUTS.map((k) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, t(`record.key_${k}`))]),
    ),
  );
}

function queueNav(nb, to, back) {
  const link = (id, key, rel) =>
    id
      ? h('a', { href: `#${to(id)}`, class: 'button secondary', id: `rec-${rel}`, rel }, t(key))
      : h('span', { class: 'muted', id: `rec-${rel}`, 'aria-disabled': 'true' }, t(key));
  return h(
    'nav',
    { class: 'row ws-record-nav', 'aria-label': t('record.queue_nav') },
    h('a', { href: `#${back}`, id: 'back-to-queue' }, t('record.back')),
    nb ? link(nb.previous_id, 'record.previous', 'prev') : null,
    nb
      ? h('span', { id: 'rec-position' }, t('record.position', { n: nb.position, total: nb.total }))
      : null,
    nb ? link(nb.next_id, 'record.next', 'next') : null,
  );
}

/** Keys that act only when no text field has focus and no modifier is held. */
function typing(e) {
  const el = e.target;
  return (
    e.ctrlKey ||
    e.metaKey ||
    e.altKey ||
    (el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)))
  );
}

export async function render(root, params, query = {}) {
  const filters = queueFiltersOf(query);
  const kept = toQuery({ ...filters, page: query.page });
  const back = `/ws/queue?${kept}`;
  const to = (id) => `/ws/record/${id}?${kept}`;
  const outcome = h('div', { id: 'review-outcome', 'aria-live': 'polite' });
  let r;
  let nb = null;
  try {
    [r, nb] = await Promise.all([
      request('GET', `/api/review/records/${encodeURIComponent(params.id)}`),
      request(
        'GET',
        `/api/review/records/${encodeURIComponent(params.id)}/neighbours?${toQuery(apiFilters(filters))}`,
      ).catch(() => null),
    ]);
  } catch (err) {
    mount(root, h('p', {}, h('a', { href: `#${back}` }, t('record.back'))), errorNotice(err));
    return;
  }
  const reload = () => render(root, params, query);

  async function act(kind, comment, andNext = false) {
    const body = { version: r.version };
    if (kind === 'return') body.comment = comment;
    if (kind === 'reject') body.reason = comment;
    for (const b of root.querySelectorAll('.ws-actions button')) b.disabled = true;
    try {
      await request('POST', `/api/review/records/${r.id}/${kind}`, body);
      if (andNext && nb?.next_id) {
        go(to(nb.next_id));
        return;
      }
      await render(root, params, query);
      root
        .querySelector('#review-outcome')
        .replaceChildren(
          notice('ok', t(`record.done.${kind}`), andNext ? [' ', t('record.last_one')] : null),
        );
    } catch (err) {
      for (const b of root.querySelectorAll('.ws-actions button')) b.disabled = false;
      if (err.code === 'stale_version') {
        outcome.replaceChildren(
          h(
            'div',
            { class: 'notice bad', role: 'alert', id: 'stale-version' },
            h('p', {}, t('record.stale', { mine: r.version })),
            h('button', { type: 'button', id: 'reload-record', onclick: reload }, t('ws.reload')),
          ),
        );
      } else {
        outcome.replaceChildren(h('div', { class: 'notice bad', role: 'alert' }, errorText(err)));
      }
    }
  }

  const pending = r.review_status === 'pending';
  mount(
    root,
    queueNav(nb, to, back),
    h('h1', {}, r.form_title, ' ', statusBadge(r.review_status)),
    outcome,
    r.resident?.ended_on ? endedBox(r.resident, outcome, reload) : null,
    r.marks?.length
      ? h(
          'section',
          { class: 'card ws-marks-card', 'aria-labelledby': 'marks-h' },
          h('h2', { id: 'marks-h' }, t('record.marks')),
          marksList(r.marks, 'rec-marks'),
        )
      : null,
    h(
      'div',
      { class: 'ws-record' },
      h('div', { class: 'ws-record-main' }, facts(r), formFields(r)),
      h(
        'div',
        { class: 'ws-record-side' },
        pending
          ? h(
              'section',
              { class: 'card ws-actions', 'aria-labelledby': 'actions-h' },
              h('h2', { id: 'actions-h' }, t('record.actions')),
              h(
                'div',
                { class: 'row' },
                h(
                  'button',
                  { type: 'button', id: 'do-approve', onclick: () => act('approve') },
                  t('record.approve'),
                ),
                h(
                  'button',
                  {
                    type: 'button',
                    id: 'do-approve-next',
                    onclick: () => act('approve', null, true),
                  },
                  t('record.approve_next'),
                ),
              ),
              actionForm(
                'return',
                'record.return_comment',
                'record.comment_required',
                'secondary',
                act,
                true,
              ),
              actionForm('reject', 'record.reject_reason', 'record.reason_required', 'danger', act),
            )
          : null,
        history(r),
        shortcutsHelp(),
      ),
    ),
  );

  const onKey = (e) => {
    if (typing(e) || !SHORTCUTS.includes(e.key)) return;
    const click = (sel) => root.querySelector(sel)?.click();
    if (e.key === 'j') click('#rec-next');
    if (e.key === 'k') click('#rec-prev');
    if (e.key === 'a') click('#do-approve');
    if (e.key === 'n') click('#do-approve-next');
    if (e.key === 'r') root.querySelector('#form-return textarea')?.focus();
    if (e.key === 'u') go(back);
    e.preventDefault();
  };
  if (keyHandler) document.removeEventListener('keydown', keyHandler);
  keyHandler = onKey;
  document.addEventListener('keydown', onKey);
  return () => {
    document.removeEventListener('keydown', onKey);
    if (keyHandler === onKey) keyHandler = null;
  };
}
