// Unfinished forms: every draft kept on this phone (service forms and household registrations),
// newest first, each reopening where the assistant left it.
import { del, getAll } from '../db.js';
import { currentForms, formDef, residentNames } from '../data.js';
import { pick, t, when } from '../i18n.js';
import { render as rerender } from '../router.js';
import { h, mount } from '../ui.js';

export const name = 'drafts';

/** Where a draft is continued: its form for its resident (or record), or the household form. */
export function draftHref(d) {
  if (d.kind === 'household') return '#/households/new';
  const query = new URLSearchParams();
  if (d.record_id) query.set('record', d.record_id);
  else if (d.resident_id) query.set('resident', d.resident_id);
  const qs = query.toString();
  return `#/form/${d.code}${qs ? `?${qs}` : ''}`;
}

async function titleOf(d, titles) {
  if (d.kind === 'household') return t('household.title');
  if (titles[d.code]) return titles[d.code];
  const def = await formDef(d.code, d.version);
  return def ? pick(def.title) : t('records.unknown_form');
}

export async function render(root) {
  const [drafts, forms, names] = await Promise.all([
    getAll('drafts'),
    currentForms(),
    residentNames(),
  ]);
  const titles = Object.fromEntries(forms.map((f) => [f.code, pick(f.title)]));
  drafts.sort((a, b) => (b.updated_at || '').localeCompare(a.updated_at || ''));
  const items = [];
  for (const d of drafts) {
    const who =
      d.kind === 'household' ? d.address || d.head_name || '' : names.get(d.resident_id)?.name;
    items.push(
      h(
        'li',
        { class: 'draft' },
        h(
          'a',
          { href: draftHref(d) },
          who ? `${who} · ` : '',
          await titleOf(d, titles),
          h('div', { class: 'muted' }, t('drafts.saved_at', { at: when(d.updated_at) })),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-label': t('drafts.discard_named', { name: who || '' }),
            onclick: async () => {
              await del('drafts', d.key);
              rerender();
            },
          },
          t('form.discard'),
        ),
      ),
    );
  }
  mount(
    root,
    h('h1', {}, t('drafts.title')),
    items.length
      ? h('ul', { class: 'list', id: 'drafts' }, items)
      : h('p', { class: 'muted' }, t('drafts.none')),
  );
}
