"""The plugin manager and the typed façade kernel code calls hooks through.

Kernel code never calls ``pm.hook.x(...)``: it asks a ``PluginHost`` for a ``TenantHooks`` (the
hooks of exactly the plugins one tenant enables, through pluggy's ``subset_hook_caller``) and
calls its typed methods. So a ``firstresult`` hook can never answer with another region's rule —
a UK tenant never sees the Indonesian plugin's tax, wallets or carriers — and a type checker
covers every hook call.

The manager is built by ``PluginHost.load()`` in the application factory (never at import time).
A plugin that fails to import is recorded, not skipped in silence: a tenant that names it fails
to apply and the app refuses to start for it.
"""
from __future__ import annotations

import importlib.metadata as md
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from types import ModuleType
from typing import Any

import pluggy

from pasar import contracts as c
from pasar import hookspecs

ENTRY_POINT_GROUP = "pasar.plugins"
#: Built-in plugins every tenant sees: the kernel's trylast defaults.
KERNEL_PLUGINS = ("pasar.defaults",)


class PluginError(RuntimeError):
    """A plugin is missing, broken or contradicts another one."""


@dataclass(frozen=True)
class PluginDescription:
    """What ``pasar plugins`` shows about one installed plugin."""

    name: str
    version: str
    distribution: str
    module: str
    hooks: tuple[str, ...]
    error: str | None = None  # the import error of a plugin that failed to load

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "distribution": self.distribution,
            "module": self.module,
            "hooks": list(self.hooks),
            "error": self.error,
        }


def _new_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    from pasar import defaults

    pm.register(defaults, name="pasar.defaults")
    return pm


def _hooks_of(pm: pluggy.PluginManager, plugin: object) -> tuple[str, ...]:
    callers = pm.get_hookcallers(plugin) or []
    return tuple(sorted(h.name for h in callers))


class PluginHost:
    """Every installed plugin, loaded once per process."""

    def __init__(self, pm: pluggy.PluginManager, descriptions: Mapping[str, PluginDescription]):
        self.pm = pm
        self.descriptions = dict(descriptions)
        self._tenant_cache: dict[tuple[str, ...], TenantHooks] = {}

    @classmethod
    def load(
        cls, *, entry_points: bool = True, extra: Mapping[str, ModuleType | object] | None = None
    ) -> PluginHost:
        """Load plugins from the ``pasar.plugins`` entry points (and ``extra``, for tests)."""
        pm = _new_manager()
        found: dict[str, PluginDescription] = {}
        if entry_points:
            for ep in md.entry_points(group=ENTRY_POINT_GROUP):
                found[ep.name] = _load_entry_point(pm, ep)
        for name, plugin in (extra or {}).items():
            pm.register(plugin, name=name)
            found[name] = PluginDescription(
                name, "0", "(registered in-process)", _module_name(plugin), _hooks_of(pm, plugin)
            )
        pm.check_pending()
        return cls(pm, found)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(n for n, d in self.descriptions.items() if d.error is None))

    def installed(self) -> list[PluginDescription]:
        return [self.descriptions[n] for n in sorted(self.descriptions)]

    def require(self, names: Iterable[str]) -> None:
        """Fail unless every plugin in ``names`` is installed and loaded."""
        for name in names:
            desc = self.descriptions.get(name)
            if desc is None:
                installed = ", ".join(self.names) or "none"
                raise PluginError(f"plugin {name!r} is not installed (installed: {installed})")
            if desc.error:
                raise PluginError(f"plugin {name!r} failed to load: {desc.error}")

    def for_tenant(self, plugins: Sequence[str]) -> TenantHooks:
        """The hooks of exactly ``plugins`` (plus the kernel's defaults)."""
        key = tuple(sorted(set(plugins)))
        if key not in self._tenant_cache:
            self.require(key)
            self._tenant_cache[key] = TenantHooks(self.pm, key)
        return self._tenant_cache[key]

    # Extension hooks are process-wide: blueprints and commands exist once per process.
    def register_blueprints(self, register: Callable[[Any], None]) -> None:
        self.pm.hook.pasar_register_blueprints(register=register)

    def register_commands(self, cli: Any) -> None:
        self.pm.hook.pasar_register_commands(cli=cli)

    def locale_dirs(self) -> list[str]:
        return [d for answer in self.pm.hook.pasar_locale_dirs() for d in answer]


def _module_name(plugin: object) -> str:
    return getattr(plugin, "__name__", type(plugin).__name__)


def _load_entry_point(pm: pluggy.PluginManager, ep: md.EntryPoint) -> PluginDescription:
    dist = ep.dist
    dist_name = dist.metadata["Name"] if dist else "?"
    version = dist.version if dist else "?"
    try:
        plugin = ep.load()
        pm.register(plugin, name=ep.name)
    except Exception as exc:  # a broken plugin is reported, not hidden
        return PluginDescription(ep.name, version, dist_name, ep.value, (), f"{type(exc).__name__}: {exc}")
    return PluginDescription(ep.name, version, dist_name, ep.value, _hooks_of(pm, plugin))


