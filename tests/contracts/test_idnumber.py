"""ID numbers judged by the server against the contract table (the phone gives the problem key)."""

from __future__ import annotations

import pytest

from server.domain.registry.idnumber import id_number_problem
from tests.contracts.tables import cases


@pytest.mark.parametrize("case", cases("idnumber"))
def test_the_server_gives_the_tables_message_for_each_number(case):
    assert id_number_problem(case["number"]) == case["message"]
