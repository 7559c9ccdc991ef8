"""Every domain's models, imported so ``Base.metadata`` is complete for Alembic and tests."""
from __future__ import annotations

from pasar.db import Base
from pasar.tenancy import models as tenancy_models

__all__ = ["Base", "tenancy_models"]
