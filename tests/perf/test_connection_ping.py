"""A pooled connection is pinged before use only after sitting idle (``pasar.db``): a busy
worker pays no round trip per request, and a connection that died while idle is replaced
before a request sees it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from pasar import db as pasar_db


def counting_pings(engine: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_conn: Any) -> bool:
        pings.append(1)
        return bool(ping(dbapi_conn))

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return pings


def use(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT 1")).scalar_one())


def test_a_connection_back_in_the_pool_a_moment_ago_is_not_pinged_and_an_idle_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'ping.db'}")
    pasar_db._ping_idle_connections(engine)
    pings = counting_pings(engine, monkeypatch)
    try:
        use(engine)
        use(engine)
        assert pings == []
        monkeypatch.setattr(pasar_db, "PING_AFTER_IDLE", 0.0)  # every connection counts as idle
        use(engine)
        assert pings == [1]
    finally:
        engine.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(
    db: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    if db.is_sqlite:
        pytest.skip("a server connection to drop: PostgreSQL tier")
    engine = pasar_db.make_engine(db.url)
    try:
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        monkeypatch.setattr(pasar_db, "PING_AFTER_IDLE", 0.0)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
    finally:
        engine.dispose()
