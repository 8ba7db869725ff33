"""The service catalogue: form definitions loaded from server/forms/, published and listed.

Published versions are immutable: a record names the (form_code, form_version) it was filled
with, and that version keeps validating it after newer versions appear. No Flask here, so the
sync engine and the CLI can use these functions with any SQLAlchemy session. Validating a
record's form data against its version is in formdata.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.core.db import utcnow
from server.core.org import OrgUnit
from server.core.problems import CATALOGUE_NOT_OWNED, Problem
from server.domain.records.eligible_facts import outside_ages
from server.domain.records.formschema import DefinitionSchema
from server.domain.records.model import FormDefinition

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
LISTED_STATUSES = ("current", "accepted")
_VERSION_FILE = re.compile(r"v([1-9][0-9]*)\.json")
# Reviewer marks beside the versions (server/domain/review/marks.py): data, not a version.
MARKS_FILE = "marks.json"


class CatalogueError(Exception):
    """A definition that cannot be stored; `errors` holds field messages when there are some."""

    def __init__(self, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class VersionConflict(CatalogueError):
    """The version is already published, or is not newer than the latest one."""


def digest_of(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_definition(raw: Any) -> dict[str, Any]:
    """The definition as stored, or CatalogueError with the schema's messages."""
    try:
        return DefinitionSchema().load(raw)
    except ValidationError as error:
        messages = (
            error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        )
        raise CatalogueError("The form definition is not valid.", messages) from None


def _stored(session: Session, code: str, version: int) -> FormDefinition | None:
    return session.scalars(
        select(FormDefinition).where(FormDefinition.code == code, FormDefinition.version == version)
    ).first()


def latest_version(session: Session, code: str) -> int | None:
    """The newest version stored for a code, whatever its status; None for an unknown code."""
    return session.scalar(
        select(func.max(FormDefinition.version)).where(FormDefinition.code == code)
    )


def _store(session: Session, definition: dict[str, Any], user_id: int | None) -> FormDefinition:
    """Insert a version; the newest version of a code is current, the one before it accepted."""
    latest = latest_version(session, definition["code"])
    newest = latest is None or definition["version"] > latest
    if newest:
        for row in session.scalars(
            select(FormDefinition).where(
                FormDefinition.code == definition["code"], FormDefinition.status == "current"
            )
        ):
            row.status = "accepted"
    row = FormDefinition(
        code=definition["code"],
        version=definition["version"],
        definition=definition,
        digest=digest_of(definition),
        status="current" if newest else "accepted",
        published_at=utcnow(),
        published_by_id=user_id,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class FormFile:
    """One published version kept in the repository: `<directory>/<code>/v<version>.json`."""

    code: str
    version: int
    path: Path

    @property
    def name(self) -> str:
        return f"{self.code}/{self.path.name}"


def form_files(directory: Path = FORMS_DIR) -> list[FormFile]:
    """Every version file, by code then version number (v2 before v10): the order they load in.

    A JSON file outside the layout is refused rather than skipped, so a misplaced version never
    silently stays unpublished.
    """
    found = []
    for path in directory.rglob("*.json"):
        relative = path.relative_to(directory)
        if len(relative.parts) == 2 and path.name == MARKS_FILE:
            continue
        match = _VERSION_FILE.fullmatch(path.name)
        if len(relative.parts) != 2 or match is None:
            raise CatalogueError(f"{relative.as_posix()}: a form version is <code>/v<N>.json.")
        found.append(FormFile(relative.parts[0], int(match[1]), path))
    return sorted(found, key=lambda file: (file.code, file.version))


def read_form_file(file: FormFile) -> dict[str, Any]:
    """The file's definition as it would be stored; its code and version must match its path."""
    try:
        raw = json.loads(file.path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CatalogueError(f"{file.name}: not valid JSON ({error}).") from None
    try:
        definition = check_definition(raw)
    except CatalogueError as error:
        raise CatalogueError(f"{file.name}: {error.errors}", error.errors) from None
    if (definition["code"], definition["version"]) != (file.code, file.version):
        raise CatalogueError(
            f"{file.name} declares {definition['code']} version {definition['version']}; "
            "the folder names the code and the file name the version."
        )
    return definition


def load_definitions(session: Session, directory: Path = FORMS_DIR) -> list[FormDefinition]:
    """Store every version file not yet stored; safe to run at every start or deploy.

    A file whose version is already stored with other content is refused: a published version
    is never edited in place; give the change a new version number instead. Does not commit.
    """
    added = []
    for file in form_files(directory):
        definition = read_form_file(file)
        existing = _stored(session, file.code, file.version)
        if existing is None:
            added.append(_store(session, definition, None))
        elif existing.digest != digest_of(definition):
            raise VersionConflict(
                f"{file.code} version {file.version} is already published with different "
                f"content than {file.name}; a published version never changes: put the change "
                f"in {file.code}/v{latest_version(session, file.code) + 1}.json."
            )
    return added


def check_catalogue_owner(session: Session, role: str, unit: OrgUnit) -> None:
    """Only the owner of the whole tree publishes forms (403 `catalogue_not_owned`).

    The catalogue is one for the server: every county's phones receive every published version.
    So the admin who may publish is one whose unit is the root of the whole tree, a server that
    holds their county alone. On a server holding several counties no county admin owns it, and
    the server's operator publishes from files (`flask load-forms`, reviewed like code); a
    county's admin cannot change what the other counties' assistants fill in.
    """
    roots = session.scalars(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None)).limit(2)).all()
    if role != "admin" or unit.parent_id is not None or list(roots) != [unit.id]:
        raise Problem(CATALOGUE_NOT_OWNED)


