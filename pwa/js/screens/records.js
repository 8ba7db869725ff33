// Outbox and history: every own record with its state; returned and rejected ones can be corrected.
import { get } from '../db.js';
import { allForms, formDef, myRecords, recordState, residentNames } from '../data.js';
import { all as allMutations, unsent, withdraw } from '../outbox.js';
import { pick, t, when } from '../i18n.js';
import { replaceWith } from '../router.js';
import { h, mount, notice } from '../ui.js';
import { showConflicts } from './conflictnote.js';
import { display, fieldErrorText, recordLine, refusalText, titleIndex } from './wording.js';

export const name = 'records';
const ORDER = ['rejected', 'returned', 'waiting', 'uploaded', 'approved'];
const PAGE = 200;

export async function render(root) {
  const mutations = await allMutations(); // one reading for the count and the states below
  const [records, forms, names] = await Promise.all([
    myRecords(mutations),
    allForms(),
    residentNames(),
  ]);
  const titles = titleIndex(forms);
  const waiting = mutations.filter((m) => m.state === 'waiting');
  const byState = Object.fromEntries(ORDER.map((s) => [s, records.filter((r) => r.state === s)]));
  mount(
    root,
    h('h1', {}, t('records.title')),
    h(
      'p',
      { id: 'outbox-count', 'data-count': waiting.length },
      t('records.outbox', { n: waiting.length }),
    ),
    ORDER.filter((s) => byState[s].length).map((s) => [
      h('h2', {}, t(`state.${s}`), ` (${byState[s].length})`),
      pagedList(byState[s], s, (r) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: `#/records/${r.id}` },
            h('b', {}, r.visit_date),
            ' ',
            recordLine(r, titles, names),
            r.review_comment && (s === 'returned' || s === 'rejected')
              ? h('div', { class: 'muted comment' }, r.review_comment)
              : null,
          ),
        ),
      ),
    ]),
    records.length ? null : h('p', { class: 'muted' }, t('records.none')),
  );
}

/** How many of each state's list the user has opened, kept when a sync redraws the screen. */
const opened = new Map();

/** A list drawn PAGE items at a time: thousands of list items at once stall a cheap phone. */
function pagedList(items, state, item) {
  const list = h('ul', { class: 'list', dataset: { state } });
  const more = h('button', { type: 'button', class: 'secondary block', dataset: { more: state } });
  let shown = 0;
  const showUpTo = (count) => {
    list.append(...items.slice(shown, count).map(item));
    shown = Math.min(items.length, count);
    opened.set(state, shown);
    more.textContent = t('records.more', {
      n: Math.min(PAGE, items.length - shown),
      total: items.length,
    });
    more.hidden = shown >= items.length;
  };
  more.addEventListener('click', () => showUpTo(shown + PAGE));
  showUpTo(Math.max(PAGE, opened.get(state) || 0));
  return [list, more];
}

