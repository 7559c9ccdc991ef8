"""The benchmark report: markdown tables from one run's numbers (and earlier runs' JSON for the
scaling curve). Every verdict is against a target of the issue; see bench/README.md."""
from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

from scenarios import SCENARIOS

SIZE_PRODUCTS = {"small": "10k", "100k": "100k", "1m": "1M"}
SCALING_SCENARIO = "catalog listing, 20"
HOOK_SHARE_TARGET = 0.05
LOOPBACK_TARGET = 0.5
SCALING_TARGET = 1.5


def _relative(path: str) -> str:
    """A profile's path from the repository root (the reports are committed)."""
    root = str(Path(__file__).resolve().parents[1]) + "/"
    return path[len(root):] if path.startswith(root) else path


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def _yes(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def scenario_rows(engine: dict[str, Any]) -> tuple[list[str], list[tuple[str, bool]]]:
    found = engine["scenarios"]
    verdicts: list[tuple[str, bool]] = []
    lines = [
        "| scenario | kernel median ms | p95 | twin median ms | p95 | ratio | CPU ratio | statements kernel (+plumbing) / twin | "
        "constant in page size | hooks % | peak KiB kernel / twin | target | met? |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---:|---|---|---|",
    ]
    for scenario in SCENARIOS:
        if scenario.name not in found:
            continue
        r = found[scenario.name]
        k, t = r["kernel"], r["twin"]
        k_med, t_med = _median(k["times"]), _median(t["times"])
        ratio = k_med / t_med if t_med else float("nan")
        t_cpu = _median(t.get("cpu_times", []))
        cpu_ratio = _median(k.get("cpu_times", [])) / t_cpu if t_cpu else float("nan")
        constant: bool | None = None
        if scenario.pair and scenario.pair in found:
            constant = found[scenario.pair]["kernel"]["statements"] == k["statements"]
        hooks = k["hook_seconds"] / sum(k["times"]) if k["times"] else 0.0
        targets, met = [], []
        if scenario.max_ratio is not None:
            targets.append(f"≤ {scenario.max_ratio}×")
            met.append(ratio <= scenario.max_ratio)
        if scenario.max_statements is not None:
            targets.append(f"≤ {scenario.max_statements} statements")
            met.append(k["statements"] <= scenario.max_statements)
        if constant is not None:
            met.append(constant)
        ok = all(met) if met else None
        if ok is not None:
            verdicts.append((scenario.name, ok))
        lines.append(
            f"| {scenario.name} | {_ms(k_med)} | {_ms(_p95(k['times']))} | {_ms(t_med)} | {_ms(_p95(t['times']))} | "
            f"{ratio:.2f}× | {cpu_ratio:.2f}× | {k['statements']} (+{r['plumbing']}) / {t['statements']} | {_yes(constant)} | "
            f"{hooks * 100:.1f} | {k['peak_kib']:.0f} / {t['peak_kib']:.0f} | {', '.join(targets) or '—'} | {_yes(ok)} |"
        )
    return lines, verdicts


def _median(times: list[float]) -> float:
    ordered = sorted(times)
    n = len(ordered)
    if not n:
        return float("nan")
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))] if ordered else float("nan")


def hook_share(engine: dict[str, Any]) -> tuple[float, str]:
    worst, name = 0.0, ""
    for scenario, r in engine["scenarios"].items():
        k = r["kernel"]
        share = k["hook_seconds"] / sum(k["times"]) if k["times"] else 0.0
        if share > worst:
            worst, name = share, scenario
    return worst, name