def publish_definition(session: Session, raw: Any, user_id: int | None) -> FormDefinition:
    """Publish a new version; the previous current version stays accepted. Does not commit."""
    definition = check_definition(raw)
    code, version = definition["code"], definition["version"]
    if _stored(session, code, version) is not None:
        raise VersionConflict(f"{code} version {version} is already published; use a new version.")
    latest = latest_version(session, code)
    if latest is not None and version <= latest:
        raise VersionConflict(f"{code} is at version {latest}; publish a greater version.")
    follow_up = definition.get("follow_up")
    if (
        follow_up
        and follow_up["form"] != code
        and latest_version(session, follow_up["form"]) is None
    ):
        raise CatalogueError(
            "The follow-up form does not exist.",
            {"follow_up": {"form": [f"Unknown form {follow_up['form']!r}."]}},
        )
    return _store(session, definition, user_id)


def listed_definitions(session: Session) -> list[FormDefinition]:
    """Current and still-accepted versions: what phones may fill and what they may still hold."""
    return list(
        session.scalars(
            select(FormDefinition)
            .where(FormDefinition.status.in_(LISTED_STATUSES))
            .order_by(FormDefinition.code, FormDefinition.version)
        )
    )


def current_definitions(session: Session) -> list[dict[str, Any]]:
    """The definition phones fill today for each form, ordered by code."""
    rows = session.scalars(
        select(FormDefinition)
        .where(FormDefinition.status == "current")
        .order_by(FormDefinition.code)
    )
    return [row.definition for row in rows]


def get_definition(session: Session, code: str, version: int) -> dict[str, Any] | None:
    """One stored version's definition, whatever its status (old records keep their labels)."""
    row = _stored(session, code, version)
    return None if row is None else row.definition


def eligible(
    definition: dict[str, Any],
    birth_date: date | None,
    on: date,
    sex: str | None,
    tags: list[str],
) -> bool:
    """Whether a resident form applies to this person on `on`; activity forms apply to no one.

    Ages are completed units on that day (`registry.tags.age_in`), bounds inclusive; a bare
    integer is whole years. A resident of unknown birth date fails any age bound.
    """
    if definition.get("subject") != "resident":
        return False
    rule = definition.get("eligibility") or {}
    if outside_ages(rule, birth_date, on):
        return False
    if rule.get("sex") and sex != rule["sex"]:
        return False
    wanted = rule.get("tags_any") or []
    return not wanted or bool(set(wanted) & set(tags or []))
