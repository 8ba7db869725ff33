// The register around one resident, for the resident screen: whether the record has ended, the
// household and its other members, the mother and the children, and the actions that keep the
// record current (edit, move, end, has given birth, register the newborn).
import { getAll } from '../db.js';
import { householdMembers, timeline } from '../data.js';
import { t } from '../i18n.js';
import { h, notice } from '../ui.js';
import { newbornLink } from './birth.js';
import { endNotSent, withdrawEnd } from './resident_end.js';

/** "死亡 · 2026-10-01" (with the destination of a move). */
export function endedText(r) {
  const where = r.end_reason === 'moved_away' && r.end_destination ? ` → ${r.end_destination}` : '';
  return `${t('register.ended')}：${t(`end.${r.end_reason}`)}${where} · ${r.ended_on}`;
}

/** A member in a list: name, sex, birth date. */
export const memberLine = (m) => [
  h('b', {}, m.name),
  ' ',
  h('span', { class: 'muted' }, `${t(`sex.${m.sex}`)} ${m.birth_date || ''} `),
];

const link = (r, id) => h('li', {}, h('a', { href: `#/residents/${r.id}`, id }, memberLine(r)));

/** Whether new service forms are offered: not once the record has ended. */
export const takesServices = (r) => !r.ended_on;

/**
 * The panel: ended banner, household and relatives, actions. `tags`: her effective tags today
 * (episodes.js `residentTags`). `redraw` after a withdrawal.
 */
export async function registerPanel(r, home, tags, redraw) {
  const [members, everyone, unsent, records] = await Promise.all([
    r.household_id ? householdMembers(r.household_id) : [],
    getAll('residents'),
    r.ended_on ? endNotSent(r.id) : false,
    tags.includes('postpartum') ? timeline(r.id) : [],
  ]);
  // The delivery date of her latest postpartum visit, if one records it: the newborn's birth date.
  const delivered = records.find((x) => x.form_code === 'postpartum_visit' && x.data?.delivery_date)
    ?.data.delivery_date;
  const mother = r.mother_id ? everyone.find((x) => x.id === r.mother_id) : null;
  const children = everyone.filter((x) => x.mother_id === r.id);
  const others = members.filter((m) => m.id !== r.id);
  const ended = r.ended_on
    ? notice(
        'warn',
        h('p', { id: 'resident-ended' }, endedText(r)),
        unsent
          ? h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                id: 'withdraw-end',
                onclick: async () => {
                  await withdrawEnd(r);
                  redraw();
                },
              },
              t('register.withdraw_end'),
            )
          : h('p', { class: 'muted' }, t('register.ended_ask_supervisor')),
      )
    : null;
  const actions = [
    h(
      'a',
      { class: 'button secondary', id: 'edit-resident', href: `#/residents/${r.id}/edit` },
      t('register.edit'),
    ),
    home
      ? h(
          'a',
          { class: 'button secondary', id: 'move-resident', href: `#/residents/${r.id}/move` },
          t('register.move'),
        )
      : null,
    !r.ended_on
      ? h(
          'a',
          { class: 'button secondary', id: 'end-resident', href: `#/residents/${r.id}/end` },
          t('register.end'),
        )
      : null,
    !r.ended_on && tags.includes('pregnant')
      ? h(
          'a',
          { class: 'button', id: 'gave-birth', href: `#/residents/${r.id}/birth` },
          t('register.gave_birth'),
        )
      : null,
    !r.ended_on && home && tags.includes('postpartum')
      ? h(
          'a',
          {
            class: 'button secondary',
            id: 'register-newborn',
            href: newbornLink(r, delivered || ''),
          },
          t('register.newborn'),
        )
      : null,
  ];
  return h(
    'section',
    { id: 'resident-register', 'aria-label': t('register.section') },
    ended,
    h('div', { class: 'row wrap', id: 'resident-actions' }, actions),
    home
      ? h(
          'div',
          {},
          h(
            'h2',
            {},
            h(
              'a',
              { href: `#/households/${home.id}`, id: 'household-link' },
              t('register.household_of', {
                head: home.head_name || '',
                address: home.address || '',
              }),
            ),
          ),
          others.length
            ? h(
                'ul',
                { class: 'list', id: 'resident-members' },
                others.map((m) => link(m)),
              )
            : h('p', { class: 'muted' }, t('register.no_other_members')),
        )
      : null,
    mother
      ? h(
          'div',
          {},
          h('h2', {}, t('register.mother')),
          h('ul', { class: 'list', id: 'resident-mother' }, link(mother)),
        )
      : null,
    children.length
      ? h(
          'div',
          {},
          h('h2', {}, t('register.children')),
          h(
            'ul',
            { class: 'list', id: 'resident-children' },
            children.map((c) => link(c)),
          ),
        )
      : null,
  );
}
