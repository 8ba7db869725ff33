"""The one catalogue of problems: every refusal the server or the sync engine can make.

Modelled on ODK Central's `lib/util/problem.js`. A problem type has a stable code that clients
switch on (the PWA words each code in zh-CN and English), the HTTP status it answers with on
the API, and an English default message, which may take `{parameters}`. Kernel, domain and
engine raise `Problem`; `server.errors` only serialises it. A push rejection travels inside a
200 answer, yet uses a code from here too, so a phone has one vocabulary to learn.

Codes are never renamed: phones in the field switch on them. Add a new one instead.
`python -m server.core.problems` prints the catalogue as JSON for the PWA's wording tests.
"""

from __future__ import annotations

import json

from server.core.problems_security import *  # noqa: F403  (one catalogue: these are part of it)
from server.core.problemtype import (  # noqa: F401  (raised and looked up through this module)
    PROBLEMS,
    Problem,
    ProblemType,
    _define,
    catalogue,
    problem_type,
)

# -- Requests the HTTP layer refuses before any of our code runs ---------------------------------
BAD_REQUEST = _define("bad_request", 400, "The request could not be understood.")
UNAUTHORIZED = _define("unauthorized", 401, "Authentication is required.")
FORBIDDEN = _define("forbidden", 403, "You are not allowed to do this.")
NOT_FOUND = _define("not_found", 404, "Not found.")
METHOD_NOT_ALLOWED = _define("method_not_allowed", 405, "This method is not allowed here.")
PAYLOAD_TOO_LARGE = _define(
    "payload_too_large",
    413,
    "A request may carry at most {max_mutations} mutations and {max_bytes} bytes; "
    "this one has {size}. Send smaller batches.",
)
UNSUPPORTED_MEDIA_TYPE = _define(
    "unsupported_media_type", 415, "Send JSON with Content-Type: application/json."
)
VALIDATION_ERROR = _define("validation_error", 422, "The data did not pass validation.")
RATE_LIMITED = _define(
    "rate_limited", 429, "Too many attempts; wait a moment and try again (limit: {limit})."
)
INTERNAL_ERROR = _define(
    "internal_error", 500, "Something went wrong on the server; it has been logged."
)
DATABASE_UNAVAILABLE = _define("database_unavailable", 503, "The database does not answer.")
DATABASE_BUSY = _define("database_busy", 503, "The server is busy; try again in a moment.")

# -- Signing in and sessions ---------------------------------------------------------------------
MISSING_TOKEN = _define("missing_token", 401, "Sign in first: {reason}")
INVALID_TOKEN = _define("invalid_token", 401, "The token is not valid: {reason}")
TOKEN_EXPIRED = _define("token_expired", 401, "The token has expired; refresh it.")
TOKEN_REVOKED = _define("token_revoked", 401, "This session has ended; sign in again.")
FRESH_TOKEN_REQUIRED = _define("fresh_token_required", 401, "Sign in again to do this.")
INVALID_CREDENTIALS = _define("invalid_credentials", 401, "Wrong username or password.")
REFRESH_TOKEN_REUSED = _define(
    "refresh_token_reused",
    401,
    "This refresh token was already used; the session has been ended. Sign in again.",
)
PASSWORD_CHANGE_REQUIRED = _define(
    "password_change_required",
    403,
    "Change your temporary password first (POST /api/me/password).",
)
ROLE_NOT_ALLOWED = _define("role_not_allowed", 403, "Your role does not allow this.")
DEVICE_NOT_REGISTERED = _define(
    "device_not_registered", 403, "This device is not registered to you; sign in on it first."
)
DEVICE_REVOKED = _define(
    "device_revoked", 403, "This device has been revoked; ask your supervisor."
)
ACCOUNT_DEACTIVATED = _define("account_deactivated", 403, "This account has been deactivated.")

# -- Accounts and the org tree -------------------------------------------------------------------
USER_NOT_FOUND = _define("user_not_found", 404, "User not found.")
DEVICE_NOT_FOUND = _define("device_not_found", 404, "Device not found.")
ORG_UNIT_NOT_FOUND = _define("org_unit_not_found", 404, "Org unit not found.")
USERNAME_TAKEN = _define("username_taken", 409, "This username is not available; choose another.")
ROLE_NOT_MANAGEABLE = _define(
    "role_not_manageable", 403, "A {actor_role} cannot manage {role} accounts."
)
ORG_UNIT_NOT_IN_AREA = _define("org_unit_not_in_area", 422, "This unit is not in your area.")
ROLE_LEVEL_MISMATCH = _define(
    "role_level_mismatch", 422, "A {role} belongs to a {expected}, not a {level}."
)
ORG_UNIT_LEVEL_INVALID = _define(
    "org_unit_level_invalid", 422, "Expected a {expected} here, not {level}."
)
PASSWORD_TOO_SHORT = _define(
    "password_too_short", 422, "Password must be at least {min_length} characters."
)
CURRENT_PASSWORD_WRONG = _define("current_password_wrong", 422, "The current password is wrong.")
PASSWORD_UNCHANGED = _define(
    "password_unchanged", 422, "The new password must differ from the current one."
)

