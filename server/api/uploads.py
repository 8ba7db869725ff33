"""A spreadsheet uploaded as JSON (`{filename, content: base64}`), for the import endpoints.

The API speaks JSON only (one body shape, one error shape), so a file travels base64-encoded;
the workspace reads the chosen file and sends it like any other body.
"""

from __future__ import annotations

import base64
import binascii

from marshmallow import Schema, fields, validate

from server.core.sheets import Sheet, read_sheet, unreadable


class ImportFileSchema(Schema):
    filename = fields.String(load_default="", validate=validate.Length(max=255))
    content = fields.String(
        required=True,
        validate=validate.Length(min=1),
        metadata={"description": "The file's bytes (CSV or XLSX), base64-encoded"},
    )


def sheet_of(body: dict, aliases: dict[str, str]) -> Sheet:
    """The uploaded spreadsheet, from its base64 body."""
    try:
        data = base64.b64decode(body["content"], validate=True)
    except (binascii.Error, ValueError):
        raise unreadable("The content is not base64.") from None
    return read_sheet(data, body.get("filename", ""), aliases)
