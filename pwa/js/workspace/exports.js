// CSV / XLSX exports of the filtered records. A plain link cannot carry the bearer token, so the
// file is fetched through the API client (api.download) and saved through a Blob URL.
import { download } from '../api.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { h, mount } from '../ui.js';
import { errorNotice, errorText, references, toQuery } from './common.js';

/** Saves `blob` as `name` through a temporary object URL. */
export function save(blob, name) {
  const href = URL.createObjectURL(blob);
  const a = h('a', { href, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}

/** `status=all` is the form's "every status", which the API takes as no status filter. */
const withoutAll = (f) => (f.status === 'all' ? { ...f, status: '' } : f);

/** Two buttons that download the records matching `getFilters()` as CSV and XLSX. */
export function exportButtons(getFilters) {
  const status = h('span', { class: 'ws-export-status', 'aria-live': 'polite' });
  const button = (kind, label) =>
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        id: `export-${kind}`,
        onclick: async (e) => {
          const btn = e.currentTarget;
          btn.disabled = true;
          status.textContent = t('exports.busy');
          try {
            const { blob, name } = await download(
              `/api/exports/records.${kind}?${toQuery(withoutAll(getFilters()))}`,
            );
            save(blob, name);
            status.textContent = t('exports.done', { name });
          } catch (err) {
            status.textContent = errorText(err);
          } finally {
            btn.disabled = false;
          }
        },
      },
      label,
    );
  return [button('csv', t('exports.csv')), button('xlsx', t('exports.xlsx')), status];
}

export async function render(root, _params, query) {
  const { filterForm, filtersOf } = await import('./queuefilters.js');
  let refs;
  try {
    refs = await references();
  } catch (err) {
    mount(root, h('h1', {}, t('exports.title')), errorNotice(err));
    return;
  }
  const filters = filtersOf(query);
  mount(
    root,
    h('h1', {}, t('exports.title')),
    h('p', {}, t('exports.intro')),
    filterForm(refs, filters, (next) => go(`/ws/exports?${toQuery(next)}`)),
    h(
      'div',
      { class: 'row' },
      exportButtons(() => filters),
    ),
  );
}
