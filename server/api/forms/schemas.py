"""What crosses the wire for forms: a definition is published as-is after its own schema."""

from __future__ import annotations

from server.services.formschema import DefinitionSchema

__all__ = ["DefinitionSchema"]