export const detail = {
  name: 'record',
  async render(root, { id }) {
    const record = await get('records', id);
    if (!record) {
      mount(root, notice('bad', t('error.not_found')));
      return;
    }
    const { state, upload } = recordState(record, await allMutations());
    const def = await formDef(record.form_code, record.form_version);
    const fields = def ? def.fields.filter((f) => f.name in (record.data || {})) : [];
    const person = record.resident_id ? await get('residents', record.resident_id) : null;
    const name = record.resident_name || person?.name;
    // A supervisor's rejection, told apart from a return and from a refused upload.
    const reviewRejected = state === 'rejected' && !upload;
    const canCorrect = state === 'returned' || state === 'rejected';
    // Corrected while it waits (a correction taken by a sync already follows it as an update);
    // deleted only while no sync has taken it: after that it may be on the server.
    const waiting = state === 'waiting';
    const deletable = waiting && (await unsent(record.id));
    const status = h('div', { 'aria-live': 'polite' });
    const remove = async () => {
      if (await withdraw('service_record', record.id)) {
        replaceWith(
          record.resident_id ? `/residents/${record.resident_id}` : '/records',
          t('records.deleted'),
        );
      } else mount(status, notice('bad', t('records.delete_too_late')));
    };
    const askRemove = () =>
      mount(
        status,
        notice(
          'warn',
          t('records.delete_confirm'),
          ' ',
          h(
            'button',
            { type: 'button', class: 'danger', id: 'delete-confirm', onclick: remove },
            t('records.delete_yes'),
          ),
        ),
      );
    const conflicts = h('div', { id: 'record-conflicts', 'aria-live': 'polite' });
    showConflicts(conflicts, record.id); // a value of ours that lost: the supervisor decides
    mount(
      root,
      h('h1', {}, def ? pick(def.title) : record.form_code),
      h('p', {}, h('span', { class: `badge ${state}`, id: 'record-state' }, t(`state.${state}`))),
      state === 'returned'
        ? notice(
            'warn',
            { id: 'review-advice' },
            h('b', {}, t('records.returned_title')),
            ' ',
            h('span', { id: 'review-comment' }, record.review_comment || ''),
            h('p', {}, t('records.returned_todo')),
          )
        : reviewRejected
          ? notice(
              'bad',
              { id: 'review-advice' },
              h('b', {}, t('records.rejected_title')),
              ' ',
              h('span', { id: 'review-comment' }, record.review_comment || t('records.no_reason')),
              h('p', {}, t('records.rejected_todo')),
            )
          : record.review_comment
            ? notice(
                state === 'approved' ? 'ok' : 'warn',
                h('b', {}, t('records.comment')),
                ' ',
                h('span', { id: 'review-comment' }, record.review_comment),
              )
            : null,
      waiting
        ? notice(
            'warn',
            { id: 'waiting-advice' },
            t(deletable ? 'records.waiting_todo' : 'records.sending_todo'),
          )
        : null,
      upload
        ? notice(
            'bad',
            h('b', {}, t('records.upload_rejected')),
            ' ',
            h('span', { id: 'refusal' }, refusalText(upload)),
            h(
              'ul',
              {},
              Object.entries(upload.errors || {}).flatMap(([f, msgs]) =>
                fieldErrorText(f, msgs, def).map((line) => h('li', {}, line)),
              ),
            ),
          )
        : null,
      conflicts,
      h(
        'div',
        { class: 'card' },
        h(
          'dl',
          { class: 'summary' },
          h('dt', {}, t('form.visit_date')),
          h('dd', {}, record.visit_date),
          name ? [h('dt', {}, t('resident.name')), h('dd', {}, name)] : null,
          fields.flatMap((f) => [
            h('dt', {}, pick(f.label)),
            h('dd', {}, display(f, record.data[f.name])),
          ]),
          record.created_at
            ? [h('dt', {}, t('records.created')), h('dd', {}, when(record.created_at))]
            : null,
        ),
      ),
      canCorrect && def
        ? h(
            'a',
            {
              class: 'button block',
              id: 'correct',
              href: `#/form/${record.form_code}?record=${record.id}`,
            },
            t(reviewRejected ? 'records.correct_rejected' : 'records.correct'),
          )
        : null,
      waiting && def
        ? h(
            'div',
            { class: 'row' },
            h(
              'a',
              {
                class: 'button block',
                id: 'edit-waiting',
                href: `#/form/${record.form_code}?record=${record.id}`,
              },
              t('records.edit_waiting'),
            ),
            deletable
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'danger block',
                    id: 'delete-waiting',
                    onclick: askRemove,
                  },
                  t('records.delete_waiting'),
                )
              : null,
          )
        : null,
      status,
      record.resident_id
        ? h(
            'p',
            {},
            h('a', { href: `#/residents/${record.resident_id}` }, t('records.to_resident')),
          )
        : null,
    );
  },
};
