"""Plumbing for the browser tests (``tests/browser``): Debian's Chromium, a live HTTP server,
a real Celery worker and the demo marketplace they share.

Why each piece is the way it is (PITFALLS.md, "Browser tests"):

* Playwright cannot download its own browser on these machines, so the tests drive Debian's
  ``/usr/bin/chromium``; :func:`ensure_chromium` installs it with apt when it is missing (CI
  runs as root) and says clearly why when it cannot.
* The browser needs a real HTTP server: :class:`LiveServer` serves a test app with werkzeug's
  threaded ``make_server`` on ``127.0.0.1:<free port>`` (threaded, because a live room keeps an
  event stream open while the buyer goes on clicking).
* Payments confirm as in production: the sandbox page's button signs a webhook and queues it;
  a real ``pasar worker`` process (:class:`WorkerProcess`) takes it from a real broker (a SQLite
  file through kombu, or Redis with ``PASAR_TEST_BROKER_URL``) and posts it to the webhook
  endpoint. The worker reads the same database as the server.
* Celery's application is one object per process and every ``create_app`` reconfigures it:
  :func:`celery_state` puts back the eager configuration the rest of the suite runs on once
  the browser tests are done.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pasar.config import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
#: Flags measured on these machines: no sandbox (root in CI), no GPU, and nothing that reaches
#: out to the internet on its own (updates, sync, QUIC probes).
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
)
#: Where a failing browser test leaves its screenshot and page HTML.
ARTIFACTS = PROJECT_ROOT / "var" / "test-artifacts"
#: Shared secrets of the server and the worker: the worker must verify the webhooks the server's
#: sandbox signs, and read the sessions it issues.
SECRET_KEY, WEBHOOK_SECRET = "test-secret", "test-webhook-secret"

_install_lock = threading.Lock()


class ChromiumMissing(RuntimeError):
    """Chromium is not installed and apt could not install it."""


def ensure_chromium(executable: Path = CHROMIUM) -> Path:
    """``executable``, installing Debian's ``chromium`` package first if it is missing.

    Runs apt at most once per process: a second call finds the binary (or fails the same way
    without trying again, since the first failure is raised to every caller)."""
    with _install_lock:
        if executable.exists():
            return executable
        if shutil.which("apt-get") is None:
            raise ChromiumMissing(f"{executable} is missing and this machine has no apt-get: install Chromium "
                                  f"(Debian package `chromium`) to run the browser tests")
        attempts = (["apt-get", "install", "-y", "chromium"],
                    ["apt-get", "update"], ["apt-get", "install", "-y", "chromium"])
        output = ""
        for command in attempts:
            done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            output = (done.stdout + done.stderr)[-2000:]
            if command[1] == "install" and done.returncode == 0 and executable.exists():
                return executable
        raise ChromiumMissing(f"{executable} is missing and `apt-get install -y chromium` failed "
                              f"(the browser tests need root and Debian's package lists):\n{output}")


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def broker_urls(tmp: Path) -> tuple[str, str]:
    """(broker, result backend): Redis when ``PASAR_TEST_BROKER_URL`` names it, else SQLite files
    through kombu's SQLAlchemy transport (what ``make run`` uses)."""
    url = os.environ.get("PASAR_TEST_BROKER_URL")
    if url:
        return url, url
    return f"sqla+sqlite:///{tmp / 'broker.db'}", f"db+sqlite:///{tmp / 'results.db'}"


# --- Celery's process-wide state -------------------------------------------------------------------
_CELERY_KEYS = ("broker_url", "result_backend", "task_always_eager", "task_eager_propagates", "beat_schedule",
                "broker_transport_options")


def _drop_connections(celery: Any) -> None:
    """Forget broker and result connections made for the previous broker: Celery keeps them
    once made and would go on sending to the old broker after its URL changed."""
    celery._pool = None
    amqp = celery.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    celery._backend_cache = None
    celery._local = threading.local()


