"""Tenant services: apply configuration files, look tenants up, describe their capabilities.

Plain functions over a session; no Flask. ``apply_tenants`` is all-or-nothing: if any file of
the run has a problem, nothing from that run is stored.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, bindparam, select, update
from sqlalchemy.orm import Session, lazyload

from pasar import contracts as c
from pasar.plugins import PluginHost, TenantHooks
from pasar.tenancy.config import ConfigError, ConfigProblem, TenantConfig, check_across, find_files, load_file
from pasar.tenancy.models import Tenant, TenantFeatureChange, TenantFeatureOverride, TenantHost


class TenantNotFound(LookupError):
    """No tenant with that code or host."""


@dataclass(frozen=True)
class TenantContext:
    """A tenant as the rest of the kernel sees it: its stored config and its plugins' hooks."""

    id: int
    config: TenantConfig
    hooks: TenantHooks
    # Operators' switches over the file's features, as (feature, on) pairs sorted by name.
    feature_overrides: tuple[tuple[str, bool], ...] = ()

    @property
    def code(self) -> str:
        return self.config.code

    @property
    def country(self) -> str:
        return self.config.country

    @property
    def currency(self) -> str:
        return self.config.currency

    @property
    def default_locale(self) -> str:
        return self.config.locales[0]

    def allowed_features(self) -> frozenset[str]:
        """What the tenant's plugins allow in its country: the most it may ever switch on."""
        return self.hooks.features(self.country).enabled

    def features(self) -> frozenset[str]:
        """The tenant's switches — its file, then operators' overrides — never wider than what
        its plugins allow."""
        chosen = set(self.config.features)
        for feature, enabled in self.feature_overrides:
            if enabled:
                chosen.add(feature)
            else:
                chosen.discard(feature)
        return frozenset(chosen) & self.allowed_features()

    def has_feature(self, feature: str) -> bool:
        return feature in self.features()

    def currency_rules(self) -> c.CurrencyRules:
        return self.hooks.currency_rules(self.currency, self.country)

    def consumer_rules(self, on: date) -> c.ConsumerRules | None:
        return self.hooks.consumer_rules(self.country, on)

    def payment_methods(self) -> list[c.PaymentMethod]:
        offered = self.hooks.payment_methods(self.country)
        enabled = self.features()
        return [
            offered[code]
            for code in self.config.payment_methods
            if code in offered and set(offered[code].requires_features) <= enabled
        ]

    def carriers(self) -> list[c.CarrierInfo]:
        offered = self.hooks.carriers(self.country)
        return [offered[code] for code in self.config.shipping_partners if code in offered]


@dataclass
class ApplyResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def validate_files(paths: Iterable[str | Path], host: PluginHost) -> list[TenantConfig]:
    """Every file's config, or ``ConfigError`` listing every problem in every file."""
    files = find_files(paths)
    if not files:
        raise ConfigError([ConfigProblem(", ".join(map(str, paths)) or "(none)", "(path)", "no tenant files found")])
    configs: list[TenantConfig] = []
    problems: list[ConfigProblem] = []
    for path in files:
        config, found = load_file(path, host)
        problems.extend(found)
        if config is not None:
            configs.append(config)
    problems.extend(check_across(configs))
    if problems:
        raise ConfigError(problems)
    return configs


def apply_tenants(session: Session, paths: Iterable[str | Path], host: PluginHost) -> ApplyResult:
    """Validate every file, then store them all in the caller's transaction (or nothing)."""
    configs = validate_files(paths, host)
    _check_hosts_free(session, configs)
    result = ApplyResult()
    for config in configs:
        outcome = _store(session, config)
        getattr(result, outcome).append(config.code)
    session.flush()
    return result


def _check_hosts_free(session: Session, configs: list[TenantConfig]) -> None:
    wanted = {h: cfg for cfg in configs for h in cfg.hosts}
    rows = session.execute(
        select(TenantHost.host, Tenant.code).join(Tenant).where(TenantHost.host.in_(wanted))
    ).all()
    problems = [
        ConfigProblem(wanted[h].source_file, "hosts", f"already used by tenant {code!r}", h)
        for h, code in rows
        if code != wanted[h].code
    ]
    if problems:
        raise ConfigError(problems)


