// "Has given birth" on a pregnant woman's page: the life-event rule (lifeevents.js) makes her
// postpartum, so the postpartum visit form is offered, and the newborn is registered in her
// household with the birth date and the mother already filled in.
import { resident } from '../data.js';
import { today } from '../formrules.js';
import { t } from '../i18n.js';
import { tagUpdate } from '../lifeevents.js';
import { queueAll } from '../outbox.js';
import { requestSync } from '../scheduler.js';
import { field, h, mount, notice } from '../ui.js';

export const name = 'birth';
export const isForm = true;

/** Where "register the newborn" leads: the mother's household, prefilled. */
export const newbornLink = (mother, born) =>
  `#/households/${mother.household_id}/member?mother=${mother.id}&birth=${born || ''}`;

export async function render(root, { id }) {
  const r = await resident(id);
  if (!r) {
    mount(root, notice('bad', t('error.not_found')));
    return;
  }
  const date = field(t('register.birth_date'), {
    name: 'delivery_date',
    type: 'date',
    max: today(),
    value: today(),
    required: true,
  });
  const errors = h('div', { class: 'errors', 'aria-live': 'polite' });
  date.wrap.append(errors);
  const status = h('div', { 'aria-live': 'polite' });
  const done = (born) =>
    mount(
      root,
      h('h1', {}, t('register.birth_title', { name: r.name })),
      notice('ok', t('register.birth_saved')),
      r.household_id
        ? h(
            'a',
            { class: 'button block', id: 'register-newborn', href: newbornLink(r, born) },
            t('register.newborn'),
          )
        : h('p', { class: 'muted' }, t('register.newborn_no_household')),
      h('p'),
      h(
        'a',
        { class: 'button secondary block', href: `#/residents/${r.id}` },
        t('register.back_to', { name: r.name }),
      ),
    );
  const save = async (e) => {
    e.preventDefault();
    const born = date.input.value;
    const problem = !born
      ? t('rule.required_named', { field: t('register.birth_date') })
      : born > today()
        ? t('rule.future')
        : null;
    mount(errors, problem ? h('p', { class: 'error' }, problem) : null);
    if (problem) {
      mount(status, notice('bad', t('form.fix_errors')));
      return;
    }
    const item = tagUpdate(r, { action: 'gave_birth' });
    if (item) {
      await queueAll([item]);
      requestSync();
    }
    done(born);
  };
  mount(
    root,
    h('h1', {}, t('register.birth_title', { name: r.name })),
    h(
      'form',
      { id: 'birth-form', novalidate: true, onsubmit: save },
      h('div', { class: 'card' }, date.wrap),
      status,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'block' }, t('register.birth_save')),
        h(
          'a',
          { class: 'button secondary block', href: `#/residents/${id}` },
          t('register.cancel'),
        ),
      ),
    ),
  );
}
