"""Village Health Assistant server.

`create_app` lives in `server.app`; it is imported lazily so that `server.core`, `server.domain`
and `sync` stay importable without Flask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(
    test_config: dict[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    from server.app import create_app as build

    return build(test_config, instance_path)
