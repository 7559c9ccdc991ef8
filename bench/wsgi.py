"""gunicorn entry points for the loopback runs: ``BENCH_APP`` picks kernel, twin or hello.

    BENCH_APP=kernel BENCH_DB_URL=sqlite:///var/bench/small.db gunicorn -w 2 --pythonpath bench wsgi:app
"""
from __future__ import annotations

import os
from pathlib import Path


def _make() -> object:
    which = os.environ.get("BENCH_APP", "hello")
    url = os.environ.get("BENCH_DB_URL", "")
    if which == "kernel":
        from inprocess import kernel_app

        return kernel_app(url, Path(os.environ.get("BENCH_VAR", "var/bench")))
    if which == "twin":
        from inprocess import BENCH_SECRET
        from twin import create_twin

        return create_twin(url, BENCH_SECRET)
    from twin import hello_app

    return hello_app()


app = _make()
