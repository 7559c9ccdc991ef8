"""Run the benchmarks and write the report.

    .venv/bin/python bench/run.py                      # make bench: small, SQLite and PostgreSQL
    .venv/bin/python bench/run.py --size 100k          # make bench-100k
    .venv/bin/python bench/run.py --size 1m --reuse    # keep/reuse the generated databases

For each engine: make a database of its own (SQLite under var/bench/, PostgreSQL
``pasar_bench_<size>`` on 127.0.0.1:5432, dropped afterwards unless ``--keep``), migrate it,
generate the data, run every scenario in process (kernel and twin interleaved), then over
loopback (gunicorn, 2 workers, ``wrk``) the catalog listing, the product page and hello-world,
and the live fan-out. The report goes to stdout and ``bench/results/<date>-<size>.md`` (with
the raw numbers as ``.json`` beside it, which later runs read for the scaling curve).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "platform"))

PG_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
VAR = ROOT / "var" / "bench"
RESULTS = BENCH / "results"
REQUESTS = {"small": 150, "100k": 120, "1m": 90}
WRK_SECONDS = {"small": 5, "100k": 8, "1m": 8}


def log(message: str) -> None:
    print(message, flush=True)


# --- databases ----------------------------------------------------------------------------------
def sqlite_url(size: str) -> str:
    return f"sqlite:///{VAR / f'{size}.db'}"


def pg_url(size: str) -> str:
    return PG_BASE.rsplit("/", 1)[0] + f"/pasar_bench_{size}"


def _pg_admin(sql: str) -> Any:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            result = conn.execute(text(sql))
            return result.fetchall() if result.returns_rows else None
    finally:
        engine.dispose()


def exists(engine: str, size: str) -> bool:
    if engine == "sqlite":
        return (VAR / f"{size}.db").exists()
    return bool(_pg_admin(f"SELECT 1 FROM pg_database WHERE datname = 'pasar_bench_{size}'"))


def create(engine: str, size: str) -> str:
    if engine == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            (VAR / f"{size}.db{suffix}").unlink(missing_ok=True)
        return sqlite_url(size)
    _pg_admin(f'DROP DATABASE IF EXISTS "pasar_bench_{size}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "pasar_bench_{size}"')
    return pg_url(size)


def drop(engine: str, size: str) -> None:
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (VAR / f"{size}.db{suffix}").unlink(missing_ok=True)
    else:
        _pg_admin(f'DROP DATABASE IF EXISTS "pasar_bench_{size}" WITH (FORCE)')


def database(engine: str, size: str, reuse: bool, seed: int) -> tuple[str, float]:
    """A migrated, generated database; answers its URL and the generation time (0: reused)."""
    from generate import generate
    from pasar.migrate import upgrade

    url = sqlite_url(size) if engine == "sqlite" else pg_url(size)
    if reuse and exists(engine, size):
        upgrade(url)  # migrations added since it was generated (e.g. an index)
        _analyze(url)
        log(f"[{engine}] reusing {size} database")
        return url, 0.0
    url = create(engine, size)
    upgrade(url)
    started = time.perf_counter()
    generate(url, size, seed, progress=sys.stderr.isatty(), log=lambda m: log(f"[{engine}] {m}"))
    return url, time.perf_counter() - started


def _analyze(url: str) -> None:
    """Fresh planner statistics (an index added by a later migration has none)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
    except OperationalError as exc:  # SQLite busy: a generation still writing; plan without
        log(f"ANALYZE skipped: {exc.orig}")
    finally:
        engine.dispose()


# --- one engine ---------------------------------------------------------------------------------
def run_engine(engine: str, size: str, args: argparse.Namespace) -> dict[str, Any]:
    from inprocess import run_scenarios
    from loopback import load
    from scenarios import SCENARIOS

    url, generation = database(engine, size, args.reuse, args.seed)
    out: dict[str, Any] = {"engine": engine, "generation_seconds": generation}
    log(f"[{engine}] in process, {REQUESTS[size] if not args.requests else args.requests} requests per scenario")
    only = set(args.only) if args.only else None
    results = run_scenarios(url, VAR, args.requests or REQUESTS[size], only=only, log=log, budget=args.budget,
                            profile_dir=RESULTS / "profiles" / f"{args.stamp}-{size}-{engine}" if args.profile else None)
    world = results.pop("_world")
    out["scenarios"] = {name: {"kernel": asdict(r["kernel"]), "twin": asdict(r["twin"]), "plumbing": r["plumbing"],
                               "profile": r.get("profile")} for name, r in results.items()}
    import shutil

    if not args.no_loopback and shutil.which("wrk") is None:
        log(f"[{engine}] wrk is not installed (apt-get install -y wrk): loopback runs skipped")
    elif not args.no_loopback:
        log(f"[{engine}] over loopback (gunicorn -w 2, wrk {WRK_SECONDS[size]} s)")
        loop: dict[str, Any] = {"hello world": asdict(load("hello", url, "/hello", {}, WRK_SECONDS[size]))}
        for scenario in SCENARIOS:
            if scenario.loopback_path and (not only or scenario.name in only):
                path = scenario.loopback_path.format(category=world["category"], product=world["product"])
                headers = {"X-Pasar-Tenant": "de", **(scenario.loopback_headers or {})}
                for which in ("kernel", "twin"):
                    if which == "twin" and scenario.loopback_headers:
                        continue  # the twin has no cache: its uncached row is the row above
                    loop[f"{scenario.name} ({which})"] = asdict(load(which, url, path, headers, WRK_SECONDS[size]))
        for name, result in loop.items():
            log(f"  {name:40s} {result['requests_per_second']:8.0f} req/s  p50 {result['p50_ms']:.1f} ms  "
                f"p99 {result['p99_ms']:.1f} ms  worker peak RSS {result['worker_peak_rss_mib']:.0f} MiB")
        out["loopback"] = loop
    if args.fanout and engine == "sqlite" and not redis_up():
        log("live fan-out skipped: no Redis at 127.0.0.1:6379")
    elif args.fanout and engine == "sqlite":
        out["fanout"] = run_fanout(url, args.fanout)
    if not args.keep and size == "small":
        drop(engine, size)
    elif not args.keep and engine == "postgresql":
        drop(engine, size)
    return out


