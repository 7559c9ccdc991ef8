"""The seller center's blueprint and the plumbing every area of it shares.

Pages are thin: they read the form, call the same services the REST API calls, commit, flash
and redirect (post/redirect/get, so a reload never repeats an action). A refusal of a service
is shown next to the field it names (``aria-invalid`` + a message the field is described by)
and the page is rendered again with what was typed (422); an action button's refusal is a
flash on the page it came from.

Who acts: the signed-in user's shop is ``principal.seller_id`` — never an id from the URL —
so another shop's order, product or return answers 404 like an unknown id, and another
tenant's objects are invisible anyway (the session only sees the request's tenant).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_percent, gettext as _
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from pasar.accounts.service import Principal
from pasar.ads.errors import AdsError
from pasar.catalog.errors import CatalogError
from pasar.catalog.images import ImageRejected
from pasar.config import Settings
from pasar.i18n import locale_name
from pasar.content.errors import ContentError
from pasar.content.rules import Author
from pasar.contracts import ProviderUnavailable
from pasar.creators.service import CreatorError
from pasar.ledger.service import LedgerError
from pasar.orders.service import OrderError
from pasar.orders.state import InvalidTransition
from pasar.pages import login_required, protect, web_principal
from pasar.payments.refunds import RefundError
from pasar.returns.service import ReturnError
from pasar.seller_center.labels import label
from pasar.sellers import service as sellers
from pasar.sellers.models import Seller
from pasar.shipping.service import ShippingError
from pasar.tenancy.service import TenantContext
from pasar.web import current_tenant, db_session, write_session

__all__ = [
    "Form", "REFUSALS", "author", "blp", "commit_or_refuse", "current_shop", "errors_of", "page",
    "seller_page", "settings", "shop_id", "signed_in",
]

blp = protect(Blueprint("seller_center", __name__, url_prefix="/seller"))

#: Every refusal a domain service may raise for a seller's input or action; anything else is a
#: bug and is left to fail loudly.
REFUSALS: tuple[type[Exception], ...] = (
    sellers.SellerError, CatalogError, ImageRejected, OrderError, InvalidTransition, ShippingError,
    ReturnError, RefundError, ContentError, CreatorError, LedgerError, AdsError, ProviderUnavailable,
)
FORM = "_form"  # errors that belong to no one field
LIVE_FEATURE, AFFILIATE_FEATURE, ADS_FEATURE = "live_shopping", "affiliate", "ads"


@blp.context_processor
def _helpers() -> dict[str, Any]:
    return {"label": label, "seller_nav": seller_nav, "locale_label": locale_name, "percent": percent}


def percent(fraction: Any) -> str:
    """``0.125`` → "12.5 %" in the active language."""
    return format_percent(fraction, format="#,##0.##%")


def seller_nav() -> list[tuple[str, str, str]]:
    """(endpoint, text, area) of the seller center's sections this shop may use: live, affiliate
    and ads only where the marketplace has the feature; none before the user has a shop."""
    principal = web_principal()
    if principal is None or not principal.has("seller") or principal.seller_id is None:
        return []
    tenant = current_tenant()
    wanted = [
        ("seller_center.dashboard", _("Shop"), "shop", None),
        ("seller_center.products", _("Products"), "products", None),
        ("seller_center.inventory", _("Inventory"), "inventory", None),
        ("seller_center.orders", _("Orders"), "orders", None),
        ("seller_center.returns", _("Returns"), "returns", None),
        ("seller_center.lives", _("Live"), "live", LIVE_FEATURE),
        ("seller_center.affiliate", _("Affiliates"), "affiliate", AFFILIATE_FEATURE),
        ("seller_center.campaigns", _("Ads"), "ads", ADS_FEATURE),
        ("seller_center.money", _("Money"), "money", None),
    ]
    return [(endpoint, text, area) for endpoint, text, area, feature in wanted
            if (feature is None or tenant.has_feature(feature)) and endpoint in current_app.view_functions]


def seller_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page for the staff of a shop: signed in (else to sign-in and back) with the seller
    role (else 403)."""
    return login_required("seller")(view)


def signed_in() -> Principal:
    principal = web_principal()
    assert principal is not None, "views calling signed_in() are behind login_required"
    return principal


def shop_id() -> int:
    """The shop the signed-in seller staffs; a seller role without a shop may not act (403)."""
    seller_id = signed_in().seller_id
    if seller_id is None:
        abort(403)
    return seller_id


def current_shop() -> Seller:
    return sellers.get_seller(db_session(), current_tenant(), shop_id())


def author() -> Author:
    """The signed-in seller's shop as the host of live sessions."""
    principal = signed_in()
    return Author(kind="seller", user_id=principal.id, seller_id=shop_id(), creator_id=principal.creator_id)


def settings() -> Settings:
    settings_: Settings = current_app.config["PASAR"]
    return settings_


def errors_of(exc: Exception) -> dict[str, str]:
    """A refusal as field → message. Services name the field they refuse (``price``,
    ``kyc.nib``, ``texts.en_GB.title``); one that names none goes above the form."""
    named: Mapping[str, Any] | None = getattr(exc, "errors", None)
    if isinstance(named, Mapping) and named:
        return {key: " ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
                for key, value in named.items()}
    message = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, ProviderUnavailable):
        message = _("The provider did not answer. Nothing was changed; try again.")
    return {getattr(exc, "field", None) or FORM: message}


@dataclass
class Form:
    """What was typed and what is wrong with it, for rendering a form again."""

    values: Mapping[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def posted(cls) -> Form:
        return cls(values=request.form)

    def get(self, name: str, default: Any = "") -> Any:
        return self.values.get(name, default)

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    def refuse(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def unplaced(self, placed: set[str] | frozenset[str]) -> list[str]:
        """Messages for fields the page has no input for: shown above the form, never lost."""
        return [message for name, message in self.errors.items() if name not in placed]


def page(template: str, http_status: int = 200, /, **context: Any) -> tuple[str, int]:
    """Render a seller center page (every page gets the tenant and the active area)."""
    return render_template(template, tenant=current_tenant(), **context), http_status


@dataclass
class Outcome:
    """Whether the block of ``commit_or_refuse`` was stored."""

    ok: bool = False


@contextmanager
def commit_or_refuse(session: Session, form: Form | None = None) -> Iterator[Outcome]:
    """Run the service calls of the block, then commit (``outcome.ok``). A refusal rolls back
    and is recorded in ``form`` (to render the form again) or, for an action button, flashed
    for the page the caller redirects to. Either way nothing of the block is stored."""
    outcome = Outcome()
    try:
        yield outcome
        session.commit()
        outcome.ok = True
    except REFUSALS as exc:
        session.rollback()
        if form is not None:
            form.errors.update(errors_of(exc))
        else:
            for message in errors_of(exc).values():
                flash(message, "error")


def back_to(endpoint: str, **values: Any) -> Response:
    return redirect(url_for(endpoint, **values))


@blp.before_request
def _begin_as_writer() -> None:
    """A form post changes something: its transaction begins as a writer before anything is
    read (SQLite: ``BEGIN IMMEDIATE``), so two posts changing one object queue instead of one
    failing halfway. Runs after the CSRF check (registered first), so a forged post begins
    nothing."""
    if request.method == "POST":
        write_session()


def writer() -> Session:
    """The request's session as a writer: the one begun for the post, or — after a view
    committed part of its work (a label is bought with no transaction open) — a new one."""
    session = db_session()
    return session if session.in_transaction() else write_session()


def tenant() -> TenantContext:
    return current_tenant()
