"""Argon2id password hashing (argon2-cffi with its recommended parameters), and the policy a
new password must meet (at least 8 characters, not the username, not a common password)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.core.problems import (
    PASSWORD_IS_USERNAME,
    PASSWORD_TOO_COMMON,
    PASSWORD_TOO_SHORT,
    Problem,
)

# `standard` is argon2-cffi's recommendation (RFC 9106, low memory) and the only one for a real
# server. `test` exists because the suite signs in thousands of times: at the standard cost
# that is most of its CPU. A hash carries its own parameters, so either verifies the other's.
HASH_COSTS: dict[str, dict[str, int]] = {
    "standard": {},
    "test": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
}
_cost = "standard"
_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def use_hash_cost(name: str) -> None:
    """Hash new passwords (and the unknown-user dummy) at the named cost (`PASSWORD_HASH_COST`)."""
    global _cost, _hasher, _DUMMY_HASH
    if name not in HASH_COSTS:
        raise ValueError(f"PASSWORD_HASH_COST must be one of {sorted(HASH_COSTS)}, not {name!r}")
    if name != _cost:
        _cost, _hasher = name, PasswordHasher(**HASH_COSTS[name])
        _DUMMY_HASH = _hasher.hash("not-a-real-password")


MIN_LENGTH = 8
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords guessed first (lower case), read once."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("# "))


def _folded(text: str) -> str:
    return text.strip().casefold()


def password_problem(password: str, username: str = "") -> Problem | None:
    """Why a new password is refused (a coded problem), or None when it is acceptable.

    The rules are the ones a guesser defeats first (NIST SP 800-63B 5.1.1.2): length, the
    username, and the passwords every list of leaked ones starts with. No rules on character
    classes: they make passwords harder to remember, not to guess.
    """
    if len(password) < MIN_LENGTH:
        return Problem(PASSWORD_TOO_SHORT, min_length=MIN_LENGTH)
    folded = _folded(password)
    if username and folded == _folded(username):
        return Problem(PASSWORD_IS_USERNAME)
    if folded in common_passwords():
        return Problem(PASSWORD_TOO_COMMON)
    return None


def check_new_password(password: str, username: str = "", field: str = "password") -> None:
    """Raise the policy's problem, with the message under `field`, if the password is refused."""
    problem = password_problem(password, username)
    if problem is not None:
        problem.errors = {field: [problem.message]}
        raise problem
