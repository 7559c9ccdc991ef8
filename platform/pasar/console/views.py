"""Operator console pages: sign-in, tenants overview, KYC review, moderation, metrics, features.

The console is tenant-spanning: every view answers without a tenant (``tenant_optional``), the
operator's token is the cookie's operator token, and a page about one tenant opens that
tenant's session itself after checking the operator's tenant codes — a tenant the operator may
not act in answers 404, as if it did not exist. Views call the same services as the REST API
(sellers, catalog, content, tenancy) and this face's own ``console.service`` for what only the
console reads; they never write SQL.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   send_file, url_for)
from flask_babel import format_date, gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from pasar import clock
from pasar.accounts import service as accounts
from pasar.accounts.service import Principal
from pasar.catalog import service as catalog
from pasar.catalog.errors import CatalogError, CatalogNotFound
from pasar.charts import bar_chart, line_chart
from pasar.console import service
from pasar.content import service as content
from pasar.content.errors import ContentError, ContentNotFound
from pasar.pages import forget, login_required, protect, remember, safe_next, web_principal
from pasar.sellers import service as sellers
from pasar.sellers.storage import DocumentStore, uploads_root
from pasar.tenancy import service as tenancy
from pasar.tenancy.service import TenantContext
from pasar.web import database, plugin_host, tenant_optional, write_session

blp = protect(Blueprint("console", __name__, url_prefix="/console"))
operator_only = login_required("operator", signin="console.signin")
#: Chart windows an operator can pick (days).
WINDOWS = (7, 14, 30, 90)
DEFAULT_DAYS = 14


# --- who and which tenant -----------------------------------------------------------------------
def operator() -> Principal:
    """The signed-in operator (views are wrapped in ``operator_only``)."""
    principal = web_principal()
    assert principal is not None and principal.kind == "operator"
    return principal


def operated_tenants() -> list[TenantContext]:
    """Every tenant the signed-in operator may act in, by code."""
    with database().session(all_tenants=True) as session:
        stored = [tenancy.context_for(row, plugin_host()) for row in tenancy.list_tenants(session)]
    return service.visible(stored, operator().tenant_codes)


def operated_tenant(code: str) -> TenantContext:
    """The tenant ``code`` names, if this operator may act there; 404 otherwise."""
    with database().session(all_tenants=True) as session:
        try:
            tenant = tenancy.context_for(tenancy.get_tenant(session, code), plugin_host())
        except tenancy.TenantNotFound:
            abort(404)
    if not operator().operates(tenant.code):
        abort(404)
    return tenant


@contextmanager
def tenant_session(code: str, *, write: bool = False) -> Iterator[tuple[TenantContext, Session]]:
    """The tenant and a session bound to it that commits when the block succeeds."""
    tenant = operated_tenant(code)
    with database().session(tenant.id, write=write) as session:
        yield tenant, session


def page(template: str, **context: Any) -> str:
    return render_template(f"console/{template}", tenants_menu=operated_tenants(), **context)


# --- sign-in ------------------------------------------------------------------------------------
@blp.route("/signin", methods=["GET", "POST"])
@tenant_optional
def signin() -> Any:
    """Operators' own sign-in (global accounts, not a tenant's users)."""
    error = None
    if request.method == "POST":
        session = write_session()
        try:
            _operator, issued = accounts.authenticate_operator(
                session, request.form.get("email", ""), request.form.get("password", ""),
                request.remote_addr or "unknown")
        except accounts.RateLimited:
            error = _("Too many attempts. Wait a minute and try again.")
        except accounts.InvalidCredentials:
            error = _("Email or password is wrong.")
        session.commit()  # a failed attempt is recorded too: it slows the next guess
        if error is None:
            remember(issued.token, operator=True)
            flash(_("Signed in."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("console.home")))
    return render_template("console/signin.html", error=error,
                           email=request.form.get("email", "")), (401 if error else 200)


@blp.post("/signout")
@tenant_optional
def signout() -> Any:
    raw = forget(operator=True)
    if raw:
        with database().session(write=True) as session:
            accounts.revoke_token(session, raw)
    flash(_("Signed out."), "success")
    return redirect(url_for("console.signin"))


# --- overview -----------------------------------------------------------------------------------
@blp.get("/")
@tenant_optional
@operator_only
def home() -> Any:
    """Every tenant this operator runs: config, features, plugins, queue and 30-day totals."""
    tenants = operated_tenants()
    with database().session(all_tenants=True) as session:
        rows = service.summaries(session, tenants, plugin_host())
    today = clock.now().date()
    totals = []
    for tenant in tenants:
        with database().session(tenant.id) as session:
            found = service.metrics(session, tenant, 30, clock.today_in(tenant.config.timezone))
        totals.append((tenant, [(s.currency, service.money_label(tenant, s.currency)(s.total)) for s in found.gmv],
                       sum(found.orders.paid.values())))
    orders_chart = bar_chart([(tenant.code, paid) for tenant, _gmv, paid in totals],
                             title=_("Paid orders per tenant, last 30 days"), value_label=count_label)
    return page("home.html", rows=rows, totals=totals, orders_chart=orders_chart, today=today)


# --- one tenant's metrics -----------------------------------------------------------------------
@blp.get("/tenants/<code>/")
@tenant_optional
@operator_only
def tenant_home(code: str) -> Any:
    """GMV, orders and payouts per local day, as charts in the tenant's own currency."""
    days = request.args.get("days", DEFAULT_DAYS, type=int) or DEFAULT_DAYS
    with tenant_session(code) as (tenant, session):
        found = service.metrics(session, tenant, days, clock.today_in(tenant.config.timezone))
    charts = metric_charts(tenant, found)
    return page("tenant.html", tenant=tenant, metrics=found, charts=charts, windows=WINDOWS,
                days=len(found.window.days))


