// A record's version history: every upload, correction and review, oldest first, with the old
// and new value of each field a correction changed (not only the names of the fields).
import { t } from '../i18n.js';
import { h } from '../ui.js';
import { fmt, statusBadge } from './common.js';

const person = (p) => (p ? p.full_name || p.username : '—');

/** A phone's clock reading as sent: formatted when it parses, shown as it came otherwise. */
const phoneTime = (text) => (Number.isNaN(new Date(text).getTime()) ? text : fmt(text));

export function history(r) {
  const labels = Object.fromEntries((r.fields || []).map((f) => [`data.${f.name}`, f.label]));
  const changed = (names) =>
    names.filter((n) => n.startsWith('data.')).map((n) => labels[n] || n.slice(5));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'history-h' },
    h('h2', { id: 'history-h' }, t('record.history')),
    h(
      'ol',
      { class: 'ws-history', id: 'rec-history' },
      (r.history || []).map((e) =>
        h(
          'li',
          { dataset: { action: e.action } },
          h(
            'div',
            { class: 'ws-history-head' },
            h('b', {}, t(`history.${e.action}`)),
            ' · ',
            t('history.round', { version: e.version }),
            ' · ',
            person(e.actor),
            ' · ',
            h('time', { datetime: e.at }, fmt(e.at)),
            e.review_status ? [' ', statusBadge(e.review_status)] : null,
          ),
          e.comment ? h('blockquote', { class: 'ws-history-comment' }, e.comment) : null,
          e.client_time
            ? h(
                'div',
                { class: 'muted phone-time' },
                t('history.phone_time', { time: phoneTime(e.client_time) }),
              )
            : null,
          (e.changes || []).length && e.action !== 'create'
            ? h(
                'ul',
                { class: 'ws-changes' },
                e.changes.map((c) =>
                  h(
                    'li',
                    { dataset: { name: c.name } },
                    h('span', { class: 'ws-change-label' }, c.label, '：'),
                    h('del', {}, c.old || t('history.empty')),
                    h('span', { 'aria-hidden': 'true' }, ' → '),
                    h('span', { class: 'sr-only' }, t('history.became')),
                    h('ins', {}, c.new || t('history.empty')),
                  ),
                ),
              )
            : changed(e.changed || []).length && e.action !== 'create'
              ? h(
                  'div',
                  { class: 'muted' },
                  t('history.changed', { fields: changed(e.changed).join('、') }),
                )
              : null,
        ),
      ),
    ),
  );
}
