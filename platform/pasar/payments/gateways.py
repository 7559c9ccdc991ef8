"""Where payment work finds its providers: the tenant's gateway for a method, and its payout
provider for cash-on-delivery refunds, each with the tenant's provider context."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from pasar.config import Settings
from pasar.contracts import PaymentGateway, PaymentMethod, PayoutProvider
from pasar.db import Database
from pasar.providers import base_url, provider_context
from pasar.tenancy import service as tenancy
from pasar.tenancy.models import Tenant
from pasar.tenancy.service import TenantContext


class UnknownMethod(LookupError):
    """No plugin of the tenant processes this payment method."""


@dataclass(frozen=True)
class Providers:
    """The database and settings payment work needs besides a session: providers are called
    outside any write transaction, and their answers applied in transactions of their own."""

    db: Database
    settings: Settings

    def gateway(self, tenant: TenantContext, method: str) -> PaymentGateway:
        from pasar.plugins import PluginError

        try:
            return tenant.hooks.payment_gateway(method, provider_context(self.db, self.settings, tenant))
        except PluginError as exc:
            raise UnknownMethod(str(exc)) from None

    def payouts(self, tenant: TenantContext) -> PayoutProvider:
        return tenant.hooks.payout_provider(tenant.country, provider_context(self.db, self.settings, tenant))

    def base_url(self, tenant: TenantContext) -> str:
        return base_url(self.settings, tenant)


def offered_method(tenant: TenantContext, code: str) -> PaymentMethod | None:
    """The method as the tenant's plugin registers it for its country (limits included)."""
    return tenant.hooks.payment_methods(tenant.country).get(code)


def tenant_by_id(session: Session, tenant_id: int, host: object) -> TenantContext:
    """A task's tenant from its id (tasks carry ids, never contexts)."""
    row = session.get(Tenant, tenant_id)
    if row is None:
        raise LookupError(f"no tenant {tenant_id}")
    return tenancy.context_for(row, host)  # type: ignore[arg-type]
