// The "confirm with the centre" work-list's words (tagreview.js), English.
export default {
  'ws.tagreview': 'Tags to confirm',
  'tagreview.title': 'Conditions to confirm with the health centre',
  'tagreview.intro':
    'Hypertension, diabetes, severe mental disorder and tuberculosis that a family told the assistant start a follow-up series only once the health centre confirms them. Ask the centre: confirm the diagnosed ones; remove the others with the reason.',
  'tagreview.none':
    'Nothing to confirm: every reported hypertension, diabetes, severe mental disorder and tuberculosis in your area has been confirmed or removed. New reports from assistants will appear here.',
  'tagreview.total': '{n} to confirm, oldest report first',
  'tagreview.resident': '{name} ({sex}, born {birth}, {village})',
  'tagreview.since': 'Since',
  'tagreview.since_unknown': 'Already at registration (date unknown)',
  'tagreview.reported_at': 'Reached the server',
  'tagreview.origin': 'From',
  'tagreview.origin.register': "The assistant's register",
  'tagreview.origin.import': 'An imported register',
  'tagreview.origin.legacy': 'A tag from before confirmation began',
  'tagreview.origin.form': 'A service record',
  'tagreview.origin.staff': 'Staff',
  'tagreview.record': '{form} ({date})',
  'tagreview.confirm': 'Confirm (diagnosed by the centre)',
  'tagreview.confirm_label': "Confirm {name}'s {tag} (diagnosed by the centre)",
  'tagreview.confirmed':
    "{name}'s {tag} is confirmed; follow-ups are planned as for a diagnosed patient.",
  'tagreview.note': 'Why remove it (required)',
  'tagreview.note_needed': 'Write why the tag is removed.',
  'tagreview.remove': 'Remove this tag',
  'tagreview.remove_label': "Remove {name}'s {tag}",
  'tagreview.removed':
    "{name}'s {tag} is removed; the assistant's phone stops showing it after the next sync.",
  'tagreview.previous': 'Previous page',
  'tagreview.next': 'Next page',
  'tagreview.page': 'Page {page} of {pages}',
};