def _hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _store(session: Session, config: TenantConfig) -> str:
    data = config.as_json()
    digest = _hash(data)
    tenant = session.scalar(select(Tenant).where(Tenant.code == config.code))
    if tenant is not None and tenant.config_hash == digest:
        return "unchanged"
    outcome = "updated" if tenant is not None else "created"
    if tenant is None:
        tenant = Tenant(code=config.code)
        session.add(tenant)
    tenant.name, tenant.country, tenant.currency = config.name, config.country, config.currency
    tenant.default_locale, tenant.timezone = config.locales[0], config.timezone
    tenant.config, tenant.config_hash, tenant.source_file = data, digest, config.source_file
    tenant.hosts = [TenantHost(host=h) for h in config.hosts]
    if outcome == "updated":
        # In SQL, not Python: two concurrent applies must bump twice, never lose one.
        tenant.revision = Tenant.revision + 1  # type: ignore[assignment]
    return outcome


def bump_revision(session: Session, tenant_id: int) -> None:
    """Tell every web process that the tenant's context changed (in the caller's transaction):
    their cached ``TenantContext`` no longer matches and is rebuilt on the next request."""
    session.execute(
        update(Tenant).where(Tenant.id == tenant_id).values(revision=Tenant.revision + 1),
        execution_options={"synchronize_session": "fetch"},
    )


def list_tenants(session: Session) -> list[Tenant]:
    return list(session.scalars(select(Tenant).order_by(Tenant.code)))


def get_tenant(session: Session, code: str) -> Tenant:
    tenant = session.scalar(select(Tenant).where(Tenant.code == code))
    if tenant is None:
        raise TenantNotFound(code)
    return tenant


def tenant_by_host(session: Session, host: str) -> Tenant:
    name = host.split(":", 1)[0].lower().rstrip(".")
    tenant = session.scalar(select(Tenant).join(TenantHost).where(TenantHost.host == name))
    if tenant is None:
        raise TenantNotFound(name)
    return tenant


def context_for(tenant: Tenant, host: PluginHost) -> TenantContext:
    config = TenantConfig.from_json(tenant.config, tenant.source_file)
    overrides = tuple((row.feature, row.enabled) for row in tenant.feature_overrides)
    return TenantContext(id=tenant.id, config=config, hooks=host.for_tenant(config.plugins),
                         feature_overrides=overrides)


# --- the per-request lookup and the per-process context cache ----------------------------------
@dataclass(frozen=True)
class TenantStamp:
    """What one small statement says about a tenant: enough to tell whether a cached context is
    still exact. ``config_hash`` is there too so that a tenant deleted and created again under a
    reused id (SQLite reuses the highest rowid) can never match the old tenant's entry.

    ``extras`` are the per-tenant values domains asked to read with it (``read_with_stamp``);
    they change far more often than the context and take no part in comparing stamps."""

    id: int
    revision: int
    config_hash: str
    extras: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


# Built once, and plain Core over the tables (tenants are not tenant-owned rows, and nothing
# here needs ORM objects): the request only binds a value, SQLAlchemy's compiled cache always
# hits, and the ORM's execution layer is skipped.
_TENANTS, _HOSTS = Tenant.__table__, TenantHost.__table__
StampColumn = Callable[[ColumnElement[int]], ColumnElement[Any]]
_stamp_extras: dict[str, StampColumn] = {}
_stamp_statements: tuple[tuple[str, ...], Select[Any], Select[Any]] | None = None


def read_with_stamp(name: str, column: StampColumn) -> None:
    """Have every request's tenant lookup also read ``column(tenants.id)`` — a correlated
    scalar subquery of a per-tenant value — as ``stamp.extras[name]``.

    Why: a value nearly every request of a domain needs first (the catalog's generation, which
    decides whether a cached answer is still exact) then costs no statement and no transaction of
    its own. The kernel's layers point downwards, so the domain registers here at import rather
    than tenancy knowing it. A missing row reads as None."""
    global _stamp_statements
    _stamp_extras[name] = column
    _stamp_statements = None


def _statements() -> tuple[tuple[str, ...], Select[Any], Select[Any]]:
    global _stamp_statements
    built = _stamp_statements
    if built is None or built[0] != tuple(_stamp_extras):
        names = tuple(_stamp_extras)
        columns = [_TENANTS.c.id, _TENANTS.c.revision, _TENANTS.c.config_hash,
                   *(_stamp_extras[name](_TENANTS.c.id).label(f"extra_{i}") for i, name in enumerate(names))]
        by_code = select(*columns).where(_TENANTS.c.code == bindparam("code"))
        by_host = (select(*columns).join(_HOSTS, _HOSTS.c.tenant_id == _TENANTS.c.id)
                   .where(_HOSTS.c.host == bindparam("host")))
        built = _stamp_statements = (names, by_code, by_host)
    return built


