"""The catalogue's problems of keeping the register and a county current: moves, mothers and
ended records, county setup and its imports, suspected duplicates, tag decisions and unit
settings. `server.core.problems` holds them after the rest, so the catalogue's order is kept."""

from __future__ import annotations

from server.core.problemtype import _define

# -- Keeping the register current: moves, mothers, ended records (issue 15) ---------------------
HOUSEHOLD_ELSEWHERE = _define(
    "household_elsewhere",
    422,
    "A resident moves only to a household of the same village; ask your supervisor to move "
    "them to another village.",
)
MOTHER_ELSEWHERE = _define(
    "mother_elsewhere",
    422,
    "The mother must be a resident of the same village as the child.",
)
RECORD_ENDED = _define(
    "record_ended",
    409,
    "This record was ended on the server; only a supervisor can restore it.",
)
RESIDENT_NOT_ENDED = _define(
    "resident_not_ended", 409, "This resident's record has not ended; there is nothing to restore."
)


# -- Setting up a county: imports of the org tree, staff and registers; the tree itself ---------
IMPORT_FILE_UNREADABLE = _define(
    "import_file_unreadable", 422, "The file could not be read: {reason}"
)
IMPORT_COLUMN_MISSING = _define("import_column_missing", 422, "The file has no {column} column.")
IMPORT_HAS_ERRORS = _define(
    "import_has_errors", 422, "The file has {count} problems; nothing was changed."
)
IMPORT_VALUE_REQUIRED = _define("import_value_required", 422, "The {column} cell is empty.")
IMPORT_VALUE_INVALID = _define(
    "import_value_invalid", 422, "The {column} cell cannot hold {value}; expected {expected}."
)
IMPORT_DUPLICATE_ROW = _define(
    "import_duplicate_row", 422, "The same {column} {value} is already on line {first_line}."
)
ORG_CODE_INVALID = _define(
    "org_code_invalid",
    422,
    "A unit's code is its 12-digit statistical division code; {code} is not one.",
)
ORG_PARENT_UNKNOWN = _define(
    "org_parent_unknown", 422, "No unit has the code {parent_code}, in the file or the tree."
)
ORG_PARENT_REQUIRED = _define("org_parent_required", 422, "A {level} needs its parent's code.")
ORG_CODE_OUTSIDE_PARENT = _define(
    "org_code_outside_parent",
    422,
    "Code {code} does not begin like its parent's code {parent_code}.",
)
ORG_POPULATION_INVALID = _define(
    "org_population_invalid", 422, "A population is a whole number, 0 or more, not {value}."
)
ORG_NAME_INVALID = _define("org_name_invalid", 422, "A unit's name has 1 to 100 characters.")
ORG_UNIT_MOVE_NOT_CONFIRMED = _define(
    "org_unit_move_not_confirmed",
    422,
    "Unit {code} is under {current_parent} now; mark the row to move it under {parent_code}.",
)
ORG_UNIT_NOT_EMPTY = _define(
    "org_unit_not_empty", 409, "This unit still has {contents}; only an empty unit is removed."
)
ORG_UNIT_CODE_TAKEN = _define("org_unit_code_taken", 409, "A unit with code {code} exists already.")
ORG_UNIT_CODE_UNKNOWN = _define("org_unit_code_unknown", 422, "No unit has the code {code}.")


# Suspected duplicates (the supervisor's work-list).
DUPLICATE_PAIR_NOT_FOUND = _define(
    "duplicate_pair_not_found", 404, "Suspected duplicate not found."
)
DUPLICATE_PAIR_DECIDED = _define(
    "duplicate_pair_decided", 409, "This pair has already been merged or set aside."
)
DUPLICATE_KEEP_NOT_IN_PAIR = _define(
    "duplicate_keep_not_in_pair", 422, "The resident to keep must be one of the pair."
)


# Tags with provenance: staff confirm or remove a resident's tag.
TAG_DERIVED = _define(
    "tag_derived",
    422,
    "The tag {tag} follows from the birth date or the household; nothing to confirm or remove.",
)
TAG_NOT_HELD = _define("tag_not_held", 409, "The resident has no {tag} tag in effect today.")


# Org-unit settings (a county's choices, e.g. which immunisation schedule it follows).
ORG_SETTING_UNKNOWN = _define(
    "org_setting_unknown", 422, "There is no unit setting {key}; the settings are {known}."
)
NIP_VERSION_UNKNOWN = _define(
    "nip_version_unknown",
    422,
    "There is no immunisation schedule {value}; choose one of {known}.",
)


# Confirming is for the conditions the centre keeps (CONFIRMABLE_TAGS), not every stored tag.
TAG_NOT_CONFIRMABLE = _define(
    "tag_not_confirmable",
    422,
    "The tag {tag} is not a condition the centre confirms; confirmable tags are {tags}.",
)