@contextmanager
def celery_state() -> Iterator[None]:
    """Within: whatever ``create_app`` configures (here the live server's real broker).
    After: Celery's configuration and the worker's app as they were (eager, for the rest of the
    suite)."""
    from pasar import worker

    saved = {key: worker.celery_app.conf.get(key) for key in _CELERY_KEYS}
    saved_app = worker._app_cache.get("app")
    try:
        yield
        _drop_connections(worker.celery_app)
    finally:
        worker.celery_app.conf.update(saved)
        _drop_connections(worker.celery_app)
        if saved_app is not None:
            worker.use_app(saved_app)
        else:
            worker._app_cache.pop("app", None)


# --- the server --------------------------------------------------------------------------------
class LiveServer:
    """A WSGI app served on loopback in a daemon thread."""

    def __init__(self, app: Any, port: int) -> None:
        from werkzeug.serving import make_server

        self.app, self.port = app, port
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"live-server-{port}", daemon=True)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, tenant: str, path: str = "/") -> str:
        """A tenant's page as a developer addresses it: ``/t/<code>/...``."""
        return f"{self.root}/t/{tenant}{path}"

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


# --- the worker --------------------------------------------------------------------------------
class WorkerProcess:
    """``pasar worker`` in a subprocess, on the server's database and broker."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = dict(env)
        self._process: subprocess.Popen[bytes] | None = None

    @classmethod
    def for_app(cls, settings: Any, var: Path) -> WorkerProcess:
        """A worker configured like ``settings`` (the live server app's), files under ``var``."""
        return cls({
            **os.environ,
            "PASAR_DATABASE_URL": settings.database_url,
            "PASAR_BROKER_URL": settings.broker_url,
            "PASAR_RESULT_BACKEND": settings.result_backend,
            "PASAR_SECRET_KEY": settings.secret_key,
            "PASAR_WEBHOOK_SECRET": settings.webhook_secret,
            "PASAR_PORT": str(settings.public_port),
            "PASAR_VAR_DIR": str(var),
        })

    def start(self, *, timeout: float = 90) -> WorkerProcess:
        """Start the worker and wait until it answers a ping through the broker."""
        from celery import Celery

        command = [sys.executable, "-m", "pasar.cli", "worker", "--concurrency", "1", "--loglevel", "WARNING"]
        self._process = subprocess.Popen(command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        client = Celery("browser-tests", broker=self.env["PASAR_BROKER_URL"], backend=self.env["PASAR_RESULT_BACKEND"])
        try:
            client.send_task("pasar.ping").get(timeout=timeout)
        except Exception as exc:
            output = self.stop()
            raise RuntimeError(f"the browser tests' worker did not answer a ping: {exc}\n{output}") from exc
        finally:
            client.close()
        return self

    def stop(self) -> str:
        """Stop the worker; returns what it printed."""
        if self._process is None:
            return ""
        self._process.terminate()
        try:
            output = self._process.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            self._process.kill()
            output = self._process.communicate()[0]
        self._process = None
        return output.decode(errors="replace")


# --- what the tests see --------------------------------------------------------------------------
@dataclass(frozen=True)
class Site:
    """The demo marketplace behind a live server, with a real worker."""

    server: LiveServer
    app: Any

    def url(self, tenant: str, path: str = "/") -> str:
        return self.server.url(tenant, path)


def artifact_name(nodeid: str) -> str:
    """A file name for a test: its name with anything odd replaced."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.rpartition("::")[2]).strip("_") or "test"


def save_artifacts(page: Any, nodeid: str, directory: Path = ARTIFACTS) -> list[Path]:
    """Save the page's screenshot (full page) and HTML; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    name = artifact_name(nodeid)
    shot, html = directory / f"{name}.png", directory / f"{name}.html"
    page.screenshot(path=str(shot), full_page=True)
    html.write_text(page.content(), encoding="utf-8")
    return [shot, html]


def sign_in(page: Any, site: Site, tenant: str, email: str, password: str | None = None, *, next_path: str = "") -> None:
    """Sign in through the tenant's sign-in page as a person would: type, press the button.

    Waits until the browser has left the sign-in page (the form redirects on success), so the
    next navigation already carries the session cookie."""
    from pasar.demo.data import DEMO_PASSWORD

    query = f"?next={quote(site.server.url(tenant, next_path).removeprefix(site.server.root))}" if next_path else ""
    page.goto(site.url(tenant, f"/signin{query}"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(password or DEMO_PASSWORD)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_url(lambda url: "/signin" not in url)
