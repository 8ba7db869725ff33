// The county's org tree: townships and villages with codes and populations. An administrator
// imports the county's list (a preview of what changes, then apply), adds, renames and removes
// empty units and sets which immunisation schedule a unit follows (orgsettings.js); a refusal
// says why in the user's words. Supervisors see their part, read-only (the edition too).
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, mount, notice } from '../ui.js';
import { dropReferences, errorNotice, errorText, inputField } from './common.js';
import { importCard } from './orgimport.js';
import { settingsPanel } from './orgsettings.js';
import { issueText } from './upload.js';

const CHILD = { county: 'township', township: 'village' };

/** A refusal of one edit in words: its code's wording, filled with what the user typed. */
function refusal(err, params = {}) {
  if (err && err.code === 'org_unit_not_empty' && err.errors?.contents) {
    const contents = Object.entries(err.errors.contents)
      .map(([kind, n]) => t(`orgtree.contents.${kind.replace(' ', '_')}`, { n }))
      .join('、');
    return issueText({ code: err.code, params: { contents }, message: err.message });
  }
  if (err?.code && err.status === 422) {
    const text = issueText({ code: err.code, params, message: err.message });
    return text.includes('{') ? errorText(err) : text;
  }
  return errorText(err);
}

/** The latest year's 常住 (resident) population, where the county's list gave one. */
function residentPopulation(unit) {
  const years = Object.keys(unit.resident_population || {}).sort();
  if (!years.length) return null;
  const year = years[years.length - 1];
  const n = unit.resident_population[year];
  return [' ', h('span', { class: 'org-pop muted' }, t('orgtree.resident_n', { n, year }))];
}

function unitLine(unit, actions) {
  return h(
    'div',
    { class: 'org-unit', dataset: { code: unit.code } },
    h('strong', { class: 'org-name' }, unit.name),
    ' ',
    h('span', { class: 'muted' }, unit.code),
    ' ',
    h('span', { class: 'badge' }, t(`orgtree.level.${unit.level}`)),
    ' ',
    h('span', { class: 'org-pop' }, t('orgtree.population_n', { n: unit.population })),
    residentPopulation(unit),
    unit.settings?.nip_version
      ? [
          ' ',
          h(
            'span',
            { class: 'badge org-nip' },
            t('orgtree.nip_own', { version: unit.settings.nip_version }),
          ),
        ]
      : null,
    h('span', { class: 'org-actions' }, actions),
  );
}

function tree(units, isAdmin, act) {
  const children = new Map();
  for (const u of units) {
    const key = u.parent_id ?? 'root';
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(u);
  }
  const ids = new Set(units.map((u) => u.id));
  const roots = units.filter((u) => u.parent_id == null || !ids.has(u.parent_id));
  const branch = (list) =>
    h(
      'ul',
      { class: 'org-tree' },
      list.map((u) => {
        const button = (what, label, cls = 'secondary') =>
          h(
            'button',
            {
              type: 'button',
              class: cls,
              id: `${what}-${u.code}`,
              'aria-label': `${label} ${u.name}`,
              onclick: () => act(what, u),
            },
            label,
          );
        const actions = isAdmin
          ? [
              button('rename', t('orgtree.rename')),
              button('settings', t('orgtree.nip')),
              CHILD[u.level] ? button('add', t('orgtree.add')) : null,
              u.level !== 'county' ? button('remove', t('orgtree.remove'), 'danger') : null,
            ]
          : [button('settings', t('orgtree.nip'))];
        return h(
          'li',
          {},
          unitLine(u, actions),
          h('div', { class: 'org-edit', id: `edit-${u.code}` }),
          children.has(u.id) ? branch(children.get(u.id)) : null,
        );
      }),
    );
  return h('div', { id: 'org-tree', class: 'card' }, branch(roots));
}

function renameForm(unit, done, fail) {
  const form = h(
    'form',
    {
      class: 'ws-grid',
      id: 'rename-form',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          await request('PATCH', `/api/org-units/${unit.id}`, {
            name: form.elements.name.value,
            population: Number(form.elements.population.value),
          });
          await done('orgtree.renamed');
        } catch (err) {
          fail(refusal(err, { code: unit.code }));
        }
      },
    },
    inputField('rename-name', t('orgtree.name'), {
      name: 'name',
      value: unit.name,
      required: true,
    }),
    inputField('rename-population', t('orgtree.population'), {
      name: 'population',
      type: 'number',
      min: 0,
      value: String(unit.population),
    }),
    h('button', { type: 'submit', id: 'rename-submit' }, t('orgtree.save')),
  );
  return form;
}

function addForm(parent, done, fail) {
  const form = h(
    'form',
    {
      class: 'ws-grid',
      id: 'add-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const code = form.elements.code.value.trim();
        try {
          await request('POST', '/api/org-units', {
            parent_id: parent.id,
            code,
            name: form.elements.name.value,
            population: Number(form.elements.population.value || 0),
          });
          await done('orgtree.added');
        } catch (err) {
          fail(refusal(err, { code, parent_code: parent.code }));
        }
      },
    },
    h(
      'p',
      { class: 'muted' },
      t('orgtree.add_under', {
        name: parent.name,
        level: t(`orgtree.level.${CHILD[parent.level]}`),
      }),
    ),
    inputField('add-code', t('orgtree.code'), {
      name: 'code',
      required: true,
      inputmode: 'numeric',
      pattern: '\\d{12}',
      placeholder: `${parent.code.slice(0, parent.level === 'county' ? 6 : 9)}…`,
    }),
    inputField('add-name', t('orgtree.name'), { name: 'name', required: true }),
    inputField('add-population', t('orgtree.population'), {
      name: 'population',
      type: 'number',
      min: 0,
    }),
    h('button', { type: 'submit', id: 'add-submit' }, t('orgtree.add')),
  );
  return form;
}

export async function render(root, params) {
  const isAdmin = params.user && params.user.role === 'admin';
  const outcome = h('div', { id: 'orgtree-outcome', 'aria-live': 'polite' });
  const holder = h('div', {}, h('p', { class: 'muted' }, t('ws.loading')));
  const say = (kind, text) => outcome.replaceChildren(notice(kind, text));
  async function reload() {
    try {
      mount(holder, tree(await request('GET', '/api/org-units'), isAdmin, act));
    } catch (err) {
      mount(holder, errorNotice(err));
    }
  }
  const done = async (key) => {
    dropReferences();
    await reload();
    say('ok', t(key));
  };
  const fail = (text) => say('bad', text);
  async function act(what, unit) {
    // One edit open at a time: its fields' ids are then unique on the page.
    for (const open of document.querySelectorAll('.org-edit')) open.replaceChildren();
    const slot = document.getElementById(`edit-${unit.code}`);
    if (what === 'rename') mount(slot, renameForm(unit, done, fail));
    if (what === 'add') mount(slot, addForm(unit, done, fail));
    if (what === 'settings') {
      try {
        mount(slot, await settingsPanel(unit, isAdmin, done, fail));
      } catch (err) {
        fail(refusal(err));
      }
    }
    if (what === 'remove') {
      if (!window.confirm(t('orgtree.confirm_remove', { name: unit.name }))) return;
      try {
        await request('DELETE', `/api/org-units/${unit.id}`);
        await done('orgtree.removed');
      } catch (err) {
        fail(refusal(err, { code: unit.code }));
      }
    }
  }
  mount(
    root,
    h('h1', {}, t('orgtree.title')),
    outcome,
    h('div', { class: 'ws-orgtree' }, holder, isAdmin ? importCard(reload) : null),
  );
  await reload();
}
