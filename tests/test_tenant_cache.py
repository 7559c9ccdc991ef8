"""A web process keeps each tenant's context in memory and checks it with one small statement per
request: every change to a tenant (its file, its host names, an operator's feature switch) is
seen by the very next request, in this process and any other, and nothing else is read."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from pasar import clock
from pasar.app import create_app
from pasar.tenancy import service
from pasar.tenancy.models import Tenant
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.fixtures import REFERENCE_TENANTS, _app_settings


@pytest.fixture()
def tenant_app(make_app: Callable[..., Any]) -> Any:
    """An app of its own: these tests change tenants."""
    return make_app()


@contextmanager
def statements(app: Any) -> Iterator[list[str]]:
    """The SQL ``app`` sends inside the block, transaction control apart."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            seen.append(" ".join(statement.split()))

    engine = app.extensions["pasar.db"].engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def capabilities(app: Any, code: str | None = None, host: str | None = None) -> Any:
    headers = {"X-Pasar-Tenant": code} if code else {"Host": host or ""}
    return app.test_client().get("/api/v1/tenant", headers=headers)


def apply_us(app: Any, tmp_path: Path, **replace: str) -> service.ApplyResult:
    """Apply the reference ``us`` file with some of its lines replaced (``key = value``)."""
    lines = (REFERENCE_TENANTS / "us.toml").read_text().splitlines()
    changed = [f"{key} = {replace[key]}" if (key := line.split(" = ", 1)[0]) in replace else line
               for line in lines]
    path = tmp_path / "us.toml"
    path.write_text("\n".join(changed) + "\n")
    with app.extensions["pasar.db"].session(all_tenants=True) as session:
        return service.apply_tenants(session, [path], app.extensions["pasar.plugins"])


def revision(app: Any, code: str) -> int:
    with app.extensions["pasar.db"].session(all_tenants=True) as session:
        return session.scalar(select(Tenant.revision).where(Tenant.code == code)) or 0


def test_once_cached_a_request_reads_only_the_tenants_revision(tenant_app: Any) -> None:
    assert capabilities(tenant_app, "us").status_code == 200
    with statements(tenant_app) as seen:
        answer = capabilities(tenant_app, "us")
    assert answer.json["code"] == "us"
    assert len(seen) == 1 and seen[0].startswith("SELECT tenants.id, tenants.revision"), seen


def test_a_changed_tenant_file_is_seen_by_the_next_request(tenant_app: Any, tmp_path: Path) -> None:
    assert capabilities(tenant_app, "us").json["name"] == "Pasar US"
    before = revision(tenant_app, "us")

    assert apply_us(tenant_app, tmp_path, name='"Pasar America"').updated == ["us"]

    assert revision(tenant_app, "us") == before + 1
    assert capabilities(tenant_app, "us").json["name"] == "Pasar America"


def test_reapplying_an_unchanged_file_keeps_the_revision(tenant_app: Any, tmp_path: Path) -> None:
    before = revision(tenant_app, "us")
    assert apply_us(tenant_app, tmp_path).unchanged == ["us"]
    assert revision(tenant_app, "us") == before


def test_new_host_names_route_at_once_and_old_ones_stop(tenant_app: Any, tmp_path: Path) -> None:
    assert capabilities(tenant_app, host="us.localhost").json["code"] == "us"

    apply_us(tenant_app, tmp_path, hosts='["america.localhost"]')

    assert capabilities(tenant_app, host="america.localhost").json["code"] == "us"
    assert capabilities(tenant_app, host="us.localhost").status_code == 404


def test_a_feature_switch_reaches_a_process_that_had_the_tenant_cached(
    tenant_app: Any, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    db = tenant_app.extensions["pasar.db"]
    settings = _app_settings(db.url, tmp_path_factory.mktemp("other"))  # another process, same database
    other = create_app(settings, plugins=tenant_app.extensions["pasar.plugins"])
    try:
        assert capabilities(other, "us").json["features"]["ads"] is True
        before = revision(tenant_app, "us")
        tenant = tenant_context(tenant_app, "us")
        with db.session(tenant.id, write=True) as session:
            service.switch_feature(session, tenant, "ads", False, operator_id=1,
                                   operator_email="ops@example.test", reason="paused", at=clock.now())

        assert revision(tenant_app, "us") == before + 1
        assert capabilities(other, "us").json["features"]["ads"] is False
    finally:
        other.extensions["pasar.db"].dispose()


def test_an_unknown_tenant_stays_a_404_after_others_are_cached(tenant_app: Any) -> None:
    assert capabilities(tenant_app, "us").status_code == 200
    answer = capabilities(tenant_app, "zz")
    assert answer.status_code == 404 and "zz" in answer.json["detail"]
