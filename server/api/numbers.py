"""Integers a client sends: ids, versions and page numbers within what the columns hold.

A number past a 32-bit id column crashes PostgreSQL's insert or SQLite's bind instead of
matching nothing, so it is refused as a 422 where it is read.
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from server.core.inputrules import MAX_ID


def row_id(**kwargs: Any) -> fields.Integer:
    """An id, version or page number: 1 to 2^31 - 1."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def seen_version(**kwargs: Any) -> fields.Integer:
    """The version a client last saw: 0 to 2^31 - 1 (an old one is a 409 later, not a 422)."""
    return fields.Integer(validate=validate.Range(min=0, max=MAX_ID), **kwargs)
