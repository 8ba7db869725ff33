"""All tables, importable without Flask so the sync engine can use them too."""

from server.models.base import Base, utcnow
from server.models.catalogue import FORM_STATUSES, FormDefinition
from server.models.org import LEVELS, OrgUnit
from server.models.registry import (
    REVIEW_STATUSES,
    SEXES,
    TAGS,
    Household,
    JsonType,
    Resident,
    ServiceRecord,
)
from server.models.user import ROLE_LEVEL, ROLES, Device, RefreshToken, TokenFamily, User

# The sync engine's tables share this metadata so create_all and migrations see them.
import sync.models  # noqa: F401  isort: skip

__all__ = [
    "FORM_STATUSES",
    "LEVELS",
    "REVIEW_STATUSES",
    "ROLES",
    "ROLE_LEVEL",
    "SEXES",
    "TAGS",
    "Base",
    "Device",
    "FormDefinition",
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