class TenantHooks:
    """Typed calls into the plugins of one tenant."""

    def __init__(self, pm: pluggy.PluginManager, plugins: tuple[str, ...]) -> None:
        self.pm = pm
        self.plugins = plugins
        keep = set(plugins) | set(KERNEL_PLUGINS)
        self._remove = [p for name, p in pm.list_name_plugin() if name not in keep]
        self._callers: dict[str, Any] = {}

    def _hook(self, name: str) -> Any:
        if name not in self._callers:
            self._callers[name] = self.pm.subset_hook_caller(name, self._remove)
        return self._callers[name]

    # -- region ---------------------------------------------------------------------------
    @cached_property
    def regions(self) -> tuple[c.RegionInfo, ...]:
        return tuple(self._hook("pasar_region_info")())

    def country(self, code: str) -> c.CountryInfo | None:
        for region in self.regions:
            found = region.country(code)
            if found is not None:
                return found
        return None

    def countries(self) -> list[c.CountryInfo]:
        return [country for region in self.regions for country in region.countries]

    def currency_rules(self, currency: str, country: str) -> c.CurrencyRules:
        rules = self._hook("pasar_currency_rules")(currency=currency, country=country)
        assert rules is not None, "the kernel default always answers"
        return rules

    def features(self, country: str) -> c.FeatureSet:
        answer = self._hook("pasar_features")(country=country)
        return answer if answer is not None else c.FeatureSet(country, frozenset())

    def consumer_rules(self, country: str, on: date) -> c.ConsumerRules | None:
        return self._hook("pasar_consumer_rules")(country=country, on=on)

    def kyc_requirements(self, country: str) -> c.KycRequirements | None:
        return self._hook("pasar_kyc_requirements")(country=country)

    # -- tax ------------------------------------------------------------------------------
    def tax_quote(self, context: c.TaxContext) -> c.TaxQuote | None:
        return self._hook("pasar_tax_quote")(context=context)

    def withholding(self, context: c.WithholdingContext) -> list[c.Withholding]:
        answers = self._hook("pasar_marketplace_withholding")(context=context)
        return [w for answer in answers for w in answer]

    # -- payments -------------------------------------------------------------------------
    def payment_methods(self, country: str) -> dict[str, c.PaymentMethod]:
        return _collect(self._hook("pasar_register_payment_methods"), "payment method", country)

    def payment_gateway(self, method: str, context: c.ProviderContext) -> c.PaymentGateway:
        gateway = self._hook("pasar_payment_gateway")(method=method, context=context)
        if gateway is None:
            raise PluginError(f"no plugin of {self.plugins} provides a gateway for {method!r}")
        return gateway

    def payout_provider(self, country: str, context: c.ProviderContext) -> c.PayoutProvider:
        provider = self._hook("pasar_payout_provider")(country=country, context=context)
        if provider is None:
            raise PluginError(f"no plugin of {self.plugins} pays out in {country}")
        return provider

    # -- shipping -------------------------------------------------------------------------
    def carriers(self, country: str) -> dict[str, c.CarrierInfo]:
        return _collect(self._hook("pasar_register_carriers"), "carrier", country)

    def carrier(self, code: str, context: c.ProviderContext) -> c.Carrier:
        carrier = self._hook("pasar_carrier")(code=code, context=context)
        if carrier is None:
            raise PluginError(f"no plugin of {self.plugins} provides carrier {code!r}")
        return carrier

    # -- discovery ------------------------------------------------------------------------
    def rank_feed(self, context: c.FeedContext, candidates: list[c.FeedCandidate]) -> list[c.RankedItem]:
        """The tenant's ranker (a plugin's, or the kernel's default registered trylast)."""
        ranked = self._hook("pasar_rank_feed")(context=context, candidates=candidates)
        assert ranked is not None, "the kernel default always answers"
        return list(ranked)

    # -- lifecycle ------------------------------------------------------------------------
    def emit(self, event: c.LifecycleEvent) -> None:
        """Call the lifecycle hook for ``event.kind`` (``order.paid`` → ``pasar_order_paid``)."""
        name = "pasar_" + event.kind.replace(".", "_")
        if not hasattr(self.pm.hook, name):
            raise PluginError(f"no lifecycle hook for event kind {event.kind!r}")
        self._hook(name)(event=event)


def _collect(hook: Any, what: str, country: str) -> dict[str, Any]:
    """Run a ``pasar_register_*`` hook and refuse duplicate codes from two plugins."""
    found: dict[str, Any] = {}
    owners: dict[str, str] = {}
    for impl in reversed(hook.get_hookimpls()):
        def register(item: Any, _owner: str = impl.plugin_name) -> None:
            code = item.code if hasattr(item, "code") else item.info.code
            if code in found:
                raise PluginError(
                    f"{what} {code!r} is registered by both {owners[code]!r} and {_owner!r}"
                )
            found[code], owners[code] = item, _owner

        kwargs = {"register": register, "country": country}
        impl.function(*[kwargs[arg] for arg in impl.argnames])
    return found
