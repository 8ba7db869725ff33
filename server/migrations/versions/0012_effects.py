"""feed entries for the tag spans and episodes written without one (migration 0011's legacy spans)

Revision ID: 0012_effects
Revises: 0011_episodes
Create Date: 2026-12-01 16:40:00

0011 inserted the residents' stored tags as `resident_tag` rows directly, so the pull feed has
no entry for them and no phone ever receives them. Every synced row must have an entry in its
village's feed; this gives each row lacking one an entry at a fresh sequence, so every phone
pulls it on its next sync (and an upgraded phone's backfill finds it).

Sequences come from the feed counter exactly as the app takes them (`UPDATE sync_counter SET
value = value + n RETURNING value`): the counter row stays locked until this migration
commits, so a server still running during the upgrade queues its pushes behind it and no
reader can see a later sequence before these (the cursor-safety argument of sync/changes.py).
Never max(seq) + 1, never sequences below the counter: a phone whose cursor is past them
would skip them. Rows are read in id order in chunks, so memory stays bounded on a county's
database. Running it again finds nothing missing.
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0012_effects"
down_revision = "0011_episodes"
branch_labels = None
depends_on = None

CHUNK = 2000
ENTITIES = ("resident_tag", "episode")  # entity name = table name for both

counter = sa.table("sync_counter", sa.column("id", sa.Integer()), sa.column("value", sa.BigInteger()))
change = sa.table(
    "sync_change",
    sa.column("seq", sa.BigInteger()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.String()),
    sa.column("village_id", sa.Integer()),
    sa.column("version", sa.Integer()),
    sa.column("op", sa.String()),
    sa.column("changed_at", sa.DateTime(timezone=True)),
)


def _synced(name):
    return sa.table(
        name,
        sa.column("id", sa.Uuid()),
        sa.column("village_id", sa.Integer()),
        sa.column("version", sa.Integer()),
        sa.column("deleted", sa.Boolean()),
    )


def _lock_counter(bind):
    """Take the counter row's lock first, as every writer of the feed does."""
    found = bind.execute(sa.select(counter.c.value).where(counter.c.id == 1)).first()
    if found is None:
        top = bind.execute(sa.select(sa.func.coalesce(sa.func.max(change.c.seq), 0))).scalar()
        bind.execute(sa.insert(counter).values(id=1, value=top))
    bind.execute(sa.update(counter).where(counter.c.id == 1).values(value=counter.c.value))


def _allocate(bind, count):
    """`count` consecutive sequences; the first."""
    stmt = (
        sa.update(counter)
        .where(counter.c.id == 1)
        .values(value=counter.c.value + count)
        .returning(counter.c.value)
    )
    return int(bind.execute(stmt).scalar_one()) - count + 1


def _missing(bind, entity, rows):
    ids = [str(r.id) for r in rows]
    have = set(
        bind.execute(
            sa.select(change.c.entity_id, change.c.village_id).where(
                change.c.entity == entity, change.c.entity_id.in_(ids)
            )
        ).all()
    )
    return [r for r in rows if (str(r.id), r.village_id) not in have]


def upgrade():
    bind = op.get_bind()
    _lock_counter(bind)
    now = datetime.now(timezone.utc)
    for entity in ENTITIES:
        table = _synced(entity)
        after = None
        while True:
            query = sa.select(table).order_by(table.c.id).limit(CHUNK)
            if after is not None:
                query = query.where(table.c.id > after)
            rows = bind.execute(query).all()
            if not rows:
                break
            after = rows[-1].id
            missing = _missing(bind, entity, rows)
            if not missing:
                continue
            first = _allocate(bind, len(missing))
            bind.execute(
                sa.insert(change),
                [
                    {
                        "seq": seq, "entity": entity, "entity_id": str(r.id),
                        "village_id": r.village_id, "version": r.version,
                        "op": "delete" if r.deleted else "upsert", "changed_at": now,
                    }
                    for seq, r in enumerate(missing, start=first)
                ],
            )  # fmt: skip


def downgrade():
    """Nothing: the entries name rows that still exist at 0011, and phones hold them."""
