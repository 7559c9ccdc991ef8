"""Live fan-out: N Server-Sent-Events viewers of one live room (``/api/v1/live/<id>/events``)
on one machine. Measures event delivery latency (publish → frame read by the viewer), the
share of events delivered, and the web workers' memory per connected viewer.

The room's events go through Redis pub/sub (``PASAR_PUBSUB_URL``), as they must with more than
one web worker: the benchmark publishes with the kernel's own ``RedisBroker`` and each event
carries its publication time. Viewers are asyncio connections reading raw HTTP.

Serving models compared: gunicorn ``sync`` (one connection per worker: a viewer holds a worker
for as long as it watches), ``gthread`` (one thread per viewer) and ``gevent`` (one greenlet
per viewer; what ``pasar serve-events`` runs). A viewer is a socket at both ends: the open-file
limit is raised for this process and the gunicorn it starts.
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from loopback import gunicorn

#: A worker holds one Redis pub/sub connection whatever its number of viewers (the broker fans
#: events out to their queues), so the client's default pool is enough.
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


@dataclass
class FanoutResult:
    model: str
    viewers: int
    connected: int
    events: int
    delivered: int
    p50_ms: float
    p99_ms: float
    rss_per_viewer_kib: float
    connect_seconds: float = 0.0
    note: str = ""
    latencies: list[float] = field(default_factory=list, repr=False)


def make_room(url: str) -> tuple[int, str]:
    """A running live session of the measured tenant; answers its id and pub/sub room."""
    from sqlalchemy import select

    from pasar.content.live import room_name
    from pasar.content.models import LiveSession
    from pasar.db import Database
    from pasar.plugins import PluginHost
    from pasar.sellers.models import Seller
    from pasar.tenancy.service import context_for, get_tenant
    from world import TENANT

    db = Database(url)
    with db.session(all_tenants=True) as session:
        tenant = context_for(get_tenant(session, TENANT), PluginHost.load())
    now = datetime.now(UTC)
    with db.session(tenant.id, write=True) as session:
        seller_id, owner = session.execute(select(Seller.id, Seller.owner_user_id).order_by(Seller.id).limit(1)).one()
        live = LiveSession(host_kind="seller", seller_id=seller_id, hosted_by=owner, title="Fan-out benchmark",
                           status="live", scheduled_at=now - timedelta(minutes=1), started_at=now)
        session.add(live)
        session.flush()
        live_id = live.id
    db.dispose()
    return live_id, room_name(tenant, live_id)


def rss_kib(master: int) -> int:
    """Resident memory of the master's workers, summed (KiB)."""
    from pathlib import Path
    import re

    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", status, re.M):
            found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            total += int(found.group(1)) if found else 0
    return total


async def _viewer(port: int, path: str, connected: asyncio.Event, ready: list[int], latencies: list[float],
                  done: asyncio.Event, expected_ids: set[str]) -> None:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
    except (OSError, asyncio.TimeoutError):
        return
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pasar-Tenant: de\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    try:
        while not done.is_set():
            # No timeout per line: a wait_for per line per viewer cost the client more CPU than
            # the server spends per frame, and showed up as latency at 1,000 viewers. A viewer
            # that hears nothing is cancelled with the others at the end of the run.
            line = await reader.readline()
            if not line:
                break
            text = line.decode(errors="replace").strip()
            if text.startswith("retry:"):
                ready.append(1)
                connected.set()
            elif text.startswith("data:") and '"bench"' in text:
                data = json.loads(text[5:])
                if data.get("bench") in expected_ids:
                    latencies.append((time.time() - data["sent"]) * 1000)
    except (asyncio.TimeoutError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def _run(port: int, live_id: int, room: str, viewers: int, events: int, master: int) -> tuple[int, list[float], int, float]:
    from pasar.content.pubsub import RedisBroker

    broker = RedisBroker(REDIS)
    path = f"/api/v1/live/{live_id}/events?timeout=120"
    connected, done = asyncio.Event(), asyncio.Event()
    ready: list[int] = []
    latencies: list[float] = []
    run_id = uuid.uuid4().hex
    expected = {f"{run_id}-{k}" for k in range(events)}
    before = rss_kib(master)
    tasks = [asyncio.create_task(_viewer(port, path, connected, ready, latencies, done, expected)) for _ in range(viewers)]
    started = time.monotonic()
    deadline, last, stalled = started + 150, -1, started
    while len(ready) < viewers and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        if len(ready) != last:
            last, stalled = len(ready), time.monotonic()
        elif time.monotonic() - stalled > 20:
            break  # no viewer got in for 20 s: the server holds no more
    connect_seconds = time.monotonic() - started
    await asyncio.sleep(1.0)
    held = len(ready)
    grown = rss_kib(master) - before
    for k in range(events):
        await asyncio.to_thread(broker.publish, room, "comment", {"bench": f"{run_id}-{k}", "sent": time.time()})
        await asyncio.sleep(0.25)
    await asyncio.sleep(2.0)
    done.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    broker.close()
    return held, latencies, grown, connect_seconds


def fanout(url: str, model: str, viewers: int, events: int = 10) -> FanoutResult:
    """``viewers`` SSE clients of one room under gunicorn ``model``; ``events`` published."""
    from pasar.content.serving import SPARE_FILES, gevent_options, raise_open_files

    if raise_open_files(viewers + SPARE_FILES) < viewers + SPARE_FILES:
        print(f"live fan-out: the open-file limit is below {viewers + SPARE_FILES}: viewers will be refused")
    live_id, room = make_room(url)
    settings = {"sync": dict(workers=2, worker_class="sync", args=("--timeout", "300")),
                "gthread": dict(workers=2, worker_class="gthread", args=("--threads", str(viewers // 2 + 50),
                                                                        "--timeout", "300")),
                # as ``pasar serve-events`` runs it (a longer keep-alive: see pasar.content.serving)
                "gevent": dict(workers=1, worker_class="gevent", args=(*gevent_options(viewers + 100),
                                                                      "--timeout", "300")),
                # one worker per CPU: each holds one Redis subscription and its share of the viewers
                "gevent-2": dict(workers=2, worker_class="gevent", args=(*gevent_options(viewers + 100),
                                                                        "--timeout", "300"))}[model]
    with gunicorn("kernel", url, extra={"BENCH_PUBSUB_URL": REDIS}, **settings) as (port, process):  # type: ignore[arg-type]
        held, latencies, grown, connect_seconds = asyncio.run(_run(port, live_id, room, viewers, events, process.pid))
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1)))] if ordered else float("nan")

    return FanoutResult(model, viewers, held, events, len(latencies), statistics.median(ordered) if ordered else float("nan"),
                        pct(0.99), grown / held if held else float("nan"), connect_seconds, latencies=latencies)