def metric_charts(tenant: TenantContext, found: service.Metrics) -> list[Markup]:
    """GMV and payouts as bars (one chart per currency: never summed across), orders as lines."""
    label = day_label(found.window.days)
    charts = [bar_chart([(label(day), amount) for day, amount in series.amounts.items()],
                        title=_("GMV per day (%(currency)s)", currency=series.currency),
                        value_label=service.money_label(tenant, series.currency))
              for series in found.gmv]
    charts.append(line_chart(
        {_("Placed"): [(label(day), n) for day, n in found.orders.placed.items()],
         _("Paid"): [(label(day), n) for day, n in found.orders.paid.items()]},
        title=_("Orders per day"), value_label=count_label))
    charts.extend(bar_chart([(label(day), amount) for day, amount in series.amounts.items()],
                            title=_("Payouts per day (%(currency)s)", currency=series.currency),
                            value_label=service.money_label(tenant, series.currency))
                  for series in found.payouts)
    return charts


def day_label(days: tuple[date, ...]) -> Callable[[date], str]:
    """Short local dates in the console's language (the year only when the window spans two)."""
    pattern = "d MMM" if days[0].year == days[-1].year else "d MMM y"
    return lambda day: format_date(day, pattern)


def count_label(value: Decimal | int) -> str:
    from flask_babel import format_decimal

    return format_decimal(value)


# --- KYC review ---------------------------------------------------------------------------------
@blp.get("/tenants/<code>/kyc")
@tenant_optional
@operator_only
def kyc(code: str) -> Any:
    """Shops waiting for review, oldest first, with their documents."""
    with tenant_session(code) as (tenant, session):
        queue, total = sellers.list_sellers(session, tenant, "pending", limit=100)
        missing = {seller.id: sellers.missing_documents(tenant, seller) for seller in queue}
        return page("kyc.html", tenant=tenant, queue=queue, total=total, missing=missing,
                    requirements=sellers.kyc_requirements(tenant))


