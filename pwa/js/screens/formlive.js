// What a service form does while it is filled: computed fields (EDD, gestational weeks) kept
// up to date, suggested answers (visit number, check-up age point) pre-filled until the user
// changes them, and a red warning when a danger value is met (docs/forms.md).
import { computedValue, isDate, today } from '../formrules.js';
import { metDangers } from '../danger.js';
import { suggestions } from '../suggest.js';
import { pick, t } from '../i18n.js';
import { h, mount } from '../ui.js';

/**
 * Wires the live rules into the form screen: `state` is {visit_date, data}, `wraps` the field
 * wrappers by name. Returns `refresh()`, to call after every answer or visit-date change.
 */
export function liveRules(def, state, wraps, { birthDate, prior, recordId, fresh }) {
  const visit = () => (isDate(state.visit_date) ? state.visit_date : today());
  const labelOf = (name) => pick(def.fields.find((f) => f.name === name)?.label) || name;
  const suggested = {};
  const suggest = () => {
    const found = suggestions(def, {
      birthDate,
      visitDate: visit(),
      prior,
      excludeId: recordId,
      data: state.data,
    });
    for (const [name, value] of Object.entries(found)) {
      // Ours to change while the user has not: on a new form, or still what was suggested.
      const current = state.data[name];
      const ours = name in suggested ? current === suggested[name] : fresh && current == null;
      if (!ours) continue;
      state.data[name] = value;
      suggested[name] = value;
      setInput(wraps.get(name), value);
    }
  };
  const compute = () => {
    for (const f of def.fields.filter((x) => x.compute)) {
      const value = computedValue(def, f, state.data, visit());
      if (value === null) delete state.data[f.name];
      else state.data[f.name] = value;
      const input = wraps.get(f.name)?.querySelector('input');
      if (input) input.value = value ?? '';
    }
  };
  const warnings = new Map();
  for (const [name, wrap] of wraps) {
    const box = h('div', { class: 'danger-note', 'aria-live': 'assertive' });
    wrap.querySelector('.errors').before(box);
    warnings.set(name, box);
  }
  const warn = () => {
    const met = metDangers(def, state.data);
    const needed = new Set(met.map((m) => m.danger.requires));
    for (const [name, box] of warnings) {
      const here = met.filter((m) => m.field === name);
      mount(
        box,
        here.map(({ danger }) =>
          h(
            'p',
            { class: 'notice bad', dataset: { danger: danger.id } },
            t('form.danger', { label: pick(danger.label), field: labelOf(danger.requires) }),
          ),
        ),
      );
      const wrap = wraps.get(name);
      wrap.classList.toggle('danger-required', needed.has(name));
      const mark = wrap.querySelector('.danger-req');
      if (mark) mark.hidden = !needed.has(name);
    }
    for (const name of Object.keys(suggested)) {
      const hint = wraps.get(name)?.querySelector('.suggested');
      if (hint) hint.hidden = state.data[name] !== suggested[name];
    }
  };
  const hint = (name, cls, text) =>
    wraps
      .get(name)
      ?.querySelector('legend, label')
      ?.append(h('span', { class: `hint ${cls}`, hidden: true }, ` ${text}`));
  for (const f of def.fields.filter((x) => x.suggest))
    hint(f.name, 'suggested', t('form.suggested'));
  for (const name of new Set((def.danger || []).map((d) => d.requires)))
    hint(name, 'danger-req', t('form.required_mark'));
  return () => {
    suggest();
    compute();
    warn();
  };
}

/** Puts a suggested value into the field's own input (a number box or the matching radio). */
function setInput(wrap, value) {
  if (!wrap) return;
  const radio = wrap.querySelector(`input[type=radio][value="${CSS.escape(String(value))}"]`);
  if (radio) radio.checked = true;
  else {
    const input = wrap.querySelector('input');
    if (input) input.value = value;
  }
}
