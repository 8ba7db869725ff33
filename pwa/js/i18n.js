// Strings: zh-CN by default, English on request; the choice survives sign-out (localStorage).
// This module holds no words: each app hands it its dictionaries when it starts (main.js the
// field app's, workspace.js the workspace's), so importing a module changes nothing.
const LANGS = ['zh-CN', 'en'];
const KEY = 'vha-lang';
const tables = { 'zh-CN': {}, en: {} };
let lang = 'zh-CN';

/** Adds an app's dictionaries (`{'zh-CN': {...}, en: {...}}`) to the lookup; they stay unchanged. */
export function addStrings(dicts) {
  for (const l of LANGS) tables[l] = { ...tables[l], ...(dicts[l] || {}) };
}

/** The language the user chose last time (zh-CN when none or unknown). */
export function storedLang() {
  let stored = null;
  try {
    stored = localStorage.getItem(KEY);
  } catch (_) {
    /* no storage */
  }
  return LANGS.includes(stored) ? stored : 'zh-CN';
}

export const getLang = () => lang;
export function setLang(next) {
  lang = LANGS.includes(next) ? next : 'zh-CN';
  try {
    localStorage.setItem(KEY, lang);
  } catch (_) {
    /* ignore */
  }
  document.documentElement.lang = lang;
}

/** The string for `key` with {name} placeholders filled; falls back to zh-CN, then to the key. */
export function t(key, params = {}) {
  const text = tables[lang][key] ?? tables['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => params[name] ?? `{${name}}`);
}

/** A bilingual label object from the server ({zh, en}) in the current language. */
export function pick(label) {
  if (!label || typeof label === 'string') return label || '';
  return (lang === 'en' ? label.en : label.zh) || label.zh || label.en || '';
}

/** Localised date-time for display. */
const ZONE_KEY = 'vha.tz';
const DEFAULT_ZONE = 'Asia/Shanghai';

/** The deployment's zone (the server's TIME_ZONE, sent with the sign-in answer). */
export function timeZone() {
  try {
    return localStorage.getItem(ZONE_KEY) || DEFAULT_ZONE;
  } catch (_) {
    return DEFAULT_ZONE;
  }
}

export function setTimeZone(zone) {
  try {
    if (zone) localStorage.setItem(ZONE_KEY, zone);
  } catch (_) {
    /* ignore */
  }
}

/** An instant as people read it: in the deployment's zone (China time), whatever the device's. */
export function when(iso) {
  if (!iso) return t('never');
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: timeZone(),
  });
}
