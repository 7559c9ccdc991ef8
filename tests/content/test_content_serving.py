"""Serving the live event streams: ``pasar serve-events`` runs gunicorn with gevent workers."""
from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from pasar.cli import main
from pasar.content import serving

# The CLI builds apps of its own, which reconfigure Celery for the whole process.
pytestmark = pytest.mark.usefixtures("celery_restored")


class FakeLimits:
    """The open-file limit as ``resource`` reports it, without touching the test process's."""

    def __init__(self, soft: int, hard: int) -> None:
        self.soft, self.hard = soft, hard

    def getrlimit(self, _which: int) -> tuple[int, int]:
        return self.soft, self.hard

    def setrlimit(self, _which: int, limits: tuple[int, int]) -> None:
        self.soft, self.hard = limits


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> FakeLimits:
    fake = FakeLimits(1024, 20_000)
    monkeypatch.setattr(serving.resource, "getrlimit", fake.getrlimit)
    monkeypatch.setattr(serving.resource, "setrlimit", fake.setrlimit)
    return fake


@pytest.fixture
def exec_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr("pasar.cli.os.execv", lambda path, argv: calls.append([path, *argv]))
    return calls


def test_serve_events_runs_gunicorn_with_gevent_workers_and_room_for_its_viewers(limits, exec_calls, monkeypatch):
    pytest.importorskip("gevent")
    pytest.importorskip("gunicorn")
    monkeypatch.delenv("PASAR_PUBSUB_URL", raising=False)
    ran = CliRunner().invoke(main, ["serve-events", "--bind", "0.0.0.0:8001", "--connections", "3000"])
    assert ran.exit_code == 0, ran.output
    ((path, *argv),) = exec_calls
    command = " ".join(argv)
    assert path == argv[0] and "-m gunicorn" in command
    assert "--workers 1 --worker-class gevent --worker-connections 3000" in command
    assert f"--keep-alive {serving.KEEP_ALIVE_SECONDS}" in command and "--bind 0.0.0.0:8001" in command
    assert argv[-1] == "pasar.app:create_app()"
    assert limits.soft == 3000 + serving.SPARE_FILES  # a viewer is a socket


def test_more_than_one_events_worker_needs_redis_for_the_events(limits, exec_calls, monkeypatch):
    monkeypatch.delenv("PASAR_PUBSUB_URL", raising=False)
    ran = CliRunner().invoke(main, ["serve-events", "--workers", "2"])
    assert ran.exit_code != 0 and "PASAR_PUBSUB_URL" in ran.output and exec_calls == []


def test_the_open_file_limit_is_raised_only_as_far_as_the_hard_limit(limits):
    limits.hard = 1500
    assert serving.raise_open_files(5000) == 1500 and limits.soft == 1500
    assert serving.raise_open_files(100) == 1500  # never lowered
