"""Phones pushing to the real endpoints, for the registry's sync tests (see tests/sync)."""

from tests.sync.conftest import forms, phone  # noqa: F401  (fixtures)
