"""Shared pytest fixtures for the kernel's and the plugins' tests (loaded with ``-p``).

The database is SQLite in a temporary directory unless ``PASAR_TEST_DATABASE_URL`` names a
PostgreSQL server: then the session creates its own database there and drops it at the end.
``PASAR_TEST_BROKER_URL`` (Redis) does the same for the tests that run a real worker.
Tests never reach a network service beyond loopback: a guard refuses other addresses.
"""
from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pasar.config import PROJECT_ROOT

REFERENCE_TENANTS = PROJECT_ROOT / "tenants"
_LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail fast if code under test tries to leave the machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])
            if not host.startswith(_LOOPBACK):
                raise OSError(f"tests may not connect to {host}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture()
def celery_restored(app: Any) -> Iterator[None]:
    """For tests that run the ``pasar`` CLI: Celery's configuration is one per process and every
    ``create_app`` writes into it, so a CLI command building a non-eager app used to leave later
    tests' webhooks queued, never delivered (which test failed depended on the order). The test
    ends with the settings (and task app) it began with — the session app's, which is why this
    fixture makes sure that app exists first."""
    from pasar.worker import _app_cache, celery_app

    keys = ("broker_url", "result_backend", "task_always_eager", "task_eager_propagates", "beat_schedule",
            "broker_transport_options")
    saved = {key: celery_app.conf.get(key) for key in keys}
    saved_app = _app_cache.get("app")
    yield
    celery_app.conf.update(saved)
    if saved_app is not None:
        _app_cache["app"] = saved_app


def server_database_url() -> str | None:
    return os.environ.get("PASAR_TEST_DATABASE_URL") or None


def create_server_database(base_url: str) -> str:
    """Create a fresh database next to ``base_url``'s and return its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"pasar_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_server_database(base_url: str, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def make_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], str]]:
    """A factory of empty databases of the tier under test; all dropped at the end."""
    base = server_database_url()
    made: list[str] = []

    def make() -> str:
        if base:
            url = create_server_database(base)
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'pasar.db'}"
        made.append(url)
        return url

    yield make
    if base:
        for url in made:
            drop_server_database(base, url)


@pytest.fixture(scope="session")
def plugin_host() -> Any:
    from pasar.plugins import PluginHost

    return PluginHost.load()


def _app_settings(database_url: str, tmp: Path) -> dict[str, Any]:
    return {
        "database_url": database_url,
        "broker_url": "memory://",
        "result_backend": "cache+memory://",
        "secret_key": "test-secret",
        "webhook_secret": "test-webhook-secret",
        "task_always_eager": True,
        "testing": True,
        # Files the app writes (KYC documents, product images) stay out of the checkout.
        "extra": {"uploads_dir": str(tmp / "uploads"), "media_dir": str(tmp / "media")},
    }


@pytest.fixture(scope="session")
def make_app(
    make_database_url: Callable[[], str], plugin_host: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., Any]]:
    """Build a migrated app on a fresh database; ``tenants=True`` applies the reference files.
    Every app's connection pool is closed at the end (before its database is dropped)."""
    from pasar.app import create_app
    from pasar.migrate import upgrade
    from pasar.tenancy.service import apply_tenants
    from pasar.worker import use_app

    def make(*, tenants: bool = True, **overrides: Any) -> Any:
        url = make_database_url()
        upgrade(url)
        settings = {**_app_settings(url, tmp_path_factory.mktemp("app")), **overrides}
        app = create_app(settings, plugins=plugin_host)
        if tenants:
            db = app.extensions["pasar.db"]
            with db.session(all_tenants=True) as session:
                apply_tenants(session, [REFERENCE_TENANTS], plugin_host)
        use_app(app)
        made.append(app)
        return app

    made: list[Any] = []
    yield make
    for app in made:
        app.extensions["pasar.db"].dispose()


@pytest.fixture(scope="session")
def app(make_app: Callable[..., Any]) -> Any:
    """One app with every reference tenant applied, shared by read-mostly tests."""
    return make_app()


@pytest.fixture()
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture()
def db(app: Any) -> Any:
    return app.extensions["pasar.db"]
