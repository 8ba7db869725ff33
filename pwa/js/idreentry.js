// Re-entering a resident's ID number: write-only. The phone never holds the stored number (only
// its mask), so a mistyped one is corrected by typing the right one again, checked as at
// registration (GB 11643, and the birth date it holds), and sent through sync as an update.
import { t } from './i18n.js';
import { birthDateOf, idNumberProblem, maskId } from './idnumber.js';
import { forEntity, queue } from './outbox.js';
import { requestSync } from './scheduler.js';
import { field, h, mount, notice } from './ui.js';
import { errorText, refusalText } from './screens/wording.js';

/** Why `value` cannot replace the number of a resident born on `birthDate` (a key), or null. */
export function reentryProblem(value, birthDate) {
  const problem = idNumberProblem(value);
  if (problem) return `rule.${problem}`;
  if (birthDate && birthDateOf(value) !== birthDate) return 'rule.id_birth_mismatch';
  return null;
}

/** What the outbox says about a re-entered number of this resident not yet accepted. */
async function pendingNote(residentId) {
  const sent = (await forEntity(residentId)).filter((m) => m.data && 'id_number' in m.data);
  const rejected = sent.find((m) => m.state === 'rejected');
  if (rejected) {
    const why = [].concat(rejected.errors?.id_number || []).map((m) => errorText(m));
    return notice('bad', t('reentry.rejected'), ` ${why.join(' ') || refusalText(rejected)}`);
  }
  if (sent.some((m) => m.state === 'waiting')) return notice('ok', t('reentry.waiting'));
  return null;
}

/** The "重新录入身份证号" action of the resident screen: a button that opens a small form. */
export function idReentry(resident, onSaved) {
  const box = h('div', { id: 'id-reentry' });
  const status = h('div', { 'aria-live': 'polite' });
  const open = () => {
    const input = field(t('reentry.label'), {
      name: 'new-id-number',
      inputmode: 'text',
      maxlength: 18,
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const errors = h('div', { 'aria-live': 'polite' });
    const save = async (e) => {
      e.preventDefault();
      const value = input.input.value.trim().toUpperCase();
      const problem = reentryProblem(value, resident.birth_date);
      if (problem) {
        mount(errors, h('p', { class: 'error' }, t(problem)));
        input.input.setAttribute('aria-invalid', 'true');
        return;
      }
      const { local: _local, ...row } = resident;
      await queue(
        'resident',
        'update',
        { ...row, id_number_masked: maskId(value) },
        {
          id_number: value,
        },
      );
      requestSync();
      onSaved();
    };
    mount(
      box,
      h(
        'form',
        { class: 'card', id: 'id-reentry-form', onsubmit: save, novalidate: true },
        h('p', { class: 'muted' }, t('reentry.intro')),
        input.wrap,
        errors,
        h('button', { type: 'submit' }, t('reentry.save')),
        ' ',
        h('button', { type: 'button', class: 'secondary', onclick: close }, t('reentry.cancel')),
      ),
    );
    input.input.focus();
  };
  const close = () =>
    mount(
      box,
      h('button', { type: 'button', class: 'secondary', onclick: open }, t('reentry.open')),
    );
  close();
  pendingNote(resident.id).then((note) => note && mount(status, note));
  return h('div', {}, status, box);
}