def run_fanout(url: str, viewers: list[int]) -> list[dict[str, Any]]:
    from live_fanout import fanout

    found = []
    for count in viewers:
        models = ("sync", "gthread", "gevent") if count <= 100 else ("gthread", "gevent")
        for model in models:
            result = fanout(url, model, count)
            row = asdict(result)
            row.pop("latencies")
            found.append(row)
            log(f"  live fan-out {model:8s} {count:5d} viewers: held {result.connected:5d} "
                f"(in {result.connect_seconds:.0f} s), delivered {result.delivered}/{result.connected * result.events}, "
                f"p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, {result.rss_per_viewer_kib:.0f} KiB/viewer")
    return found


def unavailable(engine: str) -> str | None:
    """Why an engine cannot run here (None: it can)."""
    if engine == "sqlite":
        return None
    try:
        _pg_admin("SELECT 1")
    except Exception as exc:  # no server: say so and go on with SQLite
        return f"PostgreSQL at 127.0.0.1:5432 did not answer ({type(exc).__name__})"
    return None


def redis_up() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Pasar benchmarks")
    parser.add_argument("--size", default="small", choices=("small", "100k", "1m"))
    parser.add_argument("--engines", nargs="+", default=["sqlite", "postgresql"], choices=("sqlite", "postgresql"))
    parser.add_argument("--requests", type=int, default=0, help="requests per read scenario (writes: a third)")
    parser.add_argument("--only", nargs="*", help="scenario names to run")
    parser.add_argument("--budget", type=float, default=40.0,
                        help="seconds of sampling per scenario (at least 5 samples are always taken)")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing generated database")
    parser.add_argument("--keep", action="store_true", help="keep the generated databases")
    parser.add_argument("--no-loopback", action="store_true")
    parser.add_argument("--fanout", type=int, nargs="*", default=[100], help="live viewers per fan-out run")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profiles of scenarios that miss a target")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--note", default="", help="a line for the report (what else ran on the machine)")
    parser.add_argument("--results", type=Path, default=None,
                        help="where the report goes (default bench/results; a trial run elsewhere keeps it)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where SQLite databases are made (default var/bench; one per concurrent run)")
    args = parser.parse_args(argv)
    global RESULTS, VAR
    RESULTS = (args.results or RESULTS).resolve()
    VAR = (args.workdir or VAR).resolve()
    RESULTS.mkdir(parents=True, exist_ok=True)
    args.stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    started = time.perf_counter()
    run: dict[str, Any] = {"size": args.size, "date": datetime.now(UTC).isoformat(timespec="seconds"),
                           "note": args.note, "engines": {}}
    for engine in args.engines:
        missing = unavailable(engine)
        if missing:
            log(f"== {engine}: skipped, {missing}")
            run.setdefault("skipped", {})[engine] = missing
            continue
        log(f"== {engine}, {args.size} ==")
        run["engines"][engine] = run_engine(engine, args.size, args)
    run["seconds"] = time.perf_counter() - started
    earlier = RESULTS / f"{args.stamp}-{args.size}.json"
    if earlier.exists():  # engines run separately the same day end up in one report
        saved = json.loads(earlier.read_text())
        kept = [engine for engine in saved.get("engines", {}) if engine not in run["engines"]]
        for engine in kept:
            run["engines"][engine] = saved["engines"][engine]
        # the earlier run's note speaks of its engines: keep it only while one of them is kept
        notes = [n for n in (saved.get("note") if kept else None, run.get("note")) if n]
        run["note"] = " ".join(dict.fromkeys(notes))
    from report import render, write

    text = render(run, RESULTS)
    path = write(run, text, RESULTS, args.stamp)
    print(text)
    log(f"report: {path} ({run['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
