"""Every API blueprint, registered in one loop by `create_app`."""

from __future__ import annotations

from importlib import import_module

RESOURCES = [
    "health",
    "auth",
    "org_units",
    "users",
    "review",
    "overview",
    "conflicts",
    "exports",
    "audit",
    "residents",
    "duplicates",
    "tags",
    "households",
    "forms",
    "sync",
]


def blueprints():
    for name in RESOURCES:
        yield import_module(f"server.api.{name}.routes").blp
