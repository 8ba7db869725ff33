"""The catalogue's problems of sign-in throttling, the password policy, the audit trail and the
roles (docs/security.md); `server.core.problems` holds them with the rest."""

from __future__ import annotations

from server.core.problemtype import _define

# -- Sign-in throttling and the password policy (docs/security.md) -------------------------------
PASSWORD_IS_USERNAME = _define(
    "password_is_username", 422, "The password must not be the username."
)
PASSWORD_TOO_COMMON = _define(
    "password_too_common", 422, "This password is among the most common ones; choose another."
)
SIGN_IN_DELAYED = _define(
    "sign_in_delayed",
    429,
    "Too many wrong passwords for this account from here; try again in {retry_after} seconds.",
)

# -- The audit trail, duplicate look-ups, reviews of one's own records, the catalogue's owner ---
AUDIT_NOT_ALLOWED = _define(
    "audit_not_allowed", 403, "Only supervisors and admins read the audit trail."
)
DUPLICATE_LOOKUPS_LIMITED = _define(
    "duplicate_lookups_limited",
    429,
    "Too many duplicate look-ups (limit: {limit}); try again in {retry_after} seconds.",
)
SELF_REVIEW = _define(
    "self_review", 403, "You wrote this record yourself; another supervisor must review it."
)
CATALOGUE_NOT_OWNED = _define(
    "catalogue_not_owned",
    403,
    "Every county on this server receives the form catalogue; only an admin of the whole "
    "tree may publish to it (the server's operator publishes with `flask load-forms`).",
)
