"""Settings: ``PASAR_*`` environment variables over embedded defaults.

The defaults make a fresh checkout run with no services at all (SQLite for the data and as
Celery's broker); production sets ``PASAR_DATABASE_URL`` (PostgreSQL) and ``PASAR_BROKER_URL``
(Redis or RabbitMQ). ``create_app(config)`` may override any key, which is how tests point the
app at their own database.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

#: The repository root when running from a checkout (``platform/pasar/config.py`` → up 3).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def var_dir() -> Path:
    """Where the embedded defaults keep their files (SQLite, uploads, media, secrets)."""
    return Path(os.environ.get("PASAR_VAR_DIR", PROJECT_ROOT / "var"))


_var_dir = var_dir  # the older private name, still imported by some domains


@dataclass(frozen=True)
class Settings:
    """Every setting the kernel reads, typed, with its embedded default."""

    database_url: str = ""
    broker_url: str = ""
    result_backend: str = ""
    pubsub_url: str = ""  # redis://... for live events across workers; "" = in-process
    secret_key: str = ""
    webhook_secret: str = ""  # signs sandbox provider webhooks; per tenant derived from it
    tenants_dir: str = str(PROJECT_ROOT / "tenants")
    public_scheme: str = "http"
    public_port: int = 5000
    default_locale: str = "en_US"
    enabled_plugins: tuple[str, ...] = ()  # () = every installed plugin may be used
    task_always_eager: bool = False
    testing: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise KeyError(f"unknown settings: {', '.join(sorted(unknown))}")
        return replace(self, **overrides)


def _sqlite_url(name: str) -> str:
    return f"sqlite:///{var_dir() / name}"


def _persistent_secret(name: str) -> str:
    """A random secret kept under var/ so sessions and webhooks survive restarts."""
    path = var_dir() / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    path.write_text(value)
    return value


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Read ``PASAR_*`` variables; anything unset takes the embedded default."""
    env = os.environ if environ is None else environ
    database_url = env.get("PASAR_DATABASE_URL") or _sqlite_url("pasar.db")
    broker_url = env.get("PASAR_BROKER_URL") or "sqla+" + _sqlite_url("broker.db")
    plugins = tuple(p for p in env.get("PASAR_PLUGINS", "").replace(",", " ").split() if p)
    return Settings(
        database_url=database_url,
        broker_url=broker_url,
        result_backend=env.get("PASAR_RESULT_BACKEND") or _default_backend(broker_url),
        pubsub_url=env.get("PASAR_PUBSUB_URL", ""),
        secret_key=env.get("PASAR_SECRET_KEY") or _persistent_secret("secret_key"),
        webhook_secret=env.get("PASAR_WEBHOOK_SECRET") or _persistent_secret("webhook_secret"),
        tenants_dir=env.get("PASAR_TENANTS_DIR", str(PROJECT_ROOT / "tenants")),
        public_port=int(env.get("PASAR_PORT", "5000")),
        enabled_plugins=plugins,
    )


def _default_backend(broker_url: str) -> str:
    """Results live next to the broker: Redis for Redis, a SQLite file for the embedded one."""
    if broker_url.startswith(("redis://", "rediss://")):
        return broker_url
    if broker_url.startswith("sqla+"):
        return "db+" + _sqlite_url("results.db")
    return "rpc://"
