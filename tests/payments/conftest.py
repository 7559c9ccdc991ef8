"""Payment tests run their eager tasks (webhook delivery, outbox relay) against the shared app."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from pasar.testing.sql import statements_sent


@pytest.fixture(autouse=True)
def _tasks_use_the_shared_app(app: Any) -> Iterator[None]:
    from celery._state import _set_task_join_will_block

    from pasar.worker import use_app

    use_app(app)
    yield
    # Eager tasks run inside celery's ``denied_join_result()``, which saves and restores a
    # process-wide flag; threads running eager tasks at once can leave it set, and every later
    # ``result.get()`` in the session would then refuse to run. Put it back.
    _set_task_join_will_block(False)


@pytest.fixture()
def statements(app: Any) -> Callable[[], AbstractContextManager[list[str]]]:
    """``with statements() as seen:`` — the SQL the app sent meanwhile, transaction control apart."""
    engine = app.extensions["pasar.db"].engine

    return lambda: statements_sent(engine)