def loopback_rows(engine: dict[str, Any]) -> tuple[list[str], dict[str, bool]]:
    loop = engine.get("loopback")
    if not loop:
        return [], {}
    hello = loop["hello world"]["requests_per_second"]
    lines = ["| served | requests/s | of hello-world | p50 ms | p99 ms | non-2xx | worker peak RSS MiB |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in loop.items():
        lines.append(f"| {name} | {r['requests_per_second']:.0f} | {r['requests_per_second'] / hello * 100:.0f}% | "
                     f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {r['worker_peak_rss_mib']:.0f} |")
    verdicts = {}
    for name in ("catalog listing, 20", "catalog listing, 20 (uncached)"):
        catalog = loop.get(f"{name} (kernel)")
        if catalog:
            verdicts[name] = catalog["requests_per_second"] / hello >= LOOPBACK_TARGET
    return lines, verdicts


def scaling_rows(run: dict[str, Any], results: Path) -> tuple[list[str], dict[str, bool]]:
    """Listing medians per size (this run plus the newest saved run of each other size)."""
    sizes: dict[str, dict[str, Any]] = {}
    for path in sorted(results.glob("*.json")):
        try:
            saved = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        sizes[saved["size"]] = saved
    sizes[run["size"]] = run
    lines = ["| engine | " + " | ".join(f"{SIZE_PRODUCTS[s]} products: kernel / twin ms (kernel CPU ms)" for s in SIZE_PRODUCTS) +
             " | 1M ÷ 10k (kernel; SQLite: CPU time) |", "|---|" + "---|" * (len(SIZE_PRODUCTS) + 1)]
    verdicts: dict[str, bool] = {}
    for engine in ("sqlite", "postgresql"):
        cells, kernel = [], {}
        for size in SIZE_PRODUCTS:
            measured = sizes.get(size, {}).get("engines", {}).get(engine, {}).get("scenarios", {})
            # The uncached listing where it was measured: a cached answer says nothing of the data.
            found = measured.get(f"{SCALING_SCENARIO} (uncached)") or measured.get(SCALING_SCENARIO)
            if found:
                wall, cpu = _median(found["kernel"]["times"]), _median(found["kernel"].get("cpu_times") or [float("nan")])
                # SQLite runs in the benchmark's own thread, so CPU time is the whole request and
                # is not inflated by a busier machine; PostgreSQL's work is in its server: wall.
                kernel[size] = cpu if engine == "sqlite" and cpu == cpu else wall
                cells.append(f"{_ms(wall)} / {_ms(_median(found['twin']['times']))} ({_ms(cpu)})")
            else:
                cells.append("not run")
        growth = ""
        if "small" in kernel and "1m" in kernel:
            factor = kernel["1m"] / kernel["small"]
            verdicts[engine] = factor <= SCALING_TARGET
            growth = f"{factor:.2f}× ({_yes(verdicts[engine])})"
        lines.append(f"| {engine} | " + " | ".join(cells) + f" | {growth or '—'} |")
    return lines, verdicts


def fanout_rows(engine: dict[str, Any]) -> list[str]:
    rows = engine.get("fanout") or []
    if not rows:
        return []
    lines = ["| serving model | viewers | held | connect s | delivered | p50 ms | p99 ms | KiB per viewer |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| gunicorn {r['model']} | {r['viewers']} | {r['connected']} | {r['connect_seconds']:.0f} | "
                     f"{r['delivered']}/{r['connected'] * r['events']} | {r['p50_ms']:.0f} | {r['p99_ms']:.0f} | "
                     f"{r['rss_per_viewer_kib']:.0f} |")
    return lines


def render(run: dict[str, Any], results: Path) -> str:
    out = [f"# Pasar benchmarks: {SIZE_PRODUCTS[run['size']]} products ({run['size']})", "",
           f"Run {run['date']} on {os.cpu_count()} CPUs, Python {platform.python_version()}; "
           f"{run['seconds']:.0f} s in all. " + (run.get("note") or ""), "",
           "Ratios are kernel ÷ twin medians measured in the same run (requests interleaved); *CPU ratio* is the same "
           "over each request's CPU time (the thread's), which waits for a busy CPU do not inflate — with SQLite that "
           "is the whole request, with PostgreSQL only the Python side (the server's work is not in it), so there "
           "read the wall-clock ratio. Statements are per "
           "request without transaction control; *plumbing* is the tenant lookup and the bearer token, the same for "
           "every endpoint, and statement targets are judged on the scenario's own statements. Hooks % is the share "
           "of the kernel's request time inside plugin hook calls (target ≤ 5%). Peak KiB is tracemalloc's peak "
           "for one request.", ""]
    summary: list[tuple[str, bool | None]] = []
    for engine, data in run["engines"].items():
        gen = data.get("generation_seconds") or 0
        out += [f"## {engine}", "", f"Data generated in {gen:.0f} s." if gen else "Data reused from an earlier generation.", ""]
        lines, verdicts = scenario_rows(data)
        out += lines + [""]
        summary += [(f"{engine}: {name}", ok) for name, ok in verdicts]
        worst, name = hook_share(data)
        summary.append((f"{engine}: plugin hooks ≤ 5% of request time (worst {worst * 100:.1f}%, {name})",
                        worst <= HOOK_SHARE_TARGET))
        loop, met = loopback_rows(data)
        if loop:
            out += ["Over loopback (gunicorn, 2 sync workers; wrk, 2 threads, 16 connections):", ""] + loop + [""]
            summary += [(f"{engine}: {name} over loopback ≥ 50% of hello-world requests/s", ok)
                        for name, ok in met.items()]
        fan = fanout_rows(data)
        if fan:
            out += ["Live fan-out (SSE viewers of one room, events through Redis pub/sub):", ""] + fan + [""]
        profiles = [(n, r["profile"]) for n, r in data["scenarios"].items() if r.get("profile")]
        if profiles:
            out += ["Profiles (pyinstrument, up to 30 requests) of scenarios missing a target:", ""]
            out += [f"- {n}: `{_relative(p)}`" for n, p in profiles] + [""]
    scaling, growth = scaling_rows(run, results)
    out += ["## Scaling: catalog listing (20 per page, uncached where measured) by catalogue size", ""] + scaling + [""]
    summary += [(f"{engine}: listing at 1M products ≤ 1.5× the time at 10k", ok) for engine, ok in growth.items()]
    out += ["## Targets", "", "| target | met? |", "|---|---|"]
    out += [f"| {name} | {_yes(ok)} |" for name, ok in summary]
    return "\n".join(out) + "\n"


def write(run: dict[str, Any], text: str, results: Path, stamp: str) -> Path:
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"{stamp}-{run['size']}.md"
    path.write_text(text)
    (results / f"{stamp}-{run['size']}.json").write_text(json.dumps(run, indent=1, default=str))
    return path


def main() -> None:
    """Render every saved run again (``python bench/report.py``): after a later run of another
    size, the scaling tables of the earlier reports see it too."""
    import sys

    results = Path(__file__).resolve().parent / "results"
    for path in sorted(results.glob("*.json")):
        run = json.loads(path.read_text())
        stamp = path.stem.rsplit("-", 1)[0]
        write(run, render(run, results), results, stamp)
        print(f"rendered {path.with_suffix('.md').name}", file=sys.stderr)


if __name__ == "__main__":
    main()
