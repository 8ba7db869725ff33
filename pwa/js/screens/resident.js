// One resident: who they are, the forms that apply, and the service timeline.
import { allForms, currentForms, household, resident, timeline } from '../data.js';
import { residentTags } from '../episodes.js';
import { eligible } from '../formrules.js';
import { pick, t } from '../i18n.js';
import { idReentry } from '../idreentry.js';
import { h, mount, notice } from '../ui.js';
import { episodesPanel } from './episodes.js';
import { registerPanel, takesServices } from './resident_links.js';
import { tagsText } from './tagtext.js';
import { recordTitle, titleIndex } from './wording.js';

export const name = 'resident';

export async function render(root, { id }) {
  const r = await resident(id);
  if (!r) {
    mount(root, notice('bad', t('error.not_found')));
    return;
  }
  const [home, items, forms, stored, episodes] = await Promise.all([
    household(r.household_id),
    timeline(id),
    currentForms(),
    allForms(),
    episodesPanel(id),
  ]);
  const titles = titleIndex(stored);
  // Effective tags today: what offers forms and what the page says, form spans included.
  const held = await residentTags({ ...r, household: home });
  const register = await registerPanel(r, home, held.tags, () => render(root, { id }));
  mount(
    root,
    h('h1', {}, r.name),
    h(
      'div',
      { class: 'card' },
      h(
        'dl',
        { class: 'summary' },
        h('dt', {}, t('resident.sex')),
        h('dd', {}, t(`sex.${r.sex}`)),
        h('dt', {}, t('resident.birth_date')),
        h('dd', {}, r.birth_date || ''),
        h('dt', {}, t('resident.id_number')),
        h('dd', { id: 'id-number-masked' }, r.id_number_masked || '—'),
        h('dt', {}, t('resident.phone')),
        h('dd', {}, r.phone || '—'),
        h('dt', {}, t('resident.household')),
        h('dd', {}, home ? `${home.head_name} · ${home.address}` : '—'),
        h('dt', {}, t('resident.tags')),
        h('dd', { id: 'resident-tags' }, tagsText(held) || '—'),
      ),
    ),
    episodes,
    register,
    idReentry(r, () => render(root, { id })),
    h('h2', {}, t('resident.new_service')),
    h(
      'ul',
      { class: 'list', id: 'form-choices' },
      forms
        .filter((f) => takesServices(r) && eligible(f, { ...r, tags: held.tags }))
        .map((f) =>
          h('li', {}, h('a', { href: `#/form/${f.code}?resident=${r.id}` }, pick(f.title))),
        ),
    ),
    h('h2', {}, t('resident.timeline')),
    items.length
      ? h(
          'ul',
          { class: 'list', id: 'timeline' },
          items.map((rec) =>
            h(
              'li',
              {},
              h(
                'a',
                { href: `#/records/${rec.id}` },
                h('b', {}, rec.visit_date),
                ' ',
                recordTitle(rec, titles) || rec.form_code,
                ' ',
                h('span', { class: `badge ${rec.state}` }, t(`state.${rec.state}`)),
                rec.review_comment ? h('div', { class: 'muted' }, rec.review_comment) : null,
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('resident.no_services')),
  );
}
