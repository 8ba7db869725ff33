"""Wire shapes of the sync endpoints (the protocol is described in docs/sync-protocol.md).

Mutations stay plain objects here: the engine checks each one on its own and answers
`rejected` for a bad one, so one malformed mutation never fails the whole batch.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from server.core.inputrules import text_problem
from server.synced import REGISTRY
from sync.pull import DEFAULT_LIMIT, MAX_LIMIT

QUEUED_DESCRIPTION = (
    "Changes in the phone's outbox as it sends this request (this push's own included, "
    "refused ones too); shown to the supervisor and ends a stop-after-upload at 0"
)


def _storable(text: str) -> None:
    problem = text_problem(text)
    if problem:
        raise ValidationError(problem)


class PushSchema(Schema):
    device_id = fields.String(required=True, validate=[validate.Length(min=1, max=64), _storable])
    queued = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": QUEUED_DESCRIPTION},
    )
    mutations = fields.List(
        fields.Dict(),
        required=True,
        metadata={
            "description": "[{mutation_id, entity, op, id, base_version, data, client_time}]"
        },
    )


class PushResultsSchema(Schema):
    results = fields.List(
        fields.Dict(),
        metadata={
            "description": "One per mutation, in order: {mutation_id, status, id, version, ...}; "
            "status is applied | duplicate | merged | conflict | rejected"
        },
    )


class EntityList(fields.String):
    """Comma-separated names of synced entities, as a sorted tuple (each named once)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> tuple[str, ...]:
        names = [n.strip() for n in super()._deserialize(value, attr, data, **kwargs).split(",")]
        unknown = sorted({n for n in names if n not in REGISTRY})
        if unknown:
            raise ValidationError(
                f"Unknown entities: {', '.join(unknown)}; these sync: {', '.join(REGISTRY)}."
            )
        return tuple(sorted(set(names)))


class PullQuerySchema(Schema):
    since = fields.String(load_default=None, validate=validate.Length(max=200))
    entities = EntityList(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={
            "description": "Only these entities' rows (comma-separated), e.g. a phone's "
            "one-time backfill of a store it has just gained; the cursor is this filter's own"
        },
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )
    queued = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=2**31 - 1),
        metadata={"description": QUEUED_DESCRIPTION},
    )


class PullPageSchema(Schema):
    changes = fields.List(
        fields.Dict(), metadata={"description": "{entity, id, op, version, data}"}
    )
    cursor = fields.String()
    has_more = fields.Boolean()
    reset = fields.Boolean(metadata={"description": "Present and true after a scope change."})
