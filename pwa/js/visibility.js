// Which questions a form shows for the answers so far (`show_if`), as the server's
// `visible_fields` (server/domain/records/formrules.py).

/** Whether a field is shown given the other answers (a field behind a hidden field is hidden too). */
export function isVisible(def, name, data, seen = new Set()) {
  const field = def.fields.find((f) => f.name === name);
  if (!field || !field.show_if) return true;
  const cond = field.show_if;
  if (seen.has(name)) return false;
  seen.add(name);
  if (!isVisible(def, cond.field, data, seen)) return false;
  const value = data[cond.field];
  if ('equals' in cond)
    return Array.isArray(value) ? value.includes(cond.equals) : value === cond.equals;
  if ('in' in cond)
    return Array.isArray(value) ? value.some((v) => cond.in.includes(v)) : cond.in.includes(value);
  return true;
}

/** The names of the fields shown for these answers. */
export function shownFields(def, data) {
  return new Set(def.fields.filter((f) => isVisible(def, f.name, data)).map((f) => f.name));
}
