"""Browser tests: Debian's Chromium driven by Playwright's sync API against a live server with
the demo marketplace and a real worker (plumbing in ``pasar.testing.browser``).

One server, worker and browser serve the whole package (``scope="package"``: this folder has an
``__init__.py`` so the scope ends with it and Celery goes back to eager mode for the rest of the
suite); each test gets a fresh browser context, so cookies never leak between buyers.
A failing test leaves ``var/test-artifacts/<test>.png`` and ``.html`` and names them.
"""
from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from pasar.testing.browser import (
    CHROMIUM_ARGS,
    SECRET_KEY,
    WEBHOOK_SECRET,
    LiveServer,
    Site,
    WorkerProcess,
    broker_urls,
    celery_state,
    ensure_chromium,
    ensure_thai_fonts,
    free_port,
    purge_broker,
    save_artifacts,
)

#: The demo tenants the flows use: Thailand, the UK, the US, Indonesia, Germany.
DEMO_TENANTS = ("de", "id", "th", "uk", "us")
#: How long Playwright waits for an element or an expectation before failing.
TIMEOUT_MS = 30_000


@pytest.fixture(scope="package")
def site(make_app: Callable[..., Any], plugin_host: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo marketplace on ``http://127.0.0.1:<port>/t/<code>/``, paid through a real worker."""
    from pasar.demo.seed import seed_demo

    tmp = tmp_path_factory.mktemp("browser")
    var = tmp / "var"
    port = free_port()
    broker, backend = broker_urls(tmp)
    purge_broker(broker, backend)
    with celery_state():
        app = make_app(
            broker_url=broker, result_backend=backend, task_always_eager=False, public_port=port,
            secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET,
            extra={"uploads_dir": str(var / "uploads"), "media_dir": str(var / "media")},
        )
        settings = app.config["PASAR"]
        seed_demo(app.extensions["pasar.db"], settings, plugin_host, DEMO_TENANTS)
        worker = WorkerProcess.for_app(settings, var).start()
        try:
            server = LiveServer(app, port).start()
            site = Site(server, app, worker)
            try:
                yield site
            finally:
                server.stop()
                site.drain_worker()  # what the last test queued runs now, not in a later run's worker
        finally:
            output = worker.stop()
    assert "Traceback" not in output, output


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Chromium (installed with apt if missing), headless, for the whole package; Thai fonts
    installed before it starts when they can be, so Thai pages' screenshots show Thai."""
    from playwright.sync_api import sync_playwright

    executable = ensure_chromium()
    ensure_thai_fonts()
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=list(CHROMIUM_ARGS))
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture()
def page(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh context (no cookies) and page; Playwright's auto-wait stands in for sleeps."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """When a browser test fails, keep the page as the browser showed it and say where."""
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.failed and report.when in ("setup", "call") and page is not None and not page.is_closed():
        try:
            paths: list[Path] = save_artifacts(page, item.nodeid)
        except Exception as exc:  # a crashed page must not hide the test's own failure
            report.sections.append(("browser artifacts", f"could not save the page: {exc}"))
        else:
            listing = "\n".join(str(p) for p in paths)
            report.sections.append(("browser artifacts", listing))
            terminal = item.config.pluginmanager.get_plugin("terminalreporter")
            if terminal is not None:
                terminal.write_line(f"\nbrowser artifacts of {item.nodeid}:\n{listing}")
    return report
