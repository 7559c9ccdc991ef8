"""Creator tests run their eager tasks (webhook delivery, outbox relay) against the shared app."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _tasks_use_the_shared_app(app: Any) -> Iterator[None]:
    from pasar.worker import use_app

    use_app(app)
    yield
