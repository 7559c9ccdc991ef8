"""Reading and validating ``tenants/<code>.toml``.

Validation checks a tenant file against what its plugins actually offer (countries, currency,
locales, time zones, features, payment methods, carriers), and reports *every* problem as a
``ConfigProblem`` naming the file, the key, the bad value and the allowed values. Nothing here
writes: ``service.apply_tenants`` stores the result only when every file of the run is clean.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pasar.contracts import FEATURES
from pasar.plugins import PluginError, PluginHost, TenantHooks

CODE_RE = re.compile(r"^[a-z][a-z0-9-]{1,15}$")
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")

REQUIRED: dict[str, type] = {
    "code": str,
    "name": str,
    "plugins": list,
    "country": str,
    "currency": str,
    "locales": list,
    "timezone": str,
    "hosts": list,
    "features": list,
    "payment_methods": list,
    "shipping_partners": list,
    "platform_commission": str,
}
OPTIONAL: dict[str, type] = {"settings": dict, "description": str}


@dataclass(frozen=True)
class ConfigProblem:
    file: str
    key: str
    message: str
    value: Any = None
    allowed: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.file}: {self.key}: {self.message}"
        if self.value is not None:
            text += f" (got {self.value!r})"
        if self.allowed:
            text += f"; allowed: {', '.join(self.allowed)}"
        return text


class ConfigError(ValueError):
    """One or more tenant files are invalid; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class TenantConfig:
    """A validated tenant file."""

    code: str
    name: str
    plugins: tuple[str, ...]
    country: str
    currency: str
    locales: tuple[str, ...]
    timezone: str
    hosts: tuple[str, ...]
    features: tuple[str, ...]
    payment_methods: tuple[str, ...]
    shipping_partners: tuple[str, ...]
    platform_commission: Decimal
    settings: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    source_file: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("source_file")
        data["platform_commission"] = str(self.platform_commission)
        data["settings"] = dict(self.settings)
        for key, value in data.items():
            if isinstance(value, tuple):
                data[key] = list(value)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source_file: str = "") -> TenantConfig:
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        values["platform_commission"] = Decimal(data["platform_commission"])
        values["settings"] = dict(data.get("settings") or {})
        return cls(**values, source_file=source_file)


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """Tenant files named by ``paths``: files as given, directories' ``*.toml`` sorted."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.glob("*.toml")))
        else:
            files.append(path)
    return files


def load_file(path: Path, host: PluginHost) -> tuple[TenantConfig | None, list[ConfigProblem]]:
    """Parse and validate one file: a config when it is clean, and every problem found."""
    name = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [ConfigProblem(name, "(file)", "no such file")]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [ConfigProblem(name, "(syntax)", f"not valid TOML: {exc}")]
    return Validator(name, path.stem, raw, host).run()


class Validator:
    """Checks one parsed file; each ``_check_*`` adds problems and never raises."""

    def __init__(self, file: str, stem: str, raw: Mapping[str, Any], host: PluginHost) -> None:
        self.file, self.stem, self.raw, self.host = file, stem, raw, host
        self.problems: list[ConfigProblem] = []

    def problem(self, key: str, message: str, value: Any = None, allowed: Iterable[str] = ()) -> None:
        self.problems.append(ConfigProblem(self.file, key, message, value, tuple(allowed)))

    def run(self) -> tuple[TenantConfig | None, list[ConfigProblem]]:
        if not self._check_shape():
            return None, self.problems
        hooks = self._check_plugins()
        self._check_identity()
        commission = self._check_commission()
        if hooks is not None:
            self._check_against_plugins(hooks)
        if self.problems or commission is None:
            return None, self.problems
        return self._build(commission), []

    def _check_shape(self) -> bool:
        allowed = sorted(REQUIRED) + sorted(OPTIONAL)
        for key in self.raw:
            if key not in REQUIRED and key not in OPTIONAL:
                self.problem(key, "unknown key", allowed=allowed)
        for key, kind in REQUIRED.items():
            if key not in self.raw:
                self.problem(key, "missing required key")
        for key, kind in {**REQUIRED, **OPTIONAL}.items():
            value = self.raw.get(key)
            if value is None:
                continue
            if not isinstance(value, kind):
                self.problem(key, f"must be a {_type_name(kind)}", value)
            elif kind is list and not all(isinstance(v, str) for v in value):
                self.problem(key, "must be a list of strings", value)
            elif kind is dict and not all(isinstance(v, str) for v in value.values()):
                self.problem(key, "values must be strings", value)
        return not self.problems

    def _check_plugins(self) -> TenantHooks | None:
        plugins = self.raw["plugins"]
        if not plugins:
            self.problem("plugins", "name at least the tenant's region plugin", plugins, self.host.names)
            return None
        try:
            self.host.require(plugins)
        except PluginError as exc:
            self.problem("plugins", str(exc), plugins, self.host.names)
            return None
        return self.host.for_tenant(plugins)

    def _check_identity(self) -> None:
        code = self.raw["code"]
        if not CODE_RE.match(code):
            self.problem("code", "must be 2-16 lower-case letters, digits or '-', starting with a letter", code)
        elif code != self.stem:
            self.problem("code", f"must match the file name ({self.stem}.toml)", code, (self.stem,))
        if not self.raw["name"].strip():
            self.problem("name", "must not be empty", self.raw["name"])
        hosts = self.raw["hosts"]
        if not hosts:
            self.problem("hosts", "name at least one host", hosts)
        for host in hosts:
            if not HOST_RE.match(host):
                self.problem("hosts", "not a valid lower-case host name", host)
        if len(set(hosts)) != len(hosts):
            self.problem("hosts", "lists a host twice", hosts)

    def _check_commission(self) -> Decimal | None:
        raw = self.raw["platform_commission"]
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.problem("platform_commission", "must be a decimal string such as \"0.05\"", raw)
            return None
        if not value.is_finite() or not Decimal(0) <= value < Decimal(1):
            self.problem("platform_commission", "must be a fraction from 0 up to (not including) 1", raw)
            return None
        return value

    def _check_against_plugins(self, hooks: TenantHooks) -> None:
        country = hooks.country(self.raw["country"])
        if country is None:
            served = sorted(c.code for c in hooks.countries())
            self.problem("country", "not served by the tenant's plugins", self.raw["country"], served)
            return
        self._check_one_of("currency", self.raw["currency"], (country.currency,))
        self._check_each("locales", self.raw["locales"], country.locales, non_empty=True)
        self._check_timezone(country.timezones)
        features = hooks.features(country.code)
        self._check_each("features", self.raw["features"], sorted(features.enabled))
        unknown = set(self.raw["features"]) - set(FEATURES)
        if unknown:
            self.problem("features", "unknown feature", sorted(unknown), FEATURES)
        methods = hooks.payment_methods(country.code)
        self._check_each("payment_methods", self.raw["payment_methods"], sorted(methods), non_empty=True)
        for code in self.raw["payment_methods"]:
            method = methods.get(code)
            missing = [f for f in (method.requires_features if method else ()) if f not in self.raw["features"]]
            if missing:
                self.problem("payment_methods", f"{code!r} needs the feature(s) {', '.join(missing)}", code)
        carriers = hooks.carriers(country.code)
        self._check_each("shipping_partners", self.raw["shipping_partners"], sorted(carriers), non_empty=True)

    def _check_one_of(self, key: str, value: str, allowed: Sequence[str]) -> None:
        if value not in allowed:
            self.problem(key, "not offered for this country by the tenant's plugins", value, allowed)

    def _check_each(self, key: str, values: Sequence[str], allowed: Sequence[str], *, non_empty: bool = False) -> None:
        if non_empty and not values:
            self.problem(key, "name at least one", values, allowed)
        for value in values:
            if value not in allowed:
                self.problem(key, "not offered for this country by the tenant's plugins", value, allowed)
        if len(set(values)) != len(values):
            self.problem(key, "lists a value twice", list(values))

    def _check_timezone(self, allowed: Sequence[str]) -> None:
        tz = self.raw["timezone"]
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            self.problem("timezone", "not an IANA time zone", tz, allowed)
            return
        self._check_one_of("timezone", tz, allowed)

    def _build(self, commission: Decimal) -> TenantConfig:
        raw = self.raw
        return TenantConfig(
            code=raw["code"],
            name=raw["name"].strip(),
            plugins=tuple(raw["plugins"]),
            country=raw["country"],
            currency=raw["currency"],
            locales=tuple(raw["locales"]),
            timezone=raw["timezone"],
            hosts=tuple(raw["hosts"]),
            features=tuple(raw["features"]),
            payment_methods=tuple(raw["payment_methods"]),
            shipping_partners=tuple(raw["shipping_partners"]),
            platform_commission=commission,
            settings=dict(raw.get("settings") or {}),
            description=raw.get("description", ""),
            source_file=self.file,
        )


def _type_name(kind: type) -> str:
    return {str: "string", list: "list", dict: "table"}.get(kind, kind.__name__)


def check_across(configs: Sequence[TenantConfig]) -> list[ConfigProblem]:
    """Problems between files of one run: the same code or host twice."""
    problems: list[ConfigProblem] = []
    seen_codes: dict[str, str] = {}
    seen_hosts: dict[str, str] = {}
    for config in configs:
        if config.code in seen_codes:
            problems.append(ConfigProblem(config.source_file, "code", f"also used by {seen_codes[config.code]}", config.code))
        seen_codes[config.code] = config.source_file
        for host in config.hosts:
            if host in seen_hosts:
                problems.append(ConfigProblem(config.source_file, "hosts", f"also used by {seen_hosts[host]}", host))
            seen_hosts[host] = config.source_file
    return problems
