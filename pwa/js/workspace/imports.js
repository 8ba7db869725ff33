// Importing people from the county's spreadsheets: staff accounts (administrators; the
// temporary passwords come back once, as a sheet to print) and existing registers of
// households and residents (suspected duplicates listed by line). Each file is checked first;
// applying writes all of it or nothing.
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, mount, notice } from '../ui.js';
import { dropReferences, errorNotice } from './common.js';
import { downloadLink, fileInput, filePayload, issuesTable, refusedRows } from './upload.js';

/** One import card: choose a file, check it, read the report, apply. */
function importCard({ key, preview, apply, options = [], describe, extra }) {
  const result = h('div', { 'aria-live': 'polite', id: `${key}-result` });
  let payload = null;
  const show = (report) =>
    mount(
      result,
      h('p', { id: `${key}-summary` }, describe(report)),
      extra(report),
      report.errors.length ? issuesTable(`${key}-errors`, report.errors) : null,
      !report.applied && !report.errors.length
        ? h('button', { type: 'button', id: `${key}-apply`, onclick: run }, t('import.apply'))
        : null,
    );
  async function run() {
    try {
      show(await request('POST', apply, payload));
      dropReferences();
    } catch (err) {
      const rows = refusedRows(err);
      mount(result, rows ? issuesTable(`${key}-errors`, rows) : errorNotice(err));
    }
  }
  const form = h(
    'form',
    {
      class: 'card',
      id: `${key}-import`,
      'aria-labelledby': `${key}-h`,
      onsubmit: async (e) => {
        e.preventDefault();
        const file = form.elements.file.files[0];
        if (!file) return;
        payload = await filePayload(file);
        for (const [name] of options) payload[name] = form.elements[name].checked;
        try {
          show(await request('POST', preview, payload));
        } catch (err) {
          mount(result, errorNotice(err));
        }
      },
    },
    h('h2', { id: `${key}-h` }, t(`import.${key}.title`)),
    h('p', { class: 'muted' }, t(`import.${key}.hint`)),
    fileInput(`${key}-file`, t('import.file')),
    options.map(([name, label]) =>
      h(
        'label',
        { class: 'row' },
        h('input', { type: 'checkbox', name, id: `${key}-${name}` }),
        ' ',
        label,
      ),
    ),
    h('button', { type: 'submit', id: `${key}-preview` }, t('import.check')),
    result,
  );
  return form;
}

function passwords(report) {
  return h(
    'div',
    { id: 'staff-passwords' },
    notice('ok', t('import.staff.created', { n: report.created.length })),
    h('p', {}, t('import.staff.once')),
    downloadLink('staff-sheet', report.sheet, t('import.staff.download')),
    h(
      'table',
      { class: 'ws-table', id: 'staff-created' },
      h('caption', { class: 'sr-only' }, t('import.staff.title')),
      h(
        'tbody',
        {},
        report.created.map((c) =>
          h(
            'tr',
            { dataset: { username: c.username } },
            h('td', {}, c.username),
            h('td', {}, c.full_name),
            h('td', {}, c.org_unit_name),
            h('td', { class: 'temp-password' }, c.temporary_password),
          ),
        ),
      ),
    ),
  );
}

function duplicates(report) {
  if (!report.duplicates.length) return null;
  const where = (m) => (m.line ? t('import.dup_line', { line: m.line }) : m.village);
  return h(
    'ul',
    { id: 'register-duplicates' },
    report.duplicates.map((d) =>
      h(
        'li',
        {},
        t('import.dup', { line: d.line, name: d.name }),
        d.matches.map((m) => `${where(m)}（${t(`merge.reason.${m.reason}`)}）`).join('、'),
      ),
    ),
  );
}

export async function render(root, params) {
  const isAdmin = params.user && params.user.role === 'admin';
  const registerCard = importCard({
    key: 'register',
    preview: '/api/residents/import/preview',
    apply: '/api/residents/import',
    options: [['keep_duplicates', t('import.register.keep')]],
    describe: (r) => t(r.applied ? 'import.register.done' : 'import.register.would', r.summary),
    extra: duplicates,
  });
  const staffCard = isAdmin
    ? importCard({
        key: 'staff',
        preview: '/api/users/import/preview',
        apply: '/api/users/import',
        describe: (r) => t('import.staff.would', r.summary),
        extra: (r) => (r.applied ? passwords(r) : null),
      })
    : null;
  mount(
    root,
    h('h1', {}, t('ws.imports')),
    h('div', { class: 'ws-imports' }, staffCard, registerCard),
  );
}