def tenant_stamp(connection: Connection | Session, *, code: str | None = None,
                 host: str | None = None) -> TenantStamp:
    """The tenant a request names by code (preferred) or host name, in one statement on
    ``connection`` (or a session's); ``TenantNotFound`` when there is none."""
    if isinstance(connection, Session):
        connection = connection.connection()
    names, by_code, by_host = _statements()
    if code is not None:
        row = connection.execute(by_code, {"code": code}).first()
        missing = code
    else:
        missing = (host or "").split(":", 1)[0].lower().rstrip(".")
        row = connection.execute(by_host, {"host": missing}).first()
    if row is None:
        raise TenantNotFound(missing)
    return TenantStamp(row[0], row[1], row[2], dict(zip(names, row[3:], strict=True)))


class ContextCache:
    """Each tenant's parsed ``TenantContext``, kept per process (one entry per tenant) with the
    stamp it was built from; exact, not time-limited: an entry is used only while the stored
    revision and config hash still match, and every change to a context bumps the revision.

    Safe for threaded and gevent workers: a reader gets an entry tuple in one dict read; a miss
    builds outside the lock (two threads may both build, both results are right) and the lock
    only keeps a slower builder from replacing a newer entry with an older one."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[TenantStamp, TenantContext]] = {}
        self._lock = threading.Lock()

    def cached(self, stamp: TenantStamp) -> TenantContext | None:
        """The context kept for ``stamp`` if it is still exact, else None (no database work)."""
        entry = self._entries.get(stamp.id)
        return entry[1] if entry is not None and entry[0] == stamp else None

    def context(self, session: Session, stamp: TenantStamp, host: PluginHost) -> TenantContext:
        """The context for ``stamp``, built from ``session`` (bound to that tenant, or to all
        tenants) when this process has none for it yet."""
        kept = self.cached(stamp)
        if kept is not None:
            return kept
        built_stamp, context = _build(session, stamp.id, host)
        with self._lock:
            current = self._entries.get(stamp.id)
            if current is None or current[0].revision <= built_stamp.revision:
                self._entries[stamp.id] = (built_stamp, context)
        return context

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _build(session: Session, tenant_id: int, host: PluginHost) -> tuple[TenantStamp, TenantContext]:
    """Read the tenant and its overrides afresh. The stamp is the row's own: what is read after
    it (the overrides) is at least as new, and anything newer bumps the revision again, so an
    entry is never older than its stamp says."""
    tenant = session.get(Tenant, tenant_id, populate_existing=True, options=[lazyload(Tenant.hosts)])
    if tenant is None:
        raise TenantNotFound(str(tenant_id))
    overrides = session.scalars(
        select(TenantFeatureOverride)
        .where(TenantFeatureOverride.tenant_id == tenant_id)
        .order_by(TenantFeatureOverride.feature)
    )
    config = TenantConfig.from_json(tenant.config, tenant.source_file)
    context = TenantContext(id=tenant.id, config=config, hooks=host.for_tenant(config.plugins),
                            feature_overrides=tuple((row.feature, row.enabled) for row in overrides))
    return TenantStamp(tenant.id, tenant.revision, tenant.config_hash), context


# --- operators' feature switches ----------------------------------------------------------------
class FeatureSwitchRefused(ValueError):
    """A feature switch the tenant may not make; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FeatureSwitch:
    """One feature of a tenant as an operator sees it: on or off now, and why."""

    name: str
    enabled: bool  # in force now
    allowed: bool  # the tenant's plugins allow it in the tenant's country
    in_file: bool  # the tenant file switches it on
    override: bool | None  # an operator's switch, or None when the file decides
    note: str  # the plugin's explanation when a feature is off or limited


def feature_switches(tenant: TenantContext) -> list[FeatureSwitch]:
    """Every known feature of a tenant, in the contract's order."""
    offered = tenant.hooks.features(tenant.country)
    overrides = dict(tenant.feature_overrides)
    enabled = tenant.features()
    return [
        FeatureSwitch(name, name in enabled, name in offered.enabled, name in tenant.config.features,
                      overrides.get(name), offered.notes.get(name, ""))
        for name in c.FEATURES
    ]


