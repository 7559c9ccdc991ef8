"""``pasar db upgrade`` leaves SQLite with planner statistics: without them SQLite took the
single-column ``tenant_id`` index over the composite ones at 1M products (FINDINGS.md §4)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from pasar.db import Database
from pasar.migrate import upgrade
from pasar.plugins import PluginHost
from pasar.tenancy.service import apply_tenants
from pasar.testing.fixtures import REFERENCE_TENANTS


def stat_rows(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT tbl, count(*) FROM sqlite_stat1 GROUP BY tbl")).all()
    finally:
        engine.dispose()
    return {table: count for table, count in rows}


def test_upgrading_a_sqlite_database_analyzes_what_it_holds(tmp_path: Path, plugin_host: PluginHost) -> None:
    url = f"sqlite:///{tmp_path / 'pasar.db'}"
    upgrade(url)
    assert "tenants" not in stat_rows(url)  # ANALYZE ran (the table exists); nothing to describe yet

    db = Database(url)
    try:
        with db.session(all_tenants=True) as session:
            apply_tenants(session, [REFERENCE_TENANTS], plugin_host)
    finally:
        db.dispose()
    upgrade(url)  # nothing left to migrate: statistics are refreshed all the same

    assert stat_rows(url).get("tenants", 0) >= 1
