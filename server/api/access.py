"""Who may call a view: authentication and role checks shared by every blueprint."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask_jwt_extended import current_user, jwt_required

from server.errors import ApiError
from server.models import User

STAFF = ("supervisor", "admin")


def me() -> User:
    return current_user


def roles_required(*roles: str) -> Callable:
    """Signed in, and one of `roles` (403 otherwise). Scope is checked by the queries."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @jwt_required()
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if roles and current_user.role not in roles:
                raise ApiError(403, message="Your role does not allow this.")
            return view(*args, **kwargs)

        return wrapper

    return decorator


signed_in = roles_required()
