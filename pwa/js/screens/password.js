// Choosing one's own password after signing in with a temporary one (a new account, or a password
// reset by a supervisor). The server refuses everything else until it is done (403
// password_change_required), so this screen comes first and needs the network. The offline unlock
// verifier is made from the NEW password: the temporary one never unlocks the phone.
import { request } from '../api.js';
import { makeVerifier, markUnlocked } from '../auth.js';
import { getMeta, setMeta } from '../db.js';
import problemWords from '../i18n/problems.js';
import { pick, t } from '../i18n.js';
import { go } from '../router.js';
import { run as syncNow } from '../scheduler.js';
import { isStaff } from '../shell.js';
import { field, h, mount, notice } from '../ui.js';
import { errorText, refusalText } from './wording.js';

export const name = 'password';
// server/domain/accounts/passwords.py (MIN_LENGTH, the username, the list of common passwords):
// the server decides; this screen states the rule up front and words the server's answer.
const MIN_LENGTH = 8;
const POLICY_CODES = ['password_too_common', 'password_is_username'];

function labelled(label, attrs, hint) {
  const errorId = `${attrs.name}-error`;
  const f = field(
    label,
    {
      type: 'password',
      autocapitalize: 'none',
      spellcheck: 'false',
      'aria-describedby': errorId,
      ...attrs,
    },
    hint,
  );
  const error = h('p', { class: 'error', id: errorId });
  f.wrap.append(error);
  return { ...f, error };
}

/** The server's field errors in words for this user, judged with what they typed. */
function serverProblems(err, current, next) {
  const problems = {};
  const errors = err.errors || {};
  if (errors.current_password) problems.current = t('password.wrong_current');
  if (errors.new_password) {
    const detail = []
      .concat(errors.new_password)
      .map((m) => errorText(m))
      .join(' ');
    if (next.length < MIN_LENGTH) problems.next = t('password.too_short', { min: MIN_LENGTH });
    else if (next === current) problems.next = t('password.same');
    else if (POLICY_CODES.includes(err.code) && problemWords[err.code])
      problems.next = pick(problemWords[err.code]);
    else problems.next = t('password.refused', { message: detail });
  }
  return problems;
}

function failureText(err) {
  if (err.status === 0) return t('password.offline');
  if (err.status === 401) return t('password.expired');
  return refusalText(err);
}

export async function render(root) {
  const session = await getMeta('session');
  const user = session ? session.user : null;
  const current = labelled(t('password.current'), {
    name: 'current_password',
    autocomplete: 'current-password',
  });
  const next = labelled(
    t('password.new'),
    { name: 'new_password', autocomplete: 'new-password' },
    t('password.new_hint', { min: MIN_LENGTH }),
  );
  const again = labelled(t('password.repeat'), {
    name: 'repeat_password',
    autocomplete: 'new-password',
  });
  const fields = { current, next, again };
  const rules = h(
    'ul',
    { class: 'hint password-rules', id: 'password-rules' },
    h('li', {}, t('password.rule_length', { min: MIN_LENGTH })),
    h('li', {}, t('password.rule_username')),
    h('li', {}, t('password.rule_common')),
  );
  next.input.setAttribute('aria-describedby', `password-rules ${next.error.id}`);
  const status = h('div', { 'aria-live': 'polite', id: 'password-status' });
  const button = h(
    'button',
    { type: 'submit', class: 'block', id: 'password-submit' },
    t('password.submit'),
  );

  const show = (problems) => {
    let first = null;
    for (const [key, f] of Object.entries(fields)) {
      const text = problems[key];
      mount(f.error, text || null);
      if (text) {
        f.input.setAttribute('aria-invalid', 'true');
        first = first || f.input;
      } else f.input.removeAttribute('aria-invalid');
    }
    if (first) {
      mount(status, notice('bad', t('password.fix')));
      first.focus();
    }
    return Boolean(first);
  };

  const submit = async (e) => {
    e.preventDefault();
    mount(status);
    const values = {
      current: current.input.value,
      next: next.input.value,
      again: again.input.value,
    };
    const local = {};
    // Every problem at once, each at its field (the server still decides; these only explain).
    if (!values.current) local.current = t('password.required');
    const username = user ? user.username : '';
    if (!values.next) local.next = t('password.new_required');
    else if (username && values.next.trim().toLowerCase() === username.toLowerCase())
      local.next = pick(problemWords.password_is_username);
    else if (values.next.length < MIN_LENGTH)
      local.next = t('password.too_short', { min: MIN_LENGTH });
    else if (values.next === values.current) local.next = t('password.same');
    if (values.next !== values.again) local.again = t('password.mismatch');
    if (show(local)) return;
    button.disabled = true;
    try {
      await request('POST', '/api/me/password', {
        current_password: values.current,
        new_password: values.next,
      });
    } catch (err) {
      button.disabled = false;
      if (err.status === 422 && show(serverProblems(err, values.current, values.next))) return;
      mount(
        status,
        notice(
          'bad',
          failureText(err),
          err.status === 401 ? [' ', h('a', { href: '#/login' }, t('home.signin'))] : null,
        ),
      );
      return;
    }
    // The verifier first: should the app stop here, the next start asks for an online sign-in.
    const fresh = await getMeta('session');
    const signedIn = { ...fresh.user, must_change_password: false };
    await setMeta('verifier', await makeVerifier(signedIn.username, values.next));
    await setMeta('session', { ...fresh, user: signedIn });
    markUnlocked();
    go(isStaff(signedIn) ? '/ws/queue' : '/home');
    if (!isStaff(signedIn)) syncNow(); // records saved before the change upload now
  };

  const form = h(
    'form',
    { class: 'card', id: 'password-form', novalidate: true, onsubmit: submit },
    current.wrap,
    next.wrap,
    rules,
    again.wrap,
    h('p'),
    button,
    status,
  );
  mount(
    root,
    h('h1', {}, t('password.title')),
    notice('warn', t('password.intro', { name: user ? user.full_name || user.username : '' })),
    form,
    h('p', {}, h('a', { href: '#/login' }, t('unlock.other'))),
  );
}
