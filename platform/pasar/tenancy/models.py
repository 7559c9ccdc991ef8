"""Stored tenants. The validated TOML is kept whole (``config``) so what an operator applied
can be shown back exactly; the columns hold what queries and routing need."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pasar.db import Base, TenantScoped, utcnow


class Tenant(Base):
    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    default_locale: Mapped[str] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64))
    # The whole validated tenant file (normalised), as applied.
    config: Mapped[dict[str, Any]]
    # sha256 of ``config``: apply is a no-op when nothing changed.
    config_hash: Mapped[str] = mapped_column(String(64))
    source_file: Mapped[str] = mapped_column(String(500), default="")
    # Bumped (in the same transaction) by every change to what ``service.context_for`` builds
    # a context from: this row's config, its host names, its feature overrides. Web processes
    # cache the parsed context per (id, revision) and check only this number per request, so a
    # change that forgot to bump it would go unseen until restart: change these rows only
    # through ``tenancy.service`` (``apply_tenants``, ``switch_feature``).
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    hosts: Mapped[list[TenantHost]] = relationship(
        back_populates="tenant", cascade="all, delete-orphan", lazy="selectin"
    )
    # Loaded on first use (not "selectin"): listing tenants must keep working on a database
    # that `pasar db upgrade` has not brought to this table yet.
    feature_overrides: Mapped[list[TenantFeatureOverride]] = relationship(
        order_by="TenantFeatureOverride.feature", viewonly=True
    )


class TenantHost(Base):
    """A host name that routes requests to a tenant; unique across all tenants."""

    __tablename__ = "tenant_hosts"

    host: Mapped[str] = mapped_column(String(253), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))

    tenant: Mapped[Tenant] = relationship(back_populates="hosts")


class ProviderState(TenantScoped, Base):
    """A sandbox provider's own records ("the provider's database"), per tenant.

    Real adapters keep their state at the provider; sandboxes keep it here so the web process
    and the worker see the same payments, shipments and payouts.
    """

    __tablename__ = "provider_state"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    value: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TenantFeatureOverride(TenantScoped, Base):
    """An operator's switch of one feature for one tenant, over what its tenant file says.

    Kept apart from ``tenants.config`` so that re-applying the tenant files does not silently
    undo an operator's decision; it can never widen what the tenant's plugins allow
    (``TenantContext.features`` intersects with the plugin's set)."""

    __tablename__ = "tenant_feature_overrides"
    __table_args__ = (UniqueConstraint("tenant_id", "feature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feature: Mapped[str] = mapped_column(String(32))  # one of pasar.contracts.FEATURES
    enabled: Mapped[bool]
    updated_by: Mapped[int]  # operators.id (accounts migrates on its own branch: no FK)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TenantFeatureChange(TenantScoped, Base):
    """The audit log of feature switches: who changed what, when, from what to what, and why."""

    __tablename__ = "tenant_feature_changes"
    __table_args__ = (Index("ix_tenant_feature_changes_newest", "tenant_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feature: Mapped[str] = mapped_column(String(32))
    old_enabled: Mapped[bool]  # the effective switch before the change
    new_enabled: Mapped[bool]
    reason: Mapped[str] = mapped_column(String(500))
    operator_id: Mapped[int]  # operators.id; no FK, as above
    # Kept as it was at the time: the log must still say who, if the operator is renamed or removed.
    operator_email: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(default=utcnow)
