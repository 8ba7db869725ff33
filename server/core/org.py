"""The org-unit tree: county → township → village."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Select, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.core.db import Base, JsonType, Timestamped

LEVELS = ("county", "township", "village")


class OrgUnit(Timestamped, Base):
    """A node of the tree; `path` ("/1/4/17/") makes a whole subtree one indexed prefix query."""

    __tablename__ = "org_unit"
    __scope_column__ = "id"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # 户籍 (registered) population, and 常住 (resident) population by year where known:
    # {"2025": 1650}; indicators divide by them, the org-units import keeps them current.
    population: Mapped[int] = mapped_column(default=0)
    resident_population: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    path: Mapped[str] = mapped_column(String(255), index=True, default="")
    # The unit's own settings by key ({"nip_version": "nip_2021"}); a key left out is inherited
    # from the parent (server/domain/orgs/settings.py checks and resolves them).
    settings: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])

    def child_level(self) -> str | None:
        index = LEVELS.index(self.level)
        return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


def subtree_ids(unit: OrgUnit) -> Select[tuple[int]]:
    """Ids of `unit` and all its descendants, as a subquery: the scope rule, in one place.

    Here, beside the tree, so that both the Flask app and the Flask-free sync engine use it.
    """
    return select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path, autoescape=True))