@blp.get("/tenants/<code>/kyc/<int:seller_id>/documents/<int:document_id>")
@tenant_optional
@operator_only
def kyc_document(code: str, seller_id: int, document_id: int) -> Any:
    """Download one KYC document (as the API's review endpoint does)."""
    with tenant_session(code) as (tenant, session):
        try:
            document = sellers.get_document(session, tenant, seller_id, document_id)
        except sellers.SellerNotFound:
            abort(404)
    store = DocumentStore(uploads_root(current_app.config["PASAR"]))
    response = send_file(store.path(document.path), mimetype=document.content_type, as_attachment=True,
                         download_name=document.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.post("/tenants/<code>/kyc/<int:seller_id>/approve")
@tenant_optional
@operator_only
def kyc_approve(code: str, seller_id: int) -> Any:
    """Approve through the sellers service, as the API does: ``seller.approved`` goes to the
    outbox and the relay calls ``pasar_seller_approved`` after the commit."""
    return review(code, seller_id, lambda session, tenant: sellers.approve(session, tenant, seller_id, operator().id),
                  _("Shop approved."))


@blp.post("/tenants/<code>/kyc/<int:seller_id>/reject")
@tenant_optional
@operator_only
def kyc_reject(code: str, seller_id: int) -> Any:
    """Reject with the reason the seller will read."""
    reason = request.form.get("reason", "")
    return review(code, seller_id,
                  lambda session, tenant: sellers.reject(session, tenant, seller_id, operator().id, reason),
                  _("Shop rejected."))


def review(code: str, seller_id: int, act: Callable[[Session, TenantContext], Any], done: str) -> Any:
    """Run one review action; a refusal is shown on the queue page and changes nothing."""
    try:
        with tenant_session(code, write=True) as (tenant, session):
            act(session, tenant)
    except sellers.SellerNotFound:
        abort(404)
    except sellers.MissingDocuments as exc:
        flash(_("Documents are missing: %(kinds)s", kinds=", ".join(exc.kinds)), "error")
    except sellers.InvalidSellerInput:
        flash(_("Give a reason: the seller reads it."), "error")
    except sellers.InvalidTransition as exc:
        flash(_("This shop is %(status)s already.", status=exc.status), "error")
    else:
        flash(done, "success")
    return redirect(url_for("console.kyc", code=code))


# --- moderation ---------------------------------------------------------------------------------
@blp.get("/tenants/<code>/moderation")
@tenant_optional
@operator_only
def moderation(code: str) -> Any:
    """Videos waiting for review, the newest listed products, and blocked products."""
    with tenant_session(code) as (tenant, session):
        videos = content.list_videos(session, tenant, moderation="pending", limit=50)
        listed = service.products_for_review(session, tenant, blocked=False)
        blocked = service.products_for_review(session, tenant, blocked=True)
        return page("moderation.html", tenant=tenant, videos=videos, listed=listed, blocked=blocked)


@blp.post("/tenants/<code>/moderation/videos/<int:video_id>")
@tenant_optional
@operator_only
def moderate_video(code: str, video_id: int) -> Any:
    decision = request.form.get("decision", "")
    try:
        with tenant_session(code, write=True) as (tenant, session):
            content.moderate_video(session, tenant, video_id, operator_id=operator().id, decision=decision,
                                   reason=request.form.get("reason") or None, at=clock.now())
    except ContentNotFound:
        abort(404)
    except ContentError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Video approved.") if decision == "approve" else _("Video rejected."), "success")
    return redirect(url_for("console.moderation", code=code))


@blp.post("/tenants/<code>/moderation/products/<int:product_id>/<any(block, unblock):action>")
@tenant_optional
@operator_only
def moderate_product(code: str, product_id: int, action: str) -> Any:
    """Block (hide from buyers, with a reason the seller sees) or unblock a product."""
    try:
        with tenant_session(code, write=True) as (tenant, session):
            if action == "block":
                catalog.block_product(session, tenant, product_id, request.form.get("reason", ""))
            else:
                catalog.unblock_product(session, tenant, product_id)
    except CatalogNotFound:
        abort(404)
    except CatalogError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Product hidden.") if action == "block" else _("Product listed again."), "success")
    return redirect(url_for("console.moderation", code=code))


# --- feature switches ---------------------------------------------------------------------------
@blp.route("/tenants/<code>/features", methods=["GET", "POST"])
@tenant_optional
@operator_only
def features(code: str) -> Any:
    """Switch a feature within what the tenant's plugins allow; every change is audited."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        feature = request.form.get("feature", "")
        enabled = request.form.get("enabled") == "on"
        try:
            with tenant_session(code, write=True) as (tenant, session):
                change = tenancy.switch_feature(
                    session, tenant, feature, enabled, operator_id=operator().id,
                    operator_email=operator().email, reason=request.form.get("reason", ""), at=clock.now())
        except tenancy.FeatureSwitchRefused as exc:
            errors[exc.field] = str(exc)
        else:
            if change is None:
                flash(_("Nothing changed: %(feature)s is already %(state)s.", feature=feature,
                        state=_("on") if enabled else _("off")), "success")
            else:
                flash(_("%(feature)s switched %(state)s.", feature=feature,
                        state=_("on") if enabled else _("off")), "success")
            return redirect(url_for("console.features", code=code))
    with tenant_session(code) as (tenant, session):
        switches = tenancy.feature_switches(tenant)
        changes = tenancy.feature_changes(session, tenant)
        status = 422 if errors else 200
        return page("features.html", tenant=tenant, switches=switches, changes=changes, errors=errors,
                    form=request.form), status
