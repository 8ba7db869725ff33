"""All tables, importable without Flask so the sync engine can use them too."""

from server.models.base import Base, utcnow
from server.models.org import LEVELS, OrgUnit
from server.models.registry import (
    REVIEW_STATUSES,
    SEXES,
    Household,
    JsonType,
    Resident,
    ServiceRecord,
)
from server.models.user import ROLE_LEVEL, ROLES, Device, RefreshToken, TokenFamily, User

__all__ = [
    "LEVELS",
    "REVIEW_STATUSES",
    "ROLES",
    "ROLE_LEVEL",
    "SEXES",
    "Base",
    "Device",
    "Household",
    "JsonType",
    "OrgUnit",
    "RefreshToken",
    "Resident",
    "ServiceRecord",
    "TokenFamily",
    "User",
    "utcnow",
]
