"""Fixtures of the role tests: the catalogue as loaded from server/forms/."""

from __future__ import annotations

from tests.catalogue.conftest import catalogue  # noqa: F401
from tests.sync.conftest import forms, phone  # noqa: F401
