"""The reference client's rebase of a stale edit, against the table the phone also passes."""

from __future__ import annotations

import re

import pytest

from sync.client import rebased_base
from tests.contracts.tables import cases


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@pytest.mark.parametrize("case", cases("rebase"))
def test_the_reference_client_rebases_as_the_table_says(case):
    args = {_snake(key): value for key, value in case["args"].items()}
    assert rebased_base(**args) == case["base"]
