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
                  log: Callable[[str], None] = print, profile_dir: Path | None = None) -> dict[str, Any]:
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
            results[scenario.name] = measure(scenario, world, kernel_client, twin_client, twin, counter, hooks, n)
            k, t = results[scenario.name]["kernel"], results[scenario.name]["twin"]
            log(f"  {scenario.name:32s} kernel {k.median * 1000:7.2f} ms  twin {t.median * 1000:7.2f} ms  "
                f"x{k.median / t.median:5.2f}  statements {k.statements}/{t.statements}")
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


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    response = call()
    return time.perf_counter() - started, response


def measure(scenario: Scenario, world: World, kernel_client: Any, twin_client: Any, twin: Any,
            counter: StatementCounter, hooks: HookTimer, n: int) -> dict[str, Any]:
    kernel, other = Samples(), Samples()
    warmup = 3 if scenario.writes else 10
    for i in range(-warmup, n):
        for side, client, samples in (("kernel", kernel_client, kernel), ("twin", twin_client, other)):
            if scenario.setup is not None:
                scenario.setup(world, i + 1000 * (side == "twin"))
            before = hooks.seconds
            elapsed, response = _timed(lambda: scenario.request(client, world, i))
            assert response.status_code < 400, (scenario.name, side, response.status_code, response.get_data()[:300])
            if i >= 0:
                samples.times.append(elapsed)
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
    """A pyinstrument profile of 30 kernel requests of a scenario that misses its target."""
    from pyinstrument import Profiler

    directory.mkdir(parents=True, exist_ok=True)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for i in range(30):
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
