"""The SQL an engine sent during a block, for tests that pin how many statements a request costs
(the benchmarks in bench/ count the same way: transaction control apart)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


@contextmanager
def statements_sent(engine: Any, *, flat: bool = False) -> Iterator[list[str]]:
    """``with statements_sent(engine) as seen:`` — every statement sent meanwhile, in order,
    BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE left out; ``flat`` folds each onto one line (for
    matching ``"FROM tenants"`` whatever the compiler's line breaks)."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            seen.append(" ".join(statement.split()) if flat else statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)
