// On a record this phone sent: a value of ours that lost a concurrent edit is shown as waiting
// for the supervisor ("督导将处理…"), then with the value the supervisor kept. Asked of the
// server when the record opens (online only; offline the note is simply left out).
import { request } from '../api.js';
import { t } from '../i18n.js';
import { h, notice } from '../ui.js';

const shown = (v) => {
  if (v == null) return '—';
  if (typeof v === 'object') return Object.values(v).join('/');
  if (typeof v === 'boolean') return t(v ? 'form.yes' : 'form.no');
  return String(v);
};

/** Fills `slot` with this user's conflicts on the record (nothing when there are none). */
export async function showConflicts(slot, recordId) {
  let items;
  try {
    ({ items } = await request(
      'GET',
      `/api/conflicts/mine?entity_id=${encodeURIComponent(recordId)}`,
    ));
  } catch (_) {
    return;
  }
  slot.replaceChildren(
    ...items.map((c) =>
      c.status === 'open'
        ? notice(
            'warn',
            h(
              'span',
              { class: 'conflict-open', dataset: { id: c.id } },
              t('records.conflict_open', {
                field: c.label || c.field,
                mine: shown(c.client_value),
                server: shown(c.server_value),
              }),
            ),
          )
        : notice(
            'ok',
            h(
              'span',
              { class: 'conflict-resolved', dataset: { id: c.id } },
              t('records.conflict_resolved', {
                field: c.label || c.field,
                kept: shown(c.resolved_value),
              }),
            ),
          ),
    ),
  );
}
