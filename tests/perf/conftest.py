"""The statement counter the performance guards use (the benchmarks in bench/ count the same
way): SQLAlchemy's ``before_cursor_execute`` on the app's engine, transaction control apart."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event

TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


@dataclass
class Counted:
    """The statements one block sent (``count`` leaves out transaction control)."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def __str__(self) -> str:
        return "\n".join(" ".join(s.split())[:160] for s in self.statements)


@pytest.fixture()
def count_statements(app: Any) -> Iterator[Callable[[], Any]]:
    """``with count_statements() as counted: client.get(...)`` then ``counted.count``."""
    engine = app.extensions["pasar.db"].engine
    current: list[Counted] = []

    def seen(_conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
        if current and not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            current[-1].statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)

    @contextmanager
    def counting() -> Iterator[Counted]:
        counted = Counted()
        current.append(counted)
        try:
            yield counted
        finally:
            current.remove(counted)

    yield counting
    event.remove(engine, "before_cursor_execute", seen)
