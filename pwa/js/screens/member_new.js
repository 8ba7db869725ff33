// "Add family member": a new resident in an existing household, checked as at registration (ID
// number rules, online duplicate warning). From "has given birth" it is the newborn: the birth
// date and the mother are filled in, and the mother link travels with the new resident.
import { request } from '../api.js';
import { household, resident } from '../data.js';
import { t } from '../i18n.js';
import { maskId } from '../idnumber.js';
import { queueAll } from '../outbox.js';
import { go } from '../router.js';
import { requestSync } from '../scheduler.js';
import { h, mount, notice } from '../ui.js';
import { residentFields } from './residentform.js';

export const name = 'member-new';
export const isForm = true;

async function findDuplicates(person) {
  if (!navigator.onLine) return [];
  try {
    const answer = await request('POST', '/api/residents/duplicates', {
      name: person.name,
      birth_date: person.birth_date,
      ...(person.id_number ? { id_number: person.id_number } : {}),
    });
    return answer?.matches || [];
  } catch (_) {
    return []; // a courtesy: the next sync reports duplicates too
  }
}

function duplicateNotice(found) {
  return notice(
    'warn',
    h('p', {}, t('household.duplicates')),
    h(
      'ul',
      { id: 'duplicates' },
      found.map((d) =>
        h(
          'li',
          {},
          d.in_scope && d.id
            ? h(
                'a',
                { href: `#/residents/${d.id}` },
                `${d.name} ${d.birth_date || ''} ${d.id_number_masked || ''}`,
              )
            : t('household.duplicate_elsewhere', { village: d.village ? d.village.name : '' }),
        ),
      ),
    ),
    h('p', {}, t('household.duplicates_continue')),
  );
}

export async function render(root, { id }, query = {}) {
  const home = await household(id);
  if (!home) {
    mount(root, notice('bad', t('error.not_found')));
    return;
  }
  const mother = query.mother ? await resident(query.mother) : null;
  const form = residentFields({ birth_date: query.birth || '' }, { withIdNumber: true });
  const status = h('div', { 'aria-live': 'polite' });
  let warned = false;
  const save = async (e) => {
    e.preventDefault();
    const v = form.read();
    if (!form.check(v)) {
      mount(status, notice('bad', t('form.fix_errors')));
      return;
    }
    if (!warned) {
      const found = await findDuplicates(v);
      if (found.length) {
        warned = true;
        mount(status, duplicateNotice(found));
        status.scrollIntoView({ block: 'center' });
        return;
      }
    }
    const checked = warned || navigator.onLine; // checked online: the sync need not check again
    const data = {
      household_id: home.id,
      name: v.name,
      sex: v.sex,
      birth_date: v.birth_date,
      phone: v.phone || null,
      tags: v.tags,
      ...(v.id_number ? { id_number: v.id_number } : {}),
      ...(mother ? { mother_id: mother.id } : {}),
    };
    const row = {
      ...data,
      id: crypto.randomUUID(),
      village_id: home.village_id,
      id_number_masked: maskId(v.id_number),
      created_at: new Date().toISOString(),
    };
    delete row.id_number;
    await queueAll([{ entity: 'resident', op: 'create', row, data, checked }]);
    requestSync();
    go(`/residents/${row.id}`);
  };
  mount(
    root,
    h('h1', {}, mother ? t('register.newborn_title') : t('register.add_member')),
    h(
      'p',
      { class: 'muted', id: 'member-household' },
      `${home.head_name || ''} · ${home.address || ''}`,
    ),
    mother ? h('p', { id: 'member-mother' }, t('register.mother_is', { name: mother.name })) : null,
    h(
      'form',
      { id: 'member-form', novalidate: true, onsubmit: save },
      form.el,
      status,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'block' }, t('register.save')),
        h(
          'a',
          { class: 'button secondary block', href: `#/households/${id}` },
          t('register.cancel'),
        ),
      ),
    ),
  );
}
