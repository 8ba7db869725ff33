// The org-unit import card of the tree screen: choose the county's list, read the preview of
// what changes (added, renamed, new populations, moved, and each bad row by line and column),
// then apply it, all or nothing.
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, mount } from '../ui.js';
import { dropReferences, errorNotice } from './common.js';
import { fileInput, filePayload, issuesTable, refusedRows } from './upload.js';

function changesTable(id, caption, outcomes) {
  if (!outcomes.length) return null;
  const shown = (v) => (v && typeof v === 'object' ? JSON.stringify(v) : String(v ?? '—'));
  return h(
    'table',
    { class: 'ws-table', id },
    h('caption', {}, `${caption}（${outcomes.length}）`),
    h(
      'tbody',
      {},
      outcomes.map((o) =>
        h(
          'tr',
          { dataset: { code: o.code } },
          h('td', {}, String(o.line)),
          h('td', {}, o.code),
          h('td', {}, o.name),
          h(
            'td',
            {},
            Object.entries(o.changes || {})
              .map(([k, [a, b]]) => `${t(`orgtree.field.${k}`)}: ${shown(a)} → ${shown(b)}`)
              .join('；'),
          ),
        ),
      ),
    ),
  );
}

function reportView(report, onApply) {
  const s = report.summary;
  const changes = s.added + s.renamed + s.population_changed + s.moved;
  return h(
    'div',
    { id: 'org-report' },
    h('p', { id: 'org-summary' }, t(report.applied ? 'orgtree.applied' : 'orgtree.summary', s)),
    changesTable('org-added', t('orgtree.will_add'), report.added),
    changesTable('org-renamed', t('orgtree.will_rename'), report.renamed),
    changesTable('org-population', t('orgtree.will_population'), report.population_changed),
    changesTable('org-moved', t('orgtree.will_move'), report.moved),
    report.errors.length ? issuesTable('org-errors', report.errors) : null,
    !report.applied && !report.errors.length && changes
      ? h('button', { type: 'button', id: 'org-apply', onclick: onApply }, t('orgtree.apply'))
      : null,
  );
}

export function importCard(reload) {
  const result = h('div', { 'aria-live': 'polite', id: 'org-import-result' });
  let payload = null;
  const form = h(
    'form',
    {
      class: 'card',
      id: 'org-import',
      'aria-labelledby': 'org-import-h',
      onsubmit: async (e) => {
        e.preventDefault();
        const file = form.elements.file.files[0];
        if (!file) return;
        payload = { ...(await filePayload(file)), allow_moves: form.elements.allow_moves.checked };
        try {
          const report = await request('POST', '/api/org-units/import/preview', payload);
          mount(result, reportView(report, apply));
        } catch (err) {
          mount(result, errorNotice(err));
        }
      },
    },
    h('h2', { id: 'org-import-h' }, t('orgtree.import')),
    h('p', { class: 'muted' }, t('orgtree.import_hint')),
    fileInput('org-file', t('orgtree.file')),
    h(
      'label',
      { class: 'row' },
      h('input', { type: 'checkbox', name: 'allow_moves', id: 'org-allow-moves' }),
      ' ',
      t('orgtree.allow_moves'),
    ),
    h('button', { type: 'submit', id: 'org-preview' }, t('orgtree.preview')),
    result,
  );
  async function apply() {
    try {
      const report = await request('POST', '/api/org-units/import', payload);
      dropReferences();
      mount(result, reportView(report, apply));
      await reload();
    } catch (err) {
      const rows = refusedRows(err);
      mount(result, rows ? issuesTable('org-errors', rows) : errorNotice(err));
    }
  }
  return form;
}
