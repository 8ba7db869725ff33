"""A record's form data checked against the form version it names, as stored in the catalogue.

Published versions are immutable, so each version's marshmallow schema is built once and kept
per (code, version, digest); a batch also remembers its lookups (`batch_form_validator`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.domain.records.catalogue import latest_version
from server.domain.records.formrules import FormSchema, form_schema
from server.domain.records.model import FormDefinition

_validators: dict[tuple[str, int, str], FormSchema] = {}


def validate_form_data(
    session: Session,
    form_code: str,
    form_version: int,
    data: Any,
    today: date | None = None,
    visit_date: date | None = None,
) -> dict[str, list[str]]:
    """Problems with a record's form data, per field; empty means valid.

    Uses the version the record names, so records filled with an older, still-accepted version
    stay valid. Unknown or retired versions answer under `form_code`. Dates relative to the visit
    and computed fields are checked against `visit_date` (today when not given).
    """
    found = _validator_for(session, form_code, form_version)
    if isinstance(found, dict):
        return {name: list(messages) for name, messages in found.items()}
    return found.errors(data, today, visit_date)


def batch_form_validator() -> Callable[..., dict[str, list[str]]]:
    """`validate_form_data` that looks each (form, version) up once: for one pushed batch.

    A batch of 500 records of one form then costs one catalogue query instead of 500. Use it
    within one transaction only (a definition published later is not seen).
    """
    found: dict[tuple[Any, Any], FormSchema | dict[str, list[str]]] = {}

    def validate(
        session: Session,
        form_code: str,
        form_version: int,
        data: Any,
        today: date | None = None,
        visit_date: date | None = None,
    ) -> dict[str, list[str]]:
        key = (form_code, form_version)
        if key not in found:
            found[key] = _validator_for(session, form_code, form_version)
        entry = found[key]
        if isinstance(entry, dict):
            return {name: list(messages) for name, messages in entry.items()}
        return entry.errors(data, today, visit_date)

    return validate


def _validator_for(
    session: Session, form_code: str, form_version: int
) -> FormSchema | dict[str, list[str]]:
    """The validator of a stored, usable form version, or why the version cannot be used."""
    row = session.execute(
        select(FormDefinition.id, FormDefinition.digest, FormDefinition.status).where(
            FormDefinition.code == form_code, FormDefinition.version == form_version
        )
    ).first()
    if row is None:
        if isinstance(form_code, str) and latest_version(session, form_code) is not None:
            return {"form_code": [f"Form {form_code!r} has no version {form_version!r}."]}
        return {"form_code": [f"Unknown form {form_code!r}."]}
    if row.status == "retired":
        return {
            "form_code": [
                f"Form {form_code!r} version {form_version} is retired; "
                "update the app and use the current version."
            ]
        }
    key = (form_code, form_version, row.digest)
    validator = _validators.get(key)
    if validator is None:
        definition = session.get(FormDefinition, row.id).definition
        validator = _validators[key] = form_schema(definition)
    return validator
