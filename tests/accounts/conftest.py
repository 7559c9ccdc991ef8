"""Fixtures only the accounts tests need: a clock the test moves, and fresh client addresses
(the login rate limiter counts failures per IP address across the whole session's app)."""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pasar import clock

_addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))


@pytest.fixture()
def move_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[timedelta], datetime]]:
    """Freeze ``pasar.clock.now`` at the real time; ``move_clock(delta)`` moves it on."""
    current = [datetime.now(UTC)]
    monkeypatch.setattr(clock, "now", lambda: current[0])

    def move(delta: timedelta) -> datetime:
        current[0] += delta
        return current[0]

    yield move


@pytest.fixture()
def fresh_ip() -> Callable[[], dict[str, str]]:
    """``environ_base`` for a client address no other test has used."""
    return lambda: {"REMOTE_ADDR": next(_addresses)}