# -- Registry: households, residents, merges -----------------------------------------------------
RESIDENT_NOT_FOUND = _define("resident_not_found", 404, "Resident not found.")
HOUSEHOLD_NOT_FOUND = _define("household_not_found", 404, "Household not found.")
PARTIAL_ID_NUMBER_SEARCH = _define(
    "partial_id_number_search",
    422,
    "Only supervisors search by part of an ID number; type all 18 characters.",
)
NUMBER_SEARCH_NEEDS_POST = _define(
    "number_search_needs_post",
    422,
    "Search by number in the body of POST /api/residents/search, not in the address.",
)
SEARCH_TOO_SHORT = _define("search_too_short", 422, "Type at least {min_digits} digits.")
TAG_UNKNOWN = _define("tag_unknown", 422, "Unknown tag; one of {tags}.")
MERGE_SAME_RESIDENT = _define(
    "merge_same_resident", 422, "A resident cannot be merged into itself."
)
MERGE_RESIDENT_GONE = _define(
    "merge_resident_gone", 409, "One of these residents was already deleted or merged."
)
MERGE_ID_NUMBERS_DIFFER = _define(
    "merge_id_numbers_differ",
    409,
    "These residents have different ID numbers, so they are two people.",
)

# -- Service records, the form catalogue, review -------------------------------------------------
RECORD_NOT_FOUND = _define("record_not_found", 404, "Service record not found.")
FORM_VERSION_EXISTS = _define(
    "form_version_exists", 409, "This form version is already published, or not newer."
)
FORM_DEFINITION_INVALID = _define(
    "form_definition_invalid", 422, "The form definition is not valid."
)
REVIEW_COMMENT_REQUIRED = _define(
    "review_comment_required", 422, "A {field} is required to {action} a record."
)
RECORD_ALREADY_REVIEWED = _define(
    "record_already_reviewed",
    409,
    "This record is already {review_status}; only pending records can be reviewed.",
)
STALE_VERSION = _define(
    "stale_version", 409, "This has changed on the server since you read it; read it again."
)
CONFLICT_NOT_FOUND = _define("conflict_not_found", 404, "Conflict not found.")
CONFLICT_ALREADY_RESOLVED = _define(
    "conflict_already_resolved", 409, "This conflict has already been resolved."
)
CONFLICT_TARGET_GONE = _define(
    "conflict_target_gone", 404, "The record this conflict is about no longer exists."
)
CONFLICT_VALUE_REQUIRED = _define("conflict_value_required", 422, "Type the value to keep.")
CONFLICT_VALUE_INVALID = _define(
    "conflict_value_invalid", 422, "This value cannot be kept; see `errors.value`."
)
CONFLICT_FIELD_NOT_SETTABLE = _define(
    "conflict_field_not_settable", 422, "The field {field} cannot be set here."
)

# -- Sync: pull cursors and push rejections (inside a 200 answer, one per mutation) --------------
CURSOR_INVALID = _define(
    "cursor_invalid", 422, "Not a cursor from this server; pull again without `since`."
)
ID_TAKEN = _define("conflict", 409, "This id is already taken.")  # the code phones know
RECORD_REVIEWED = _define(
    "record_reviewed",
    409,
    "This record was approved by a supervisor and can no longer be changed.",
)
RESIDENT_MERGED = _define(
    "resident_merged",
    409,
    "This resident was merged into a resident of another village; ask your supervisor.",
)
MUTATION_ID_REUSED = _define(
    "mutation_id_reused",
    409,
    "This mutation_id was already used for a different change; nothing was written.",
)
READ_ONLY = _define(
    "read_only",
    403,
    "Phones may not change this kind of record; nothing was written.",
)

INVALID_TEXT = _define(
    "invalid_text",
    422,
    "The mutation holds text or nesting that cannot be stored; see `errors`.",
)
# Set by the sync clients, not the server: a lone mutation a batch kept failing on with a 5xx.
SERVER_ERROR = _define(
    "server_error", 500, "The server failed on this mutation twice; it was set aside."
)

# The register's and the county's problems, defined after everything above (catalogue order).
from server.core.problems_county import *  # noqa: E402, F403

if __name__ == "__main__":
    print(json.dumps(catalogue(), indent=2, ensure_ascii=False))
