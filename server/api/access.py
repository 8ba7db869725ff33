"""Who may call a view: authentication and role checks shared by every blueprint.

Every signed-in API view goes through `roles_required` (or `signed_in`), so the one rule that
holds for all of them lives here too: while an account must change its password (created, or
reset by a supervisor, with a temporary one), it may only read its own account and change the
password; everything else answers 403 `password_change_required`. Sign-in, refresh and sign-out
do not use these guards and stay open, so the client can finish the change and keep its session.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import request
from flask_jwt_extended import current_user, jwt_required

from server.core.problems import PASSWORD_CHANGE_REQUIRED, ROLE_NOT_ALLOWED, Problem
from server.domain.accounts.model import STAFF_ROLES, User

STAFF = STAFF_ROLES

# (endpoint, method) an account that must change its password may still call: GET (and HEAD)
# /api/me and POST /api/me/password. Login, refresh and logout need no entry (no guard here).
ALLOWED_BEFORE_PASSWORD_CHANGE = frozenset(
    {("auth.Me", "GET"), ("auth.Me", "HEAD"), ("auth.MyPassword", "POST")}
)


def me() -> User:
    return current_user


def check_password_changed(user: User) -> None:
    """403 `password_change_required` while `user` still has a temporary password."""
    if not user.must_change_password:
        return
    if (request.endpoint, request.method) in ALLOWED_BEFORE_PASSWORD_CHANGE:
        return
    raise Problem(PASSWORD_CHANGE_REQUIRED)


def roles_required(*roles: str) -> Callable:
    """Signed in, and one of `roles` (403 otherwise). Scope is checked by the queries."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @jwt_required()
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            check_password_changed(current_user)
            if roles and current_user.role not in roles:
                raise Problem(ROLE_NOT_ALLOWED)
            return view(*args, **kwargs)

        return wrapper

    return decorator


signed_in = roles_required()
