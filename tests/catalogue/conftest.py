"""The catalogue loaded from server/forms/, as every deployment starts."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from server.domain.records.catalogue import FORMS_DIR, load_definitions
from server.extensions import db


@pytest.fixture
def catalogue(app) -> None:
    load_definitions(db.session)
    db.session.commit()


def file_definition(code: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((FORMS_DIR / f"{code}.json").read_text(encoding="utf-8")))
