// Strings: zh-CN by default, English on request; the choice survives sign-out (localStorage).
import zh from './i18n/zh-CN.js';
import en from './i18n/en.js';

const DICTS = { 'zh-CN': zh, en };
const KEY = 'vha-lang';
let lang = 'zh-CN';
try { lang = localStorage.getItem(KEY) || 'zh-CN'; } catch (_) { /* no storage */ }
if (!DICTS[lang]) lang = 'zh-CN';

export const getLang = () => lang;
export function setLang(next) {
  lang = DICTS[next] ? next : 'zh-CN';
  try { localStorage.setItem(KEY, lang); } catch (_) { /* ignore */ }
  document.documentElement.lang = lang;
}

/** The string for `key` with {name} placeholders filled; falls back to zh-CN, then to the key. */
export function t(key, params = {}) {
  const text = DICTS[lang][key] ?? zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? `{${name}}`));
}

/** A bilingual label object from the server ({zh, en}) in the current language. */
export function pick(label) {
  if (!label || typeof label === 'string') return label || '';
  return (lang === 'en' ? label.en : label.zh) || label.zh || label.en || '';
}

/** Localised date-time for display. */
export function when(iso) {
  if (!iso) return t('never');
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'short', timeStyle: 'short' });
}
