"""Deals tests place real checkouts: their eager tasks (webhooks, outbox relay) run against the
shared app."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _tasks_use_the_shared_app(app: Any) -> Iterator[None]:
    from celery._state import _set_task_join_will_block

    from pasar.worker import use_app

    use_app(app)
    yield
    # Threads running eager tasks at once can leave celery's process-wide "join will block"
    # flag set; put it back so later tests may wait for results.
    _set_task_join_will_block(False)
