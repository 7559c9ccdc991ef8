"""Plumbing for the browser tests (``tests/browser``): Debian's Chromium, a live HTTP server,
a real Celery worker and the demo marketplace they share.

Why each piece is the way it is (PITFALLS.md, "Browser tests"):

* Playwright cannot download its own browser on these machines, so the tests drive Debian's
  ``/usr/bin/chromium``; :func:`ensure_chromium` installs it with apt when it is missing (CI
  runs as root) and says clearly why when it cannot.
* Debian's Chromium draws with the fonts fontconfig knows, and a bare machine has none for Thai:
  the Thai storefront's screenshots showed boxes. :func:`ensure_thai_fonts` installs
  ``fonts-thai-tlwg`` the same way, but only as a nicety: without root or apt it does nothing
  (the tests still pass, only the screenshots are the worse for it).
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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pasar.config import PROJECT_ROOT
from pasar.testing.catalog_factories import tenant_context

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
_install_failures: dict[Path, ChromiumMissing] = {}


def apt_steps(package: str) -> tuple[tuple[str, ...], ...]:
    """apt's steps for ``package``: install; if that failed, update the package lists (stale or
    absent on a fresh machine) once and install again."""
    install = ("apt-get", "install", "-y", package)
    return install, ("apt-get", "update"), install


APT_STEPS = apt_steps("chromium")
#: Debian's Thai fonts (Loma, Garuda, Norasi, ...): what fontconfig offers Chromium for Thai text.
THAI_FONTS = "fonts-thai-tlwg"
_thai_fonts_tried: list[bool] = []


class ChromiumMissing(RuntimeError):
    """Chromium is not installed and apt could not install it."""


def ensure_chromium(executable: Path = CHROMIUM) -> Path:
    """``executable``, installing Debian's ``chromium`` package first if it is missing.

    Tries apt at most once per process: after a failure every later call raises the same
    error at once instead of running apt again for each browser test."""
    with _install_lock:
        if executable.exists():
            return executable
        if executable in _install_failures:
            raise _install_failures[executable]
        try:
            return _install(executable)
        except ChromiumMissing as exc:
            _install_failures[executable] = exc
            raise


def _install(executable: Path) -> Path:
    if shutil.which("apt-get") is None:
        raise ChromiumMissing(f"{executable} is missing and this machine has no apt-get: install Chromium "
                              f"(Debian package `chromium`) to run the browser tests")
    output = ""
    for command in APT_STEPS:
        done = subprocess.run(list(command), capture_output=True, text=True,
                              env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        output = (done.stdout + done.stderr)[-2000:]
        if command[1] == "install" and done.returncode == 0 and executable.exists():
            return executable
    raise ChromiumMissing(f"{executable} is missing and `apt-get install -y chromium` failed "
                          f"(the browser tests need root and Debian's package lists); apt said:\n{output}")


def thai_font_families() -> set[str]:
    """The font families fontconfig knows that cover Thai (empty without ``fc-list``)."""
    if shutil.which("fc-list") is None:
        return set()
    listed = subprocess.run(["fc-list", ":lang=th", "family"], capture_output=True, text=True)
    return {family.strip() for line in listed.stdout.splitlines() for family in line.split(",") if family.strip()}


def ensure_thai_fonts() -> bool:
    """Whether a font covering Thai is installed, after installing ``fonts-thai-tlwg`` with apt if
    none is and this process may (root, apt-get present).

    Unlike Chromium, a missing Thai font is no reason to fail: Thai text is still in the page,
    only drawn as boxes in screenshots. So any failure is quiet, and apt is tried at most once
    per process. Call it before Chromium starts: Chromium reads fontconfig's list at launch."""
    with _install_lock:
        if thai_font_families():
            return True
        if _thai_fonts_tried or shutil.which("apt-get") is None or os.geteuid() != 0:
            return False
        _thai_fonts_tried.append(True)
        for command in apt_steps(THAI_FONTS):
            done = subprocess.run(list(command), capture_output=True, text=True,
                                  env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            if command[1] == "install" and done.returncode == 0:
                break
        return bool(thai_font_families())


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


def with_broker(broker: str, backend: str, work: Callable[[Any], Any]) -> Any:
    """Run ``work`` with a Celery client of ``broker`` (not the kernel's Celery app, whose
    configuration belongs to whichever app was built last)."""
    from celery import Celery

    client = Celery("browser-tests", broker=broker, backend=backend)
    try:
        return work(client)
    finally:
        client.close()


def purge_broker(broker: str, backend: str) -> None:
    """Drop tasks an earlier run left in a shared broker (Redis), so this run's worker never
    runs them against the wrong database."""
    with_broker(broker, backend, lambda client: client.control.purge())


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
    _drop_connections(worker.celery_app)  # made again on first use, for the broker configured within
    try:
        yield
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
        command = [sys.executable, "-m", "pasar.cli", "worker", "--concurrency", "1", "--loglevel", "WARNING"]
        self._process = subprocess.Popen(command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            self.ping(timeout)
        except Exception as exc:
            output = self.stop()
            raise RuntimeError(f"the browser tests' worker did not answer a ping: {exc}\n{output}") from exc
        return self

    def ping(self, timeout: float = 60) -> dict[str, Any]:
        """Send ``pasar.ping`` through the broker and wait for the worker's answer."""
        return dict(with_broker(self.env["PASAR_BROKER_URL"], self.env["PASAR_RESULT_BACKEND"],
                                lambda client: client.send_task("pasar.ping").get(timeout=timeout)))

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
    worker: WorkerProcess

    def url(self, tenant: str, path: str = "/") -> str:
        return self.server.url(tenant, path)

    def drain_worker(self, timeout: float = 60) -> None:
        """Return once the worker has run every task queued before this call.

        The worker takes one task at a time in queue order (concurrency 1, prefetch 1), so a
        ping sent now is answered only after everything queued earlier — e.g. the webhook a
        sandbox payment page just queued — has been delivered. No sleeping, no guessing."""
        self.worker.ping(timeout)

    def session(self, tenant: str) -> Any:
        """A read session in ``tenant`` (for looking up what the demo seed made)."""
        db = self.app.extensions["pasar.db"]
        return db.session(tenant_context(self.app, tenant).id)


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


# --- a buyer's hands --------------------------------------------------------------------------------
#: What a buyer types into the checkout's address form, per country the flows buy in.
ADDRESSES: dict[str, dict[str, str]] = {
    "TH": {"name": "Somchai Jaidee", "line1": "99 Sukhumvit Road", "city": "Bangkok", "region": "Bangkok",
           "postal_code": "10110", "phone": "+66812345678"},
    "ID": {"name": "Budi Santoso", "line1": "Jl. Jend. Sudirman 1", "city": "Jakarta Pusat", "region": "DKI Jakarta",
           "postal_code": "10220", "phone": "+6281234567890"},
    "US": {"name": "Pat Buyer", "line1": "1 Main St", "city": "New York", "region": "NY", "postal_code": "10001",
           "phone": "+12125550100"},
    "GB": {"name": "Sam Buyer", "line1": "1 High Street", "city": "London", "postal_code": "SW1A 1AA",
           "phone": "+442071234567"},
    "DE": {"name": "Erika Mustermann", "line1": "Hauptstraße 1", "city": "Berlin", "postal_code": "10115",
           "phone": "+4930123456"},
}


def fill_address(page: Any, country: str) -> None:
    """Type the country's address into every field the checkout's form shows (selects chosen)."""
    values = ADDRESSES[country]
    fields = page.locator("[data-test=address] input[data-test^=address-], [data-test=address] select[data-test^=address-]")
    fields.first.wait_for()
    for field in fields.all():
        value = values.get(field.get_attribute("name") or "", "")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def add_to_cart(form: Any) -> None:
    """Press a buy form's button (quantity 1) and wait until the page shows, in place, one more
    item in the cart (the storefront's small script answers once the page has loaded)."""
    from playwright.sync_api import expect

    page = form.page
    page.wait_for_load_state("load")
    badge = page.locator("[data-cart-count]")
    before = int(badge.inner_text()) if badge.count() else 0
    form.locator("button[type=submit]").click()
    expect(form.locator("[data-cart-status]")).not_to_be_empty()
    expect(badge).to_have_text(str(before + 1))  # one more in the cart, not a refusal's message


def start_checkout(page: Any, site: Site, tenant: str, country: str) -> None:
    """From the cart to the checkout's review: address typed, the quote shown."""
    from playwright.sync_api import expect

    page.goto(site.url(tenant, "/cart"))
    page.locator("[data-test=go-checkout]").click()
    fill_address(page, country)
    page.locator("[data-test=review-order]").click()
    expect(page.locator("[data-test=review]")).to_be_visible()


def choose_payment(page: Any, method: str) -> None:
    """Pick a payment method and have the quote made again for it (cash rounding, fees)."""
    from playwright.sync_api import expect

    page.locator(f"[data-test=pay-{method}]").check()
    page.locator("[data-test=review-order]").click()
    expect(page.locator(f"[data-test=pay-{method}]")).to_be_checked()
    expect(page.locator("[data-test=review]")).to_be_visible()


_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def amount(text: str) -> Decimal:
    """The number in an English-formatted amount (``$1,234.50``, ``£3.99``, ``−฿10``)."""
    found = _NUMBER.search(text.replace("\u2212", "-"))
    if found is None:
        raise ValueError(f"no amount in {text!r}")
    return Decimal(found.group(0).replace(",", ""))


# --- what happened before a flow begins ------------------------------------------------------------
@dataclass(frozen=True)
class Account:
    """A user made for one test: what they type to sign in, and their API headers."""

    id: int
    email: str
    password: str
    headers: dict[str, str]


class Backstage:
    """The state a browser flow starts from, made through the REST API and the domains'
    services like the other tests' factories (the flow itself is then played in the browser)."""

    def __init__(self, site: Site) -> None:
        from pasar.testing.accounts_factories import logins_for
        from pasar.testing.commerce_factories import Commerce

        self.site, self.app = site, site.app
        self.client = site.app.test_client()
        self.commerce = Commerce(site.app)
        self._login = logins_for(site.app)

    def buyer(self, tenant: str) -> Account:
        """A new buyer of ``tenant`` (own cart, no remembered address)."""
        from pasar.testing.accounts_factories import DEFAULT_PASSWORD

        principal, headers = self._login(tenant, "buyer")
        return Account(principal.id, principal.email, DEFAULT_PASSWORD, dict(headers))

    def headers_of(self, tenant: str, email: str) -> dict[str, str]:
        """API headers of an existing user (a demo account), from a freshly issued token."""
        from sqlalchemy import select

        from pasar.accounts.models import User
        from pasar.accounts.service import issue_token
        from pasar.testing.accounts_factories import TENANT_HEADER

        db = self.app.extensions["pasar.db"]
        with db.session(tenant_context(self.app, tenant).id, write=True) as session:
            user = session.scalars(select(User).where(User.email == email)).one()
            issued = issue_token(session, user)
        return {"Authorization": f"Bearer {issued.token}", TENANT_HEADER: tenant}

    def shop_variant(self, tenant: str, owner_email: str, *, tax_category: str | None = None) -> int:
        """A variant on sale in the shop ``owner_email`` owns (its first product in stock)."""
        from sqlalchemy import select

        from pasar.accounts.models import User
        from pasar.catalog.models import Inventory, Product, Variant

        with self.site.session(tenant) as session:
            seller_id = session.scalars(select(User.seller_id).where(User.email == owner_email)).one()
            query = (select(Variant.id).join(Product, Product.id == Variant.product_id)
                     .join(Inventory, Inventory.variant_id == Variant.id)
                     .where(Product.seller_id == seller_id, Product.status == "active", Variant.active,
                            Inventory.on_hand - Inventory.reserved > 0)
                     .order_by(Product.id, Variant.id))
            if tax_category is not None:
                query = query.where(Product.tax_category == tax_category)
            return int(session.scalars(query.limit(1)).one())

    def paid_order(self, buyer: Account, variant_id: int, *, method: str) -> int:
        """The buyer buys one unit and pays on the sandbox page; returns the order id."""
        placed = self.commerce.place_order(buyer.headers, variant_id, method=method)
        checkout = self.commerce.pay(placed)
        assert checkout["status"] == "paid", checkout
        (order_id,) = placed.order_ids
        return int(order_id)

    def deliver(self, tenant: str, order_id: int, seller_headers: dict[str, str]) -> None:
        """The seller accepts the order and buys the label; the courier scans the parcel to the
        door; the worker delivers the carrier's webhooks and the order is delivered."""
        ready = self.client.post(f"/api/v1/seller/orders/{order_id}/ready", headers=seller_headers)
        assert ready.status_code == 200, ready.get_json()
        label = self.client.post(f"/api/v1/seller/orders/{order_id}/shipment", json={}, headers=seller_headers)
        assert label.status_code in (200, 201), label.get_json()
        tracking = label.get_json()["tracking_number"]
        status = label.get_json()["status"]
        for _scan in range(8):
            if status == "delivered":
                break
            moved = self.client.post(f"/sandbox/{tenant}/shipments/{tracking}/advance", json={}, headers=seller_headers)
            assert moved.status_code == 200, moved.get_json()
            status = moved.get_json()["status"]
        assert status == "delivered", f"parcel {tracking} is {status}"
        self.site.drain_worker()  # the carrier's webhooks, in the order they were sent
        order = self.client.get(f"/api/v1/seller/orders/{order_id}", headers=seller_headers).get_json()
        assert order["status"] == "delivered", order

    def pending_shop(self, tenant: str, name: str) -> int:
        """A shop registered by a new user with every KYC document uploaded, waiting for an
        operator's review; returns its id."""
        from pasar.sellers import service as sellers
        from pasar.sellers.storage import DocumentStore, uploads_root
        from pasar.testing.sellers_factories import PNG_BYTES, sellers_for

        settings = self.app.config["PASAR"]
        shop = sellers_for(self.app, uploads_root(settings))(tenant, status="pending", name=name)
        context = tenant_context(self.app, tenant)
        store = DocumentStore(uploads_root(settings))
        with self.app.extensions["pasar.db"].session(context.id, write=True) as session:
            for kind in sellers.kyc_requirements(context).documents:
                sellers.upload_document(session, context, shop.id, kind, f"{kind}.png", PNG_BYTES + kind.encode(), store)
        return shop.id
