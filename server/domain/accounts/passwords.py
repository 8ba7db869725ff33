"""Argon2id password hashing (argon2-cffi with its recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """A readable reason a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be at least {MIN_LENGTH} characters."
    return None
