// Matching a typed query against a resident, the way the server's registry search does.

/** A query in key space: lowercase letters and digits only, like the server's normalise_query. */
export const normalise = (query) => query.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A predicate for residents matching `query`: Latin letters search the pinyin keys anywhere in
 * each reading (a surname such as 曾 carries both "zeng" and "ceng"), digits search the phone and
 * the ID number's last digits, anything else the name.
 */
export function residentMatcher(query) {
  const text = query.trim();
  const compact = text.replace(/\s+/g, '');
  if (!compact) return () => true;
  if (/^[a-z]+$/i.test(compact)) {
    const key = normalise(compact);
    const keys = (value) => (value || '').toLowerCase().split(/\s+/);
    return (r) => keys(r.name_pinyin).some((k) => k.includes(key))
      || keys(r.name_initials).some((k) => k.includes(key));
  }
  if (/^\d+x?$/i.test(compact)) {
    const digits = compact.toUpperCase();
    return (r) => (r.phone || '').includes(digits) || (r.id_number_masked || '').toUpperCase().endsWith(digits);
  }
  const lower = text.toLowerCase();
  return (r) => (r.name || '').toLowerCase().includes(lower);
}
