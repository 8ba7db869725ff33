"""Every table of the app, imported once so metadata (create_all, migrations) sees them all."""

from server.core import audit, org  # noqa: F401
from server.core.db import Base
from server.domain.accounts import model as accounts_model  # noqa: F401
from server.domain.episodes import model as episodes_model  # noqa: F401
from server.domain.records import model as records_model  # noqa: F401
from server.domain.registry import model as registry_model  # noqa: F401
from sync import models as sync_models  # noqa: F401

metadata = Base.metadata

__all__ = ["Base", "metadata"]
