"""Over loopback: gunicorn (2 sync workers, as production would start) serving the kernel, the
twin or a hello-world JSON app, loaded by ``wrk`` from Debian's packages. Hello-world's
requests/s under the same server is the ceiling a real endpoint is compared with."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    worker_peak_rss_mib: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(which: str, url: str, *, workers: int = 2, worker_class: str = "sync", extra: dict[str, str] | None = None,
             args: tuple[str, ...] = ()) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A gunicorn serving ``which`` on a free loopback port; stopped (by its own pid) at the end."""
    port = free_port()
    env = {**os.environ, "BENCH_APP": which, "BENCH_DB_URL": url, "PYTHONPATH": str(BENCH), **(extra or {})}
    command = [str(Path(sys.executable).with_name("gunicorn")), "-w", str(workers), "-k", worker_class,
               "-b", f"127.0.0.1:{port}", "--pythonpath", str(BENCH), "--log-level", "warning", *args, "wsgi:app"]
    log = (ROOT / "var" / "bench")
    log.mkdir(parents=True, exist_ok=True)
    errors = open(log / f"gunicorn-{which}.log", "ab")  # a pipe nobody reads would block the workers
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors,
                               start_new_session=True)
    try:
        _wait_ready(port, process)
        yield port, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors.close()


def _wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early: see var/bench/gunicorn-*.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__ready__", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer: the workers are up
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start in time")


def worker_peak_rss_mib(master: int) -> float:
    """The largest peak resident set (VmHWM) among the master's worker processes."""
    peaks = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", status, re.M):
            found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
            if found:
                peaks.append(int(found.group(1)) / 1024)
    return max(peaks, default=0.0)


def _duration(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    return float(match.group(1)) * _UNITS[match.group(2)] * 1000 if match else float("nan")


def wrk(port: int, path: str, headers: dict[str, str], seconds: int, connections: int = 16) -> tuple[float, float, float, int]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # anchored: a "+/- Stdev" column such as "68.50%" must not be read as the 50th percentile
    p50 = _duration(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _duration(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    return rps, p50, p99, errors


def load(which: str, url: str, path: str, headers: dict[str, str], seconds: int) -> WrkResult:
    with gunicorn(which, url) as (port, process):
        wrk(port, path, headers, 1)  # warm both workers (imports, first queries)
        rps, p50, p99, errors = wrk(port, path, headers, seconds)
        return WrkResult(rps, p50, p99, errors, worker_peak_rss_mib(process.pid))
