// End a resident's record: died, moved away (with where to) or lost to follow-up, with the date.
// The record stays; it leaves the active lists and gets no new service forms. Until the end is
// uploaded the assistant can take it back here; after that only a supervisor can.
import { forEntity, queue } from '../outbox.js';
import { resident } from '../data.js';
import { today } from '../formrules.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { requestSync } from '../scheduler.js';
import { field, h, mount, notice } from '../ui.js';

export const name = 'resident-end';
export const isForm = true;
export const END_REASONS = ['died', 'moved_away', 'lost_to_follow_up'];
const NO_END = { ended_on: null, end_reason: null, end_destination: null };

/** Why this end cannot be saved, by field (the server's rules: lifecycle.end_errors). */
export function endProblems(birthDate, { ended_on, end_reason, end_destination }) {
  const problems = {};
  if (!end_reason) problems.end_reason = t('register.end_reason_missing');
  if (!ended_on) problems.ended_on = t('rule.required_named', { field: t('register.end_date') });
  else if (ended_on > today()) problems.ended_on = t('rule.future');
  else if (birthDate && ended_on < birthDate) problems.ended_on = t('register.end_before_birth');
  if (end_reason === 'moved_away' && !(end_destination || '').trim())
    problems.end_destination = t('register.destination_missing');
  return problems;
}

/** Whether the resident's end is still waiting on the phone (never sent): it can be withdrawn. */
export async function endNotSent(id) {
  const mine = await forEntity(id);
  return mine.some((m) => m.state === 'waiting' && !m.attempts && m.data && 'ended_on' in m.data);
}

export async function render(root, { id }) {
  const r = await resident(id);
  if (!r) {
    mount(root, notice('bad', t('error.not_found')));
    return;
  }
  const status = h('div', { 'aria-live': 'polite' });
  const errorBox = (key) => h('div', { class: 'errors', id: `err-${key}`, 'aria-live': 'polite' });
  const boxes = {
    end_reason: errorBox('end_reason'),
    ended_on: errorBox('ended_on'),
    end_destination: errorBox('end_destination'),
  };
  const date = field(t('register.end_date'), {
    name: 'ended_on',
    type: 'date',
    max: today(),
    min: r.birth_date || '',
    value: today(),
    required: true,
  });
  const destination = field(t('register.destination'), {
    name: 'end_destination',
    maxlength: 200,
    required: true,
  });
  destination.wrap.append(boxes.end_destination);
  const reasons = h(
    'fieldset',
    { class: 'field' },
    h('legend', {}, t('register.end_reason')),
    END_REASONS.map((reason) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'end_reason', value: reason }),
        t(`end.${reason}`),
      ),
    ),
    boxes.end_reason,
  );
  const showDestination = () => {
    const chosen = reasons.querySelector('input:checked')?.value;
    destination.wrap.hidden = chosen !== 'moved_away';
  };
  reasons.addEventListener('change', showDestination);
  date.wrap.append(boxes.ended_on);
  const save = async (e) => {
    e.preventDefault();
    const reason = reasons.querySelector('input:checked')?.value || null;
    const end = {
      ended_on: date.input.value || null,
      end_reason: reason,
      end_destination: reason === 'moved_away' ? destination.input.value.trim() : null,
    };
    const problems = endProblems(r.birth_date, end);
    for (const [key, box] of Object.entries(boxes)) {
      mount(box, problems[key] ? h('p', { class: 'error' }, problems[key]) : null);
    }
    if (Object.keys(problems).length) {
      mount(status, notice('bad', t('form.fix_errors')));
      root.querySelector('.error')?.closest('fieldset, div')?.scrollIntoView({ block: 'center' });
      return;
    }
    await queue('resident', 'update', { ...r, ...end }, end);
    requestSync();
    go(`/residents/${id}`);
  };
  showDestination();
  mount(
    root,
    h('h1', {}, t('register.end_title', { name: r.name })),
    h('p', { class: 'muted' }, t('register.end_explained')),
    h(
      'form',
      { id: 'resident-end-form', novalidate: true, onsubmit: save },
      h('div', { class: 'card' }, reasons, date.wrap, destination.wrap),
      status,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'block' }, t('register.end_save')),
        h(
          'a',
          { class: 'button secondary block', href: `#/residents/${id}` },
          t('register.cancel'),
        ),
      ),
    ),
  );
}

/** Takes back an end not yet uploaded (folded into the waiting change, so nothing is sent). */
export async function withdrawEnd(r) {
  await queue('resident', 'update', { ...r, ...NO_END }, NO_END);
  requestSync();
}