def feature_problem(tenant: TenantContext, feature: str) -> str | None:
    """Why an operator may not switch ``feature`` for ``tenant``, or None if they may."""
    if feature not in c.FEATURES:
        return f"unknown feature {feature!r}; known: {', '.join(c.FEATURES)}"
    offered = tenant.hooks.features(tenant.country)
    if feature not in offered.enabled:  # off for good here: nothing for an operator to switch
        why = offered.notes.get(feature)
        message = f"the plugins of tenant {tenant.code!r} do not allow {feature!r} in {tenant.country}"
        return f"{message}: {why}" if why else message
    return None


def switch_feature(
    session: Session, tenant: TenantContext, feature: str, enabled: bool, *, operator_id: int,
    operator_email: str, reason: str, at: datetime,
) -> TenantFeatureChange | None:
    """Switch ``feature`` on or off for ``tenant`` as an operator, with an audit row.

    Refused (``FeatureSwitchRefused``) for an unknown feature, for a feature the tenant's
    plugins do not allow in its country (it is off and stays off), and without a reason. Switching to the state
    already in force changes nothing and logs nothing (``None``). A change bumps the tenant's
    revision, so every web process's cached context picks it up on its next request. The
    session must be bound to ``tenant``; the caller commits."""
    problem = feature_problem(tenant, feature)
    if problem is not None:
        raise FeatureSwitchRefused("feature", problem)
    text = (reason or "").strip()
    if not text:
        raise FeatureSwitchRefused("reason", "say why the feature is switched (it is kept in the audit log)")
    before = tenant.has_feature(feature)
    if before == enabled:
        return None
    row = session.scalar(select(TenantFeatureOverride).where(TenantFeatureOverride.feature == feature))
    if row is None:
        row = TenantFeatureOverride(tenant_id=tenant.id, feature=feature, enabled=enabled,
                                    updated_by=operator_id, updated_at=at)
        session.add(row)
    else:
        row.enabled, row.updated_by, row.updated_at = enabled, operator_id, at
    change = TenantFeatureChange(tenant_id=tenant.id, feature=feature, old_enabled=before,
                                 new_enabled=enabled, reason=text[:500], operator_id=operator_id,
                                 operator_email=operator_email, at=at)
    session.add(change)
    session.flush()
    bump_revision(session, tenant.id)
    return change


def with_current_overrides(session: Session, tenant: TenantContext) -> TenantContext:
    """``tenant`` with the overrides as the session sees them now (after a switch)."""
    rows = session.scalars(select(TenantFeatureOverride).order_by(TenantFeatureOverride.feature))
    return replace(tenant, feature_overrides=tuple((row.feature, row.enabled) for row in rows))


def feature_changes(session: Session, tenant: TenantContext, limit: int = 50) -> list[TenantFeatureChange]:
    """The tenant's feature audit log, newest first."""
    query = select(TenantFeatureChange).order_by(TenantFeatureChange.at.desc(), TenantFeatureChange.id.desc())
    return list(session.scalars(query.limit(limit)))


def capabilities(ctx: TenantContext, on: date) -> dict[str, Any]:
    """What ``GET /api/v1/tenant`` answers: what a client may offer a buyer here."""
    rules = ctx.consumer_rules(on)
    return {
        "code": ctx.code,
        "name": ctx.config.name,
        "country": ctx.country,
        "currency": ctx.currency,
        "locales": list(ctx.config.locales),
        "timezone": ctx.config.timezone,
        "features": {name: name in ctx.features() for name in c.FEATURES},
        "payment_methods": [_method_json(m) for m in ctx.payment_methods()],
        "shipping_partners": [
            {"code": ci.code, "name": ci.name, "services": list(ci.services), "cash_on_delivery": ci.cod}
            for ci in ctx.carriers()
        ],
        "tax_display": rules.price_display if rules else "inclusive",
        "return_window_days": rules.return_window_days if rules else None,
        "return_window_basis": rules.return_window_basis if rules else None,
        "prior_price_days": rules.prior_price_days if rules else None,
        "platform_commission": str(ctx.config.platform_commission),
    }


def _method_json(method: c.PaymentMethod) -> dict[str, Any]:
    def amount(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "code": method.code,
        "name": method.name,
        "kind": method.kind,
        "flow": method.flow,
        "min_amount": amount(method.min_amount),
        "max_amount": amount(method.max_amount),
        "excluded_categories": list(method.excluded_categories),
    }
