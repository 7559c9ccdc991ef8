"""What a benchmark measures about one request: wall time, SQL statements, time inside plugin
hooks, and peak Python memory.

* Statements are counted with SQLAlchemy's ``before_cursor_execute`` on the app's engine — the
  same counter the test suite's guards use (``tests/perf``). Transaction control (``BEGIN``,
  ``SAVEPOINT``...) is counted apart: it is not a query a code change could remove.
* Hook time: every method of the kernel's typed hook façade (``pasar.plugins.TenantHooks``:
  each is one pluggy hook call, or ``_collect``'s direct calls of ``pasar_register_*``
  implementations) is wrapped with a timer. Nested façade calls are counted once (outermost).
* Peak memory: ``tracemalloc``'s peak over a few separate requests (it slows Python down, so it
  never runs while timing).
"""
from __future__ import annotations

import functools
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


class StatementCounter:
    """Counts SQL statements sent through an engine while ``active``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[str] = []
        self.control = 0
        self.active = False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
        if not self.active:
            return
        if statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.control += 1
        else:
            self.statements.append(statement)

    @contextmanager
    def counting(self) -> Iterator[StatementCounter]:
        self.statements, self.control, self.active = [], 0, True
        try:
            yield self
        finally:
            self.active = False

    @property
    def count(self) -> int:
        return len(self.statements)

    def remove(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


class HookTimer:
    """Accumulated seconds spent in the kernel's plugin hook calls (see module docstring)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._depth = 0
        self._saved: dict[str, Any] = {}

    def install(self) -> None:
        from pasar.plugins import TenantHooks

        for name, member in list(vars(TenantHooks).items()):
            if name.startswith("_") or not callable(member):
                continue
            self._saved[name] = member
            setattr(TenantHooks, name, self._timed(member))
        # ``regions`` is a cached_property over the region hook: wrap its function too
        regions = vars(TenantHooks)["regions"]
        self._saved["regions.func"] = regions.func
        regions.func = self._timed(regions.func)

    def uninstall(self) -> None:
        from pasar.plugins import TenantHooks

        for name, member in self._saved.items():
            if name == "regions.func":
                vars(TenantHooks)["regions"].func = member
            else:
                setattr(TenantHooks, name, member)
        self._saved.clear()

    def _timed(self, function: Callable[..., Any]) -> Callable[..., Any]:
        timer = self

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if timer._depth:
                return function(*args, **kwargs)
            timer._depth += 1
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timer.seconds += time.perf_counter() - started
                timer.calls += 1
                timer._depth -= 1

        return timed

    def reset(self) -> None:
        self.seconds, self.calls = 0.0, 0


@dataclass
class Samples:
    """Timings (seconds) of one side of a scenario."""

    times: list[float] = field(default_factory=list)
    cpu_times: list[float] = field(default_factory=list)  # this thread's CPU time per request
    statements: int = 0
    control: int = 0
    hook_seconds: float = 0.0
    hook_calls: int = 0
    peak_kib: float = 0.0
    status: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def p95(self) -> float:
        if not self.times:
            return float("nan")
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]

    @property
    def hook_share(self) -> float:
        total = sum(self.times)
        return self.hook_seconds / total if total else 0.0


def peak_memory(call: Callable[[], Any], repeats: int = 3) -> float:
    """The largest tracemalloc peak (KiB) of ``call`` over ``repeats`` runs."""
    peaks = []
    for _ in range(repeats):
        tracemalloc.start()
        try:
            call()
            peaks.append(tracemalloc.get_traced_memory()[1] / 1024)
        finally:
            tracemalloc.stop()
    return max(peaks)
