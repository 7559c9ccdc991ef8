"""A task goes through a real broker to a real worker process and comes back.

Embedded tier: kombu's SQLAlchemy transport on a SQLite file. Server tier
(``PASAR_TEST_BROKER_URL``): Redis. The worker is the ``pasar worker`` command a user runs.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from celery import Celery

from pasar.migrate import upgrade
from pasar.testing.fixtures import REFERENCE_TENANTS


def _broker(tmp: Path) -> tuple[str, str]:
    url = os.environ.get("PASAR_TEST_BROKER_URL")
    if url:
        return url, url
    return f"sqla+sqlite:///{tmp / 'broker.db'}", f"db+sqlite:///{tmp / 'results.db'}"


@pytest.fixture()
def worker(tmp_path: Path, make_database_url: Callable[[], str]) -> Iterator[dict[str, str]]:
    database_url = make_database_url()
    upgrade(database_url)
    broker, backend = _broker(tmp_path)
    env = {
        **os.environ,
        "PASAR_DATABASE_URL": database_url,
        "PASAR_BROKER_URL": broker,
        "PASAR_RESULT_BACKEND": backend,
        "PASAR_VAR_DIR": str(tmp_path / "var"),
    }
    pasar = [sys.executable, "-m", "pasar.cli"]
    subprocess.run([*pasar, "tenants", "apply", str(REFERENCE_TENANTS)], env=env, check=True, capture_output=True)
    process = subprocess.Popen([*pasar, "worker", "--concurrency", "1", "--loglevel", "WARNING"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield {"broker": broker, "backend": backend, "database": database_url}
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode(errors="replace")
        assert "Traceback" not in output, output


def test_a_task_round_trips_through_a_real_worker(worker: dict[str, str]) -> None:
    client = Celery("test-client", broker=worker["broker"], backend=worker["backend"])
    try:
        answer: dict[str, Any] = client.send_task("pasar.ping").get(timeout=90)
    finally:
        client.close()
    expected = sorted(p.stem for p in REFERENCE_TENANTS.glob("*.toml"))
    assert answer["tenants"] == expected
    assert answer["database"] == ("postgresql" if worker["database"].startswith("postgresql") else "sqlite")
    assert {"sea", "ukeu", "us"} <= set(answer["plugins"])
