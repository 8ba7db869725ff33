// The resident's active episodes on their page: each kind with the dates its schedule hangs on
// (a pregnancy's LMP, due date and weeks today; a TB treatment's notification, start, phase and
// supervisor; a mental disorder's classification), marked while a local record is unsynced.
import { residentEffects } from '../episodes.js';
import { today } from '../formrules.js';
import { t } from '../i18n.js';
import { h } from '../ui.js';

// The facts shown per kind, in order; dates and codes as stored.
const SHOWN = {
  pregnancy: ['lmp', 'edd', 'weeks', 'delivery_date', 'discharge_date'],
  tb_treatment: ['notified_on', 'treatment_start', 'phase', 'supervisor_type'],
  smd_management: ['classification', 'classified_on'],
  chronic_enrolment: ['confirmed_on'],
};
const DAY_MS = 86400000;

/** Completed weeks and days from `lmp` to `on` (both YYYY-MM-DD), or null before the LMP. */
export function gestation(lmp, on) {
  const days = Math.round(
    (Date.parse(`${on}T00:00:00Z`) - Date.parse(`${lmp}T00:00:00Z`)) / DAY_MS,
  );
  return Number.isFinite(days) && days >= 0
    ? { weeks: Math.floor(days / 7), days: days % 7 }
    : null;
}

function word(value) {
  const key = `episode.value.${value}`;
  const found = t(key);
  return found === key ? String(value) : found;
}

function facts(episode, on) {
  const out = [];
  for (const name of SHOWN[episode.kind] || []) {
    if (name === 'weeks') {
      const age =
        episode.facts.lmp && !episode.facts.delivery_date && gestation(episode.facts.lmp, on);
      if (age)
        out.push(h('dt', {}, t('episode.weeks')), h('dd', {}, t('episode.weeks_value', age)));
      continue;
    }
    const value = episode.facts[name];
    if (value == null || value === '') continue;
    out.push(h('dt', {}, t(`episode.fact.${name}`)), h('dd', {}, word(value)));
  }
  return out;
}

function title(episode) {
  const kind = t(`episode.kind.${episode.kind}`);
  return episode.condition ? `${kind}（${t(`episode.condition.${episode.condition}`)}）` : kind;
}

/** A card per open episode of the resident, or null when they have none. */
export async function episodesPanel(residentId, on = today()) {
  const { episodes } = await residentEffects(residentId);
  const open = episodes.filter((e) => e.status === 'open');
  if (!open.length) return null;
  return h(
    'section',
    { class: 'card', id: 'episodes' },
    h('h2', {}, t('episode.section')),
    open.map((episode) =>
      h(
        'div',
        { class: 'episode', 'data-kind': episode.kind },
        h(
          'h3',
          {},
          title(episode),
          episode.pending ? h('span', { class: 'badge waiting' }, t('episode.pending')) : null,
        ),
        h(
          'dl',
          { class: 'summary' },
          h('dt', {}, t('episode.opened_on')),
          h('dd', {}, episode.opened_on),
          ...facts(episode, on),
        ),
      ),
    ),
  );
}
