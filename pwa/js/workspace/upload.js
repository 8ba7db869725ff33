// What the import screens share: a chosen file sent as JSON (base64), the problems of each
// bad row in the user's language (line, column, worded from the problem's code), a download.
import { pick, t } from '../i18n.js';
import problems from '../i18n/problems.js';
import { h } from '../ui.js';

/** The chosen file as the import endpoints take it: `{filename, content}` (base64). */
export async function filePayload(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return { filename: file.name, content: btoa(binary) };
}

/** One row's problem in words: the catalogue's wording filled with its parameters. */
export function issueText(issue) {
  const words = Object.hasOwn(problems, issue.code) ? pick(problems[issue.code]) : '';
  if (!words) return issue.message;
  return words.replace(/\{(\w+)\}/g, (_, name) => issue.params?.[name] ?? `{${name}}`);
}

/** A column's name as the user reads it (the file's own header otherwise). */
export function columnText(column) {
  const key = `import.col.${column}`;
  const text = t(key);
  return text === key ? column : text;
}

/** The bad rows of a report, one per line of a table. */
export function issuesTable(id, issues) {
  return h(
    'div',
    { class: 'ws-table-wrap' },
    h(
      'table',
      { class: 'ws-table', id },
      h('caption', {}, t('import.errors', { n: issues.length })),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['import.line', 'import.column', 'import.problem'].map((k) =>
            h('th', { scope: 'col' }, t(k)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        issues.map((issue) =>
          h(
            'tr',
            { dataset: { code: issue.code, line: String(issue.line) } },
            h('td', {}, String(issue.line)),
            h('td', {}, columnText(issue.column)),
            h('td', {}, issueText(issue)),
          ),
        ),
      ),
    ),
  );
}

/** The rows of a refused apply (`import_has_errors`), or null for any other error. */
export const refusedRows = (err) =>
  err && err.code === 'import_has_errors' && err.errors ? err.errors.rows || [] : null;

/** A link that saves base64 content as a file (the temporary passwords' sheet). */
export function downloadLink(id, sheet, label) {
  const bytes = Uint8Array.from(atob(sheet.content), (c) => c.charCodeAt(0));
  const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  return h('a', { id, href: url, download: sheet.filename, class: 'button' }, label);
}

/** A file chooser for CSV or XLSX. */
export function fileInput(id, label) {
  return h(
    'div',
    { class: 'ws-field' },
    h('label', { for: id }, label),
    h('input', {
      id,
      type: 'file',
      name: 'file',
      required: true,
      accept:
        '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    }),
  );
}
