"""Every domain's models, imported so ``Base.metadata`` is complete for Alembic and tests.

Each domain's migrations are their own Alembic branch from the kernel's ``0001`` (with
``depends_on`` where a table refers to another domain's), so domains evolve independently;
``pasar db upgrade`` applies every head.
"""
from __future__ import annotations

from pasar.db import Base
from pasar.tenancy import models as tenancy_models  # noqa: F401
from pasar.events import models as events_models  # noqa: F401, E402
from pasar.accounts import models as accounts_models  # noqa: F401, E402
from pasar.sellers import models as sellers_models  # noqa: F401, E402
from pasar.ledger import models as ledger_models  # noqa: F401, E402
from pasar.catalog import models as catalog_models  # noqa: F401, E402
from pasar.orders import models as orders_models  # noqa: F401
from pasar.shipping import models as shipping_models  # noqa: F401, E402
from pasar.returns import models as returns_models  # noqa: F401, E402
from pasar.cart import models as cart_models  # noqa: F401, E402
from pasar.checkout import models as checkout_models  # noqa: F401, E402
from pasar.payments import models as payments_models  # noqa: F401, E402
from pasar.content import models as content_models  # noqa: F401, E402
from pasar.discovery import models as discovery_models  # noqa: F401, E402
from pasar.deals import models as deals_models  # noqa: F401, E402
from pasar.creators import models as creators_models  # noqa: F401, E402
from pasar.ads import models as ads_models  # noqa: F401, E402
