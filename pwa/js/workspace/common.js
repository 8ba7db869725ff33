// What every workspace screen shares: API errors worded for people, status badges, the
// reference lists for filters (villages, assistants, forms), and query-string helpers.
import { request } from '../api.js';
import { getMeta } from '../db.js';
import problems from '../i18n/problems.js';
import { pick, t, when } from '../i18n.js';
import { h, notice } from '../ui.js';

export const STAFF = ['supervisor', 'admin'];
// Refusals of a chosen password: the user's own words for them (server/domain/accounts/passwords.py).
const PASSWORD_POLICY = ['password_too_short', 'password_is_username', 'password_too_common'];

export async function me() {
  const session = await getMeta('session');
  return session ? session.user : null;
}

/** A server error as one readable sentence (the server's English detail only as a fallback). */
export function errorText(err) {
  if (!err) return t('error.generic');
  if (err.status === 0) return t('ws.offline');
  if (err.status === 401) return t('ws.expired');
  if (err.status === 403) return t('ws.forbidden');
  if (err.status === 404) return t('ws.not_found');
  if (PASSWORD_POLICY.includes(err.code) && problems[err.code]) return pick(problems[err.code]);
  const fieldErrors = Object.entries(err.errors || {}).map(
    ([k, v]) => `${k}: ${[].concat(v).join(' ')}`,
  );
  if (fieldErrors.length) return fieldErrors.join('; ');
  return err.message || t('error.generic');
}

export const errorNotice = (err) => notice('bad', errorText(err));

export function statusBadge(status) {
  return h('span', { class: `badge ws-status ${status}` }, t(`status.${status}`));
}

export const fmt = (iso) => (iso ? when(iso) : '—');
export const days = (n) => (n == null ? '—' : (Math.round(n * 10) / 10).toLocaleString());

/** `{a: 1, b: ''}` -> `a=1` (empty values left out). */
export function toQuery(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v != null) q.set(k, v);
  return q.toString();
}

let refs = null;

/** Villages, assistants and forms in the caller's area, loaded once per page load. */
export async function references() {
  if (!refs) {
    refs = Promise.all([
      request('GET', '/api/org-units'),
      request('GET', '/api/users'),
      request('GET', '/api/forms'),
    ])
      .then(([units, users, forms]) => ({
        units,
        villages: units.filter((u) => u.level === 'village'),
        townships: units.filter((u) => u.level === 'township'),
        assistants: users.filter((u) => u.role === 'assistant'),
        forms: (forms.forms || []).filter((f) => f.status === 'current'),
      }))
      .catch((err) => {
        refs = null;
        throw err;
      });
  }
  return refs;
}

/** Forget the cached lists (after creating an account, for example). */
export function dropReferences() {
  refs = null;
}

export const formTitle = (forms, code) => {
  const f = forms.find((x) => x.code === code);
  return f ? pick(f.title) : code;
};

/** A labelled <select> with an "any" option first. */
export function selectField(
  id,
  label,
  options,
  value,
  anyText = t('filter.any'),
  name = id.replace(/^(f|new)-/, ''),
  first = [],
) {
  return h(
    'div',
    { class: 'ws-field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, name },
      anyText === null ? null : h('option', { value: '' }, anyText),
      [...first, ...options].map(([v, text]) =>
        h('option', { value: String(v), selected: String(v) === String(value ?? '') }, text),
      ),
    ),
  );
}

export function inputField(id, label, attrs = {}) {
  return h(
    'div',
    { class: 'ws-field' },
    h('label', { for: id }, label),
    h('input', { id, ...attrs }),
  );
}

/** Shows a transient outcome in a live region. */
export function say(region, kind, ...children) {
  region.replaceChildren(notice(kind, ...children));
}
