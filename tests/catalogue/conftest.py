"""The catalogue loaded from server/forms/, as every deployment starts."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from server.domain.records.catalogue import FORMS_DIR, form_files, load_definitions
from server.extensions import db


@pytest.fixture
def catalogue(app) -> None:
    load_definitions(db.session)
    db.session.commit()


def file_definition(code: str, version: int = 1) -> dict[str, Any]:
    """A version's file as written; version 1 by default, which the VALID samples are filled for."""
    path = FORMS_DIR / code / f"v{version}.json"
    return copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))


def latest_version(code: str) -> int:
    """The greatest version in the repository: a test publishing "a new version" goes above it."""
    return max(file.version for file in form_files() if file.code == code)


def write_version(directory: Path, definition: dict[str, Any], name: str | None = None) -> None:
    """A version file in a tmp forms directory; `name` misplaces it (default: its right path)."""
    path = directory / (name or f"{definition['code']}/v{definition['version']}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
