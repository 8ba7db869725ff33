// "Confirm with the centre": the township's reported chronic and notifiable conditions
// (GET /api/tags/to-confirm, oldest report first), each with the resident, village, since when
// and where the report came from. The supervisor confirms what the centre diagnosed, or removes
// a tag that is not so with the reason (both audited on the server); the list redraws after each.
import { request } from '../api.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { h, mount, notice } from '../ui.js';
import { errorNotice, errorText, fmt, formTitle, references, toQuery } from './common.js';

const PER_PAGE = 20;

function residentText(r) {
  return t('tagreview.resident', {
    name: r.name,
    sex: t(`sex.${r.sex}`),
    birth: r.birth_date,
    village: r.village ? r.village.name : '',
  });
}

function origin(item, forms) {
  const { span, record } = item;
  const from = t(`tagreview.origin.${span.origin}`);
  if (!record) return from;
  const what = t('tagreview.record', {
    form: formTitle(forms, record.form_code),
    date: record.visit_date,
  });
  return [from, '：', h('a', { href: `#/ws/record/${record.id}` }, what)];
}

function removeForm(item, done, outcome) {
  const { span, resident } = item;
  const id = `note-${span.id}`;
  const note = h('textarea', { id, name: 'note', rows: 2, maxlength: 500, required: true });
  const names = { name: resident.name, tag: t(`tag.${span.tag}`) };
  return h(
    'form',
    {
      class: 'ws-tag-remove',
      onsubmit: async (event) => {
        event.preventDefault();
        const text = note.value.trim();
        if (!text) {
          outcome.replaceChildren(notice('bad', t('tagreview.note_needed')));
          note.focus();
          return;
        }
        try {
          const path = `/api/residents/${resident.id}/tags/${span.tag}/remove`;
          await request('POST', path, { note: text });
          await done(notice('ok', t('tagreview.removed', names)));
        } catch (err) {
          outcome.replaceChildren(notice('bad', errorText(err)));
        }
      },
    },
    h('label', { for: id }, t('tagreview.note')),
    note,
    h(
      'button',
      { type: 'submit', class: 'danger remove', 'aria-label': t('tagreview.remove_label', names) },
      t('tagreview.remove'),
    ),
  );
}

function itemCard(item, forms, done, outcome) {
  const { span, resident } = item;
  const names = { name: resident.name, tag: t(`tag.${span.tag}`) };
  const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
  return h(
    'article',
    { class: 'card ws-tag-item', dataset: { id: span.id, tag: span.tag } },
    h('h2', {}, residentText(resident), ' ', h('span', { class: 'badge' }, names.tag)),
    h(
      'dl',
      { class: 'summary' },
      row(t('tagreview.since'), span.start_on || t('tagreview.since_unknown')),
      row(t('tagreview.reported_at'), fmt(span.created_at)),
      row(t('tagreview.origin'), origin(item, forms)),
    ),
    h(
      'div',
      { class: 'row ws-tag-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'confirm',
          'aria-label': t('tagreview.confirm_label', names),
          onclick: async () => {
            try {
              await request('POST', `/api/residents/${resident.id}/tags/${span.tag}/confirm`);
              await done(notice('ok', t('tagreview.confirmed', names)));
            } catch (err) {
              outcome.replaceChildren(notice('bad', errorText(err)));
            }
          },
        },
        t('tagreview.confirm'),
      ),
    ),
    removeForm(item, done, outcome),
  );
}

function pager(data) {
  const pages = Math.max(1, Math.ceil(data.total / data.per_page));
  if (pages === 1) return null;
  const to = (page) => () => go(`/ws/tagreview?${toQuery({ page })}`);
  return h(
    'nav',
    { class: 'row ws-pager', 'aria-label': t('tagreview.page', { page: data.page, pages }) },
    h(
      'button',
      { type: 'button', class: 'secondary', disabled: data.page <= 1, onclick: to(data.page - 1) },
      t('tagreview.previous'),
    ),
    h('span', {}, t('tagreview.page', { page: data.page, pages })),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        disabled: data.page >= pages,
        onclick: to(data.page + 1),
      },
      t('tagreview.next'),
    ),
  );
}

export async function render(root, _params, query = {}) {
  const page = Number(query.page) > 0 ? Number(query.page) : 1;
  const outcome = h('div', { id: 'tagreview-outcome', 'aria-live': 'polite' });
  const list = h('div', { id: 'tagreview-list' }, h('p', { class: 'muted' }, t('ws.loading')));
  mount(root, h('h1', {}, t('tagreview.title')), h('p', {}, t('tagreview.intro')), outcome, list);
  const forms = await references()
    .then((refs) => refs.forms)
    .catch(() => []);
  async function draw(message) {
    let data;
    try {
      data = await request('GET', `/api/tags/to-confirm?${toQuery({ page, per_page: PER_PAGE })}`);
    } catch (err) {
      mount(list, errorNotice(err));
      return;
    }
    if (message) outcome.replaceChildren(message);
    if (!data.items.length && data.page > 1 && data.total) {
      go('/ws/tagreview');
      return;
    }
    mount(
      list,
      data.items.length
        ? [
            h(
              'p',
              { id: 'tagreview-total', class: 'muted' },
              t('tagreview.total', { n: data.total }),
            ),
            data.items.map((item) => itemCard(item, forms, draw, outcome)),
            pager(data),
          ]
        : h('p', { class: 'muted', id: 'tagreview-none' }, t('tagreview.none')),
    );
  }
  await draw();
}
