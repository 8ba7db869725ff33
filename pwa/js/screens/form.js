// A service form rendered from its cached definition: every field type, show_if, the server's
// validation rules, a draft saved on every keystroke, and a summary before saving.
import { byIndex, get, getAll, put, del } from '../db.js';
import { currentUser } from '../auth.js';
import { currentForms, formDef, resident as getResident } from '../data.js';
import { clean, isVisible, today, validate, isDate } from '../formrules.js';
import { pick, t } from '../i18n.js';
import { forEntity, queueAll } from '../outbox.js';
import { replaceWith } from '../router.js';
import { requestSync } from '../scheduler.js';
import { h, mount, notice } from '../ui.js';
import { errorText, display } from './wording.js';
import { control } from './formfields.js';
import { liveRules } from './formlive.js';

export const name = 'form';
export const isForm = true;

/** Changed fields between the saved record and the new answers; removed answers become null. */
function diff(before, after) {
  const patch = {};
  for (const key of new Set([...Object.keys(before || {}), ...Object.keys(after)])) {
    if (JSON.stringify(before ? before[key] : undefined) !== JSON.stringify(after[key]))
      patch[key] = after[key] ?? null;
  }
  return patch;
}

export async function render(root, { code }, query) {
  const record = query.record ? await get('records', query.record) : null;
  const def = record
    ? await formDef(record.form_code, record.form_version)
    : (await currentForms()).find((f) => f.code === code);
  if (!def) {
    mount(root, notice('bad', t('form.no_definition')));
    return;
  }
  const residentId = record ? record.resident_id : query.resident || null;
  const person = residentId ? await getResident(residentId) : null;
  const draftKey = `${def.code}:${residentId || 'activity'}:${record ? record.id : 'new'}`;
  const draft = await get('drafts', draftKey);
  const state = {
    visit_date: draft?.visit_date || record?.visit_date || today(),
    data: { ...(draft?.data || record?.data || {}) },
  };
  const residents = def.fields.some((f) => f.type === 'resident') ? await getAll('residents') : [];
  const wraps = new Map();
  const status = h('div', { 'aria-live': 'polite' });

  const saveDraft = () =>
    put('drafts', {
      key: draftKey,
      code: def.code,
      version: def.version,
      resident_id: residentId,
      record_id: record ? record.id : null,
      visit_date: state.visit_date,
      data: state.data,
      updated_at: new Date().toISOString(),
    });
  const refreshVisibility = () => {
    for (const [fname, wrap] of wraps)
      wrap.hidden = fname !== 'visit_date' && !isVisible(def, fname, state.data);
  };
  const setField = (fname) => (value) => {
    if (value === null || value === undefined || value === '') delete state.data[fname];
    else state.data[fname] = value;
    live();
    refreshVisibility();
    saveDraft();
  };
  const visit = h('input', {
    id: 'visit_date',
    name: 'visit_date',
    type: 'date',
    max: today(),
    value: state.visit_date,
    oninput: (e) => {
      state.visit_date = e.target.value;
      live();
      saveDraft();
    },
  });
  // The visit date is checked like any answer: its message and outline sit at the field.
  const visitWrap = h(
    'div',
    { class: 'field', dataset: { field: 'visit_date' } },
    h('label', { for: 'visit_date' }, t('form.visit_date')),
    visit,
    h('div', { class: 'errors', id: 'visit_date-errors' }),
  );
  wraps.set('visit_date', visitWrap);
  const fields = def.fields.map((f) => {
    const wrap = h(
      'div',
      { class: 'field', dataset: { field: f.name } },
      control(f, state.data[f.name], setField(f.name), residents),
      h('div', { class: 'errors' }),
    );
    wraps.set(f.name, wrap);
    return wrap;
  });
  const live = liveRules(def, state, wraps, {
    birthDate: person?.birth_date || null,
    prior: residentId ? await byIndex('records', 'resident_id', residentId) : [],
    recordId: record?.id || null,
    fresh: !record && !draft,
  });
  live();
  refreshVisibility();

  /** Each message under its field, its inputs outlined (aria-invalid); the first wrong field. */
  const showErrors = (errors) => {
    let first = null;
    for (const [fname, wrap] of wraps) {
      const box = wrap.querySelector('.errors');
      const found = errors[fname] || [];
      if (!box.id) box.id = `${fname}-errors`;
      mount(
        box,
        found.map((e) => h('p', { class: 'error' }, errorText(e))),
      );
      wrap.classList.toggle('has-error', found.length > 0);
      for (const input of wrap.querySelectorAll('input, select, textarea')) {
        if (found.length) {
          input.setAttribute('aria-invalid', 'true');
          input.setAttribute('aria-describedby', box.id);
        } else {
          input.removeAttribute('aria-invalid');
          input.removeAttribute('aria-describedby');
        }
      }
      if (found.length && !wrap.hidden && !first) first = wrap;
    }
    return first;
  };

  const editView = () =>
    mount(
      root,
      h('h1', {}, pick(def.title)),
      person ? h('p', { class: 'muted' }, `${person.name} · ${person.birth_date || ''}`) : null,
      record?.review_comment
        ? notice('warn', t('form.comment', { comment: record.review_comment }))
        : null,
      h(
        'form',
        {
          id: 'service-form',
          novalidate: true,
          onsubmit: (e) => {
            e.preventDefault();
            review();
          },
        },
        visitWrap,
        fields,
        status,
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'submit', class: 'block' }, t('form.review')),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary block',
              onclick: async () => {
                await del('drafts', draftKey);
                history.back();
              },
            },
            t('form.discard'),
          ),
        ),
      ),
    );

  const review = () => {
    const answers = clean(def, state.data);
    const visitDate = isDate(state.visit_date) ? state.visit_date : null;
    const errors = validate(def, answers, { visitDate });
    if (!isDate(state.visit_date) || state.visit_date > today())
      errors.visit_date = [{ rule: isDate(state.visit_date) ? 'future' : 'type_date' }];
    const first = showErrors(errors);
    if (Object.keys(errors).length) {
      // A problem without a field on the screen (none expected) is still said, never dropped.
      const unplaced = Object.entries(errors).filter(([f]) => !wraps.has(f) || wraps.get(f).hidden);
      mount(
        status,
        notice(
          'bad',
          t('form.fix_errors'),
          unplaced.flatMap(([, es]) => es.map((e) => h('p', {}, errorText(e, def)))),
        ),
      );
      if (first) {
        first.scrollIntoView({ block: 'center' });
        first.querySelector('input, select, textarea')?.focus({ preventScroll: true });
      }
      return;
    }
    mount(status);
    summaryView(answers);
  };

  const summaryView = (answers) => {
    const rows = def.fields
      .filter((f) => f.name in answers)
      .flatMap((f) => [
        h('dt', {}, pick(f.label)),
        h('dd', {}, display(f, answers[f.name], residents)),
      ]);
    mount(
      root,
      h('h1', {}, t('form.summary')),
      h(
        'div',
        { class: 'card', id: 'form-summary' },
        h('p', {}, h('b', {}, pick(def.title))),
        person ? h('p', {}, person.name) : null,
        h(
          'dl',
          { class: 'summary' },
          h('dt', {}, t('form.visit_date')),
          h('dd', {}, state.visit_date),
          rows,
        ),
      ),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          { id: 'confirm-save', class: 'block', onclick: () => save(answers) },
          t('form.save'),
        ),
        h(
          'button',
          {
            class: 'secondary block',
            onclick: () => {
              editView();
            },
          },
          t('form.edit'),
        ),
      ),
    );
  };

  const save = async (answers) => {
    const user = await currentUser();
    const now = new Date().toISOString();
    const mutations = record ? await forEntity(record.id) : [];
    const rejected = mutations.filter((m) => m.state === 'rejected');
    const recreate = rejected.some((m) => m.op === 'create');
    const id = record ? record.id : crypto.randomUUID();
    const full = {
      resident_id: residentId,
      form_code: def.code,
      form_version: def.version,
      visit_date: state.visit_date,
      data: answers,
    };
    const row = {
      ...(record || {}),
      ...full,
      id,
      review_status: 'pending',
      author_id: user ? user.id : null,
      created_at: record ? record.created_at : now,
      resident_name: person ? person.name : null,
    };
    let item;
    if (!record || recreate) item = { entity: 'service_record', op: 'create', row, data: full };
    else {
      const patch = {};
      if (state.visit_date !== record.visit_date) patch.visit_date = state.visit_date;
      const changed = diff(record.data, answers);
      if (Object.keys(changed).length) patch.data = changed;
      item = { entity: 'service_record', op: 'update', row, data: patch };
    }
    // Only the record: the tags its effects start and end are form spans, folded from it.
    await queueAll([item], {
      dropDraft: draftKey,
      drop: rejected.map((m) => m.seq),
    });
    requestSync();
    // The form's entry in the history is replaced: Android back cannot reopen a blank copy.
    replaceWith(residentId ? `/residents/${residentId}` : '/records', t('form.saved'));
  };

  editView();
}
