"""Scenarios in process: Flask test clients of the kernel and of its twin, interleaved request
by request so that both see the same machine noise, on one generated database."""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from measure import HookTimer, Samples, StatementCounter, peak_memory
from scenarios import SCENARIOS, Scenario, plumbing
from twin import create_twin
from world import World, prepare

BENCH_SECRET = "bench-webhook-secret"


def kernel_settings(url: str, var: Path) -> dict[str, Any]:
    """The kernel as a production process runs it, minus a real broker: tasks are queued in
    memory (never run inline, so a checkout does not also time its webhook's delivery)."""
    return {
        "database_url": url, "broker_url": "memory://", "result_backend": "cache+memory://",
        "secret_key": "bench-secret", "webhook_secret": BENCH_SECRET, "task_always_eager": False,
        "extra": {"uploads_dir": str(var / "uploads"), "media_dir": str(var / "media")},
        "pubsub_url": os.environ.get("BENCH_PUBSUB_URL", ""),  # the live fan-out run sets Redis
    }


def kernel_app(url: str, var: Path) -> Any:
    from pasar.app import create_app
    from pasar.plugins import PluginHost
    from pasar.worker import use_app

    app = create_app(kernel_settings(url, var), plugins=PluginHost.load())
    use_app(app)
    return app


def run_scenarios(url: str, var: Path, requests: int, *, only: set[str] | None = None,
                  log: Callable[[str], None] = print, profile_dir: Path | None = None,
                  budget: float = 60.0) -> dict[str, Any]:
    """Every scenario's samples for both sides, plus the world it ran in."""
    app = kernel_app(url, var)
    world = prepare(app)
    twin = create_twin(url, BENCH_SECRET)
    kernel_client, twin_client = app.test_client(), twin.test_client()
    counter = StatementCounter(app.extensions["pasar.db"].engine)
    hooks = HookTimer()
    hooks.install()
    results: dict[str, Any] = {}
    try:
        for scenario in SCENARIOS:
            if only and scenario.name not in only:
                continue
            n = max(10, requests // 3) if scenario.writes else requests
            results[scenario.name] = measure(scenario, world, kernel_client, twin_client, twin, counter, hooks, n, budget)
            k, t = results[scenario.name]["kernel"], results[scenario.name]["twin"]
            log(f"  {scenario.name:32s} kernel {k.median * 1000:7.2f} ms  twin {t.median * 1000:7.2f} ms  "
                f"x{k.median / t.median:5.2f}  statements {k.statements}/{t.statements}  ({len(k.times)} samples)")
            if profile_dir is not None and _missed(scenario, results[scenario.name]):
                results[scenario.name]["profile"] = profile(scenario, world, kernel_client, profile_dir)
    finally:
        hooks.uninstall()
        counter.remove()
        app.extensions["pasar.db"].dispose()
    results["_world"] = {"category": world.category_id, "product": world.detail_product_id}
    return results


def _missed(scenario: Scenario, result: dict[str, Any]) -> bool:
    k, t = result["kernel"], result["twin"]
    if scenario.max_ratio is not None and k.median / t.median > scenario.max_ratio:
        return True
    return scenario.max_statements is not None and k.statements > scenario.max_statements


def _timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time and this thread's CPU time of ``call``. On a machine shared with other work,
    wall time also counts the waits for a CPU, which hit a long request more often than a
    short one; CPU time does not (with SQLite the database work is in this thread too)."""
    started, cpu = time.perf_counter(), time.thread_time()
    response = call()
    return time.perf_counter() - started, time.thread_time() - cpu, response


#: A scenario stops sampling after its time budget, once it has at least this many samples.
MIN_SAMPLES = 5


def measure(scenario: Scenario, world: World, kernel_client: Any, twin_client: Any, twin: Any,
            counter: StatementCounter, hooks: HookTimer, n: int, budget: float = 60.0) -> dict[str, Any]:
    kernel, other = Samples(), Samples()
    warmup = 3
    deadline = time.monotonic() + budget
    for i in range(-warmup, n):
        if i >= MIN_SAMPLES and time.monotonic() > deadline:
            break  # a slow scenario keeps the samples it has: the run stays within its time
        for side, client, samples in (("kernel", kernel_client, kernel), ("twin", twin_client, other)):
            if scenario.setup is not None:
                scenario.setup(world, i + 1000 * (side == "twin"))
            before = hooks.seconds
            elapsed, cpu, response = _timed(lambda: scenario.request(client, world, i))
            assert response.status_code < 400, (scenario.name, side, response.status_code, response.get_data()[:300])
            if i >= 0:
                samples.times.append(elapsed)
                samples.cpu_times.append(cpu)
                samples.status = response.status_code
                if side == "kernel":
                    kernel.hook_seconds += hooks.seconds - before
    # statements of one more request each (the counter runs only now)
    if scenario.setup is not None:
        scenario.setup(world, n)
    with counter.counting():
        scenario.request(kernel_client, world, n)
    kernel.statements = sum(1 for s in counter.statements if not plumbing(s))
    kernel.control = counter.control
    plumbing_count = counter.count - kernel.statements
    if scenario.setup is not None:
        scenario.setup(world, n + 1000)
    db = twin.extensions["twin.db"]
    before = db.count
    scenario.request(twin_client, world, n)
    other.statements = db.count - before - _twin_plumbing(scenario)
    for side, client, samples in (("kernel", kernel_client, kernel), ("twin", twin_client, other)):
        def once(client: Any = client, side: str = side) -> None:
            if scenario.setup is not None:
                scenario.setup(world, n + 2 + 1000 * (side == "twin"))
            scenario.request(client, world, n + 2)

        samples.peak_kib = peak_memory(once)
    return {"kernel": kernel, "twin": other, "plumbing": plumbing_count}


def _twin_plumbing(scenario: Scenario) -> int:
    """The twin's tenant lookup, plus the token and user for signed-in requests."""
    signed_in = scenario.name.startswith(("For You", "add to cart", "checkout", "seller's"))
    return 1 + (2 if signed_in else 0)


def profile(scenario: Scenario, world: World, client: Any, directory: Path) -> str:
    """A pyinstrument profile of up to 30 kernel requests (20 s) of a scenario that misses its target."""
    from pyinstrument import Profiler

    directory.mkdir(parents=True, exist_ok=True)
    profiler = Profiler(interval=0.0005)
    deadline = time.monotonic() + 20
    profiler.start()
    for i in range(30):
        if i >= 3 and time.monotonic() > deadline:
            break
        if scenario.setup is not None:
            profiler.stop()
            scenario.setup(world, 5000 + i)
            profiler.start()
        scenario.request(client, world, 5000 + i)
    profiler.stop()
    name = "".join(ch if ch.isalnum() else "-" for ch in scenario.name).strip("-").replace("--", "-")
    path = directory / f"{name}.txt"
    path.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    return str(path)
