// Matching a typed query against a resident, the way the server's registry search does.

/**
 * A predicate for residents matching `query`: Latin letters search the pinyin keys anywhere (a
 * surname such as 曾 carries both readings, "zengguofan cengguofan"; the space between them keeps
 * a query from matching across the two), digits search the phone, anything else the name and the
 * resident's household (address or head, `r.household` when the caller joined it). The phone holds
 * only masked ID numbers (the region digits), so ID digits find no one: docs/security.md.
 */
export function residentMatcher(query) {
  const text = query.trim();
  const compact = text.replace(/\s+/g, '');
  if (!compact) return () => true;
  if (/^[a-z]+$/i.test(compact)) {
    const key = compact.toLowerCase();
    return (r) => (r.name_pinyin || '').includes(key) || (r.name_initials || '').includes(key);
  }
  if (/^\d+x?$/i.test(compact)) return (r) => (r.phone || '').includes(compact);
  const lower = text.toLowerCase();
  return (r) =>
    (r.name || '').toLowerCase().includes(lower) ||
    (r.household?.address || '').includes(text) ||
    (r.household?.head_name || '').includes(text);
}

/**
 * The residents a picker offers: ended records (died, moved away, lost) are not offered for a new
 * link, but the one a record already names stays, so an existing link still displays.
 */
export const offeredResidents = (residents, current = null) =>
  residents.filter((r) => !r.ended_on || (current != null && r.id === current));
