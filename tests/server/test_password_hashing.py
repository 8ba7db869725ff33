"""Password hashing cost: the standard argon2id cost unless a setting says otherwise."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from server.config import build_config
from server.domain.accounts import passwords


@pytest.fixture
def restore_cost():
    yield
    passwords.use_hash_cost("test")


def test_a_server_hashes_at_the_standard_cost_unless_told_otherwise(tmp_path, monkeypatch):
    monkeypatch.delenv("PASSWORD_HASH_COST", raising=False)
    assert build_config(tmp_path)["PASSWORD_HASH_COST"] == "standard"


def test_the_standard_cost_is_argon2_cffis_recommendation(restore_cost):
    passwords.use_hash_cost("standard")
    recommended = PasswordHasher()
    made = passwords.hash_password("a-long-password")
    assert f"m={recommended.memory_cost},t={recommended.time_cost}" in made


def test_a_hash_made_at_one_cost_verifies_at_the_other(restore_cost):
    passwords.use_hash_cost("standard")
    made = passwords.hash_password("a-long-password")
    passwords.use_hash_cost("test")
    assert passwords.verify_password(made, "a-long-password")


def test_an_unknown_cost_is_refused_at_start_up():
    with pytest.raises(ValueError, match="PASSWORD_HASH_COST"):
        passwords.use_hash_cost("none")
