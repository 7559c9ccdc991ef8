"""Storefront pages for buyers: For You, videos, live rooms, the shopping tab, search,
categories and product pages — server-rendered, in the buyer's language and currency.

With no tenant (``http://localhost:5000/``) the home page lists every marketplace.

Views are thin: they read the request, call ``pasar.storefront.discover`` (which calls the
domains' services, the same the REST API calls) and render. The few writes a buyer makes here
(a like, a product click under a video or in a live room, a comment) go through the content
service in a writer transaction and are committed by the view. Forms work without JavaScript;
the small scripts in ``static/storefront/`` only do the same requests in place.

Pages of a feature the tenant does not have (videos, live shopping, the shopping tab) answer a
404 page naming the feature. The cart and orders pages belong to ``storefront_buy``; links to
them appear once those endpoints exist (``nav_links``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any

from flask import (Blueprint, Response, current_app, flash, g, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import BuildError

from pasar import clock
from pasar.accounts.service import Principal
from pasar.api import http_problem
from pasar.catalog.api import presenter
from pasar.catalog.errors import CatalogNotFound, InvalidCatalogInput
from pasar.clock import today_in
from pasar.content import live as lives
from pasar.content import service as content
from pasar.content.errors import ContentNotFound, InvalidContent, WrongState
from pasar.content.pubsub import broker_of
from pasar.discovery import service as discovery
from pasar.i18n import locale_name
from pasar.money import format_money, money
from pasar.pages import protect, remember_promotion_click, web_principal
from pasar.storefront import discover
from pasar.tenancy import service as tenancy
from pasar.web import current_tenant, database, db_session, tenant_optional, write_session

blp = protect(Blueprint("storefront", __name__, template_folder="../templates"))

SAMPLE_PRICE = Decimal("1234567")
#: The path of ``storefront_buy.cart_add`` (the cart helper's route) while it is not registered.
CART_ADD_PATH = "/cart/add"
#: Where a product page can be opened from and passes on to the cart (``storefront_buy``).
SOURCES = ("video", "live")
FEATURE_NAMES: dict[str, Any] = {
    discover.VIDEOS: _l("Videos"),
    discover.LIVE: _l("Live shopping"),
    discover.SHOP_TAB: _l("The shopping tab"),
    discover.ADS: _l("Sponsored items"),
    "affiliate": _l("Creator links"),
}


# --- plumbing -----------------------------------------------------------------------------------
def buyer() -> Principal | None:
    """The signed-in buyer of this tenant, or None (operators and signed-out visitors)."""
    principal = web_principal()
    return principal if principal is not None and principal.kind == "user" and principal.has("buyer") else None


def buyer_id() -> int | None:
    found = buyer()
    return found.id if found is not None else None


def wants_json() -> bool:
    """A script's in-place request (``Accept: application/json``) rather than a form post."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def signin_first(back: str) -> Any:
    """A buyer action while signed out: sign in, then come back to the page (not the POST)."""
    target = url_for("pages.signin", next=back)
    if wants_json():
        return jsonify(error=_("Sign in first."), signin=target), 401
    return redirect(target)


def viewers_of(live_id: int) -> int:
    return broker_of(current_app).viewers(lives.room_name(current_tenant(), live_id))


def page_feature(feature: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Only where the tenant has ``feature``; elsewhere a 404 page that names it."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_tenant().has_feature(feature):
                return render_template("storefront/feature_off.html", feature=feature,
                                       feature_name=FEATURE_NAMES.get(feature, feature)), 404
            return view(*args, **kwargs)

        return guarded

    return decorate


@blp.errorhandler(HTTPException)
def error_page(error: HTTPException) -> Any:
    """Errors of these pages as pages (a script asking for JSON gets the usual problem)."""
    if wants_json() or g.get("tenant") is None:
        return http_problem(error)
    return render_template("storefront/error.html", error=error), error.code or 500


# --- template helpers (every storefront template, the cart helper's included) -------------------
@dataclass(frozen=True)
class NavLink:
    endpoint: str
    label: str
    url: str
    current: bool
    badge: int | None = None


def endpoint_url(endpoint: str, **values: Any) -> str | None:
    """``url_for`` for an endpoint that may not be registered yet (None then)."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def cart_add_url() -> str:
    """Where add-to-cart forms post: ``storefront_buy.cart_add`` (``POST /cart/add``)."""
    return endpoint_url("storefront_buy.cart_add") or request.script_root + CART_ADD_PATH


def nav_links() -> list[NavLink]:
    """The buyer's header: For You, Live, Shop (where the features are on), Cart with its
    count, Orders — each only once its endpoint exists."""
    tenant = g.get("tenant")
    if tenant is None:
        return []
    wanted: list[tuple[str, Any, str | None]] = [
        ("storefront.home", _("For You"), None),
        ("storefront.lives", _("Live"), discover.LIVE),
        ("storefront.shop", _("Shop"), discover.SHOP_TAB),
        ("storefront_buy.cart", _("Cart"), None),
        ("storefront_buy.orders", _("Orders"), None),
    ]
    links = []
    for endpoint, label, feature in wanted:
        url = endpoint_url(endpoint)
        if url is None or (feature is not None and not tenant.has_feature(feature)):
            continue
        badge = _cart_badge() if endpoint == "storefront_buy.cart" else None
        links.append(NavLink(endpoint, str(label), url, request.endpoint == endpoint, badge))
    return links


def _cart_badge() -> int:
    found = buyer_id()
    return discover.cart_count(db_session(), current_tenant(), found) if found is not None else 0


@dataclass(frozen=True)
class Facts:
    """About this marketplace: how it takes payment, who delivers, tax and returns."""

    methods: list[Any]
    carriers: list[Any]
    rules: Any
    sample: str


def marketplace_facts() -> Facts | None:
    tenant = g.get("tenant")
    if tenant is None:
        return None
    sample = format_money(money(SAMPLE_PRICE, tenant.currency), str(get_locale()), tenant.currency_rules())
    return Facts(tenant.payment_methods(), tenant.carriers(), tenant.consumer_rules(today_in(tenant.config.timezone)),
                 sample)


@blp.app_context_processor
def storefront_helpers() -> dict[str, Any]:
    return {"storefront_nav": nav_links, "marketplace_facts": marketplace_facts, "endpoint_url": endpoint_url,
            "cart_add_url": cart_add_url, "feature_names": FEATURE_NAMES}


@blp.context_processor
def page_context() -> dict[str, Any]:
    """What this blueprint's pages all use: the tenant and whether a buyer is signed in."""
    return {"tenant": g.get("tenant"), "is_buyer": buyer() is not None if g.get("tenant") else False}


# --- For You ------------------------------------------------------------------------------------
@blp.get("/")
@tenant_optional
def home() -> Any:
    """The For You feed: the live rail on top, then ranked products, videos and lives."""
    tenant = g.get("tenant")
    if tenant is None:
        return tenant_index()
    session, show, buyer = db_session(), presenter(), buyer_id()
    cursor = request.args.get("cursor") or None
    try:
        draft = discovery.draft(session, tenant, buyer, cursor=cursor, limit=discover.PAGE_SIZE, locale=show.locale)
    except discovery.InvalidFeedRequest:
        flash(_("That page of the feed is gone. Here is a fresh one."), "error")
        return redirect(url_for(".home"))
    served: list[discovery.FeedItem] = []
    if draft.sponsored:  # like the API: the reads are done, charging the shown ads stays short
        session.rollback()
        served = discovery.record_sponsored(write_session(), tenant, draft, buyer_id=buyer)
        session.commit()
    page = discover.feed_view(show, discovery.assemble(draft, served), viewers_of)
    live_now = discover.live_rail(session, tenant, show, viewers_of) if cursor is None else []
    return render_template("storefront/home.html", page=page, live_now=live_now, cursor=cursor)


@blp.post("/sponsored", endpoint="sponsored_click")
@page_feature(discover.ADS)
def sponsored_click() -> Any:
    """Opening a sponsored item: the ads service counts the click of its impression (once per
    token, charged for cost-per-click campaigns), then the product or video opens. A form, so
    no other site can click an ad in a buyer's name."""
    from pasar.ads import service as ads

    session = write_session()
    try:
        click = ads.record_click(session, current_tenant(), request.form.get("token", ""), buyer_id=buyer_id(),
                                 at=clock.now())
    except ads.AdsNotFound:
        raise NotFound(_("This offer has ended.")) from None
    session.commit()
    if click.kind == "video":
        return redirect(url_for(".video", video_id=click.target_id))
    return redirect(url_for(".product", product_id=click.target_id))


@blp.get("/r/<string:code>", endpoint="promotion_link")
@page_feature("affiliate")
def promotion_link(code: str) -> Any:
    """A creator's link opened in a browser: the click is counted (and credited at once for a
    signed-in buyer), then the product page opens. Signed out, the click is kept in a signed
    cookie of this tenant and credited when the visitor signs in or registers (``pages``)."""
    from pasar.creators import claims
    from pasar.creators.service import CreatorNotFound

    session = write_session()
    try:
        link, pending = claims.land(session, current_tenant(), code, buyer_id(), clock.now())
    except CreatorNotFound:
        raise NotFound(_("This link does not lead anywhere.")) from None
    session.commit()
    response = redirect(url_for(".product", product_id=link.product_id))
    return remember_promotion_click(response, pending) if pending is not None else response


def tenant_index() -> str:
    with database().session(all_tenants=True) as session:
        tenants = tenancy.list_tenants(session)
    port = request.host.partition(":")[2]
    return render_template("storefront/index.html", tenants=tenants, port=port)


@blp.get("/about")
def about() -> str:
    """The marketplace's facts on a page of their own (languages, currency, payment, delivery,
    tax and returns)."""
    tenant = current_tenant()
    return render_template("storefront/about.html", features=sorted(tenant.features()),
                           locales=[(code, locale_name(code)) for code in tenant.config.locales])


# --- videos -------------------------------------------------------------------------------------
@blp.get("/v/<int:video_id>")
@page_feature(discover.VIDEOS)
def video(video_id: int) -> Any:
    try:
        page = discover.video_page(db_session(), current_tenant(), presenter(), video_id)
    except ContentNotFound:
        raise NotFound(_("This video is not available.")) from None
    found = buyer_id()
    liked = found is not None and content.liked(db_session(), current_tenant(), found, video_id)
    return render_template("storefront/video.html", page=page, liked=liked)


@blp.post("/v/<int:video_id>/like")
@page_feature(discover.VIDEOS)
def like_video(video_id: int) -> Any:
    """The like button toggles: a buyer likes a video once, and pressing again takes the like
    back (through the content service; ``Accept: application/json``: the new state and count)."""
    back = url_for(".video", video_id=video_id)
    found = buyer()
    if found is None:
        return signin_first(back)
    tenant, session = current_tenant(), write_session()
    try:
        liked = not content.liked(session, tenant, found.id, video_id)
        if liked:
            content.like_video(session, tenant, found.id, video_id, at=clock.now())
        else:
            content.unlike_video(session, tenant, found.id, video_id)
    except ContentNotFound:
        raise NotFound(_("This video is not available.")) from None
    likes = content.counts(session, tenant, video_id)["like"]
    session.commit()
    if wants_json():
        return jsonify(likes=likes, liked=liked)
    return redirect(back)


@blp.post("/v/<int:video_id>/open")
@page_feature(discover.VIDEOS)
def open_video_product(video_id: int) -> Any:
    """A tap on a product under a video: the click is recorded for a signed-in buyer (creator
    attribution counts from it), then the product page opens. A form, not a link, so no other
    site can make a buyer's browser "click" for a creator."""
    product_id = request.form.get("product_id", type=int)
    if product_id is None:
        raise NotFound(_("This product is not available."))
    found = buyer()
    if found is not None:
        session = write_session()
        try:
            content.record_interaction(session, current_tenant(), found.id, video_id, "product_click",
                                       at=clock.now(), product_id=product_id)
        except (ContentNotFound, InvalidContent):
            raise NotFound(_("This product is not available.")) from None
        session.commit()
    return redirect(url_for(".product", product_id=product_id, src="video", sid=video_id))


# --- live ---------------------------------------------------------------------------------------
@blp.get("/live", endpoint="lives")
@page_feature(discover.LIVE)
def live_list() -> str:
    """On air now, coming up, and replays."""
    session, tenant, show = db_session(), current_tenant(), presenter()
    return render_template(
        "storefront/lives.html",
        live_now=discover.live_rail(session, tenant, show, viewers_of, "live"),
        upcoming=discover.live_rail(session, tenant, show, viewers_of, "scheduled"),
        replays=discover.live_rail(session, tenant, show, viewers_of, "ended"),
    )


@blp.get("/live/<int:live_id>")
@page_feature(discover.LIVE)
def live_room(live_id: int) -> Any:
    try:
        room = discover.live_room(db_session(), current_tenant(), presenter(), live_id, viewers_of)
    except ContentNotFound:
        raise NotFound(_("This live session is not available.")) from None
    events = url_for("content.EventsView", live_id=live_id)
    return render_template("storefront/live.html", room=room, events_url=events)


@blp.post("/live/<int:live_id>/comments")
@page_feature(discover.LIVE)
def live_comment(live_id: int) -> Any:
    """A comment or question from a signed-in buyer, through the content service, announced to
    the room like the API's (same rate limit, same event)."""
    from pasar.content.api import COMMENT_LIMIT, COMMENT_WINDOW_SECONDS, announce

    back = url_for(".live_room", live_id=live_id)
    found = buyer()
    if found is None:
        return signin_first(back)
    kind = request.form.get("kind", "comment")
    if kind not in lives.COMMENT_KINDS:
        return _refused(back, _("Choose a comment or a question."), 422)
    tenant = current_tenant()
    wait = broker_of(current_app).hit(f"{tenant.code}:live:{live_id}:comments:{found.id}", COMMENT_LIMIT,
                                      COMMENT_WINDOW_SECONDS)
    if wait:
        return _refused(back, _("You are commenting fast: wait %(seconds)d s.", seconds=wait), 429)
    session = write_session()
    try:
        made = lives.comment(session, tenant, found.id, live_id, request.form.get("text", ""), clock.now())
    except ContentNotFound:
        raise NotFound(_("This live session is not available.")) from None
    except WrongState:
        return _refused(back, _("Comments are open while the live is on air."), 409)
    except InvalidContent:
        return _refused(back, _("Write something first."), 422)
    session.commit()
    event = announce(tenant, live_id, kind, {"text": made.text, "author": (found.name or _("buyer")).split()[0],
                                             "interaction_id": made.id})
    if wants_json():
        return jsonify(event), 201
    flash(_("Sent."), "success")
    return redirect(back)


def _refused(back: str, message: str, status: int) -> Any:
    if wants_json():
        return jsonify(error=message), status
    flash(message, "error")
    return redirect(back)


@blp.post("/live/<int:live_id>/open")
@page_feature(discover.LIVE)
def open_live_product(live_id: int) -> Any:
    """A tap on a showcase product: recorded for a signed-in buyer (attribution to a creator
    host counts from it), then the product page."""
    product_id = request.form.get("product_id", type=int)
    if product_id is None:
        raise NotFound(_("This product is not available."))
    found = buyer()
    if found is not None:
        session = write_session()
        try:
            lives.record_interaction(session, current_tenant(), found.id, live_id, "product_click", at=clock.now(),
                                     product_id=product_id)
        except (ContentNotFound, InvalidContent):
            raise NotFound(_("This product is not available.")) from None
        except WrongState:
            session.rollback()  # not started yet: nothing to count, the product still opens
        else:
            session.commit()
    return redirect(url_for(".product", product_id=product_id, src="live", sid=live_id))


# --- shopping tab, search, categories ------------------------------------------------------------
@blp.get("/shop")
@page_feature(discover.SHOP_TAB)
def shop() -> str:
    page = discover.shop_page(db_session(), current_tenant(), presenter(), buyer_id())
    return render_template("storefront/shop.html", page=page)


@blp.get("/search")
def search() -> Any:
    """Ranked search in any of the tenant's languages, twenty a page."""
    query = request.args.get("q", "").strip()
    offset = max(request.args.get("offset", 0, type=int) or 0, 0)
    results, error = None, None
    if query:
        try:
            results = discover.search_page(db_session(), current_tenant(), presenter(), query, offset)
        except discovery.InvalidSearch as exc:
            error = _("This search cannot be run: %(reason)s", reason=exc.message)
    return render_template("storefront/search.html", query=query, offset=offset, results=results,
                           error=error), (422 if error else 200)


@blp.get("/c/<int:category_id>")
def category(category_id: int) -> Any:
    sort = request.args.get("sort", "newest")
    try:
        page = discover.category_page(db_session(), current_tenant(), presenter(), category_id, sort=sort,
                                      cursor=request.args.get("cursor") or None)
    except CatalogNotFound:
        raise NotFound(_("This category does not exist.")) from None
    except InvalidCatalogInput:
        return redirect(url_for(".category", category_id=category_id))
    return render_template("storefront/category.html", page=page, sort=sort)


# --- a product ----------------------------------------------------------------------------------
@blp.get("/p/<int:product_id>")
def product(product_id: int) -> Any:
    """A product page; ``?src=video|live&sid=<id>`` says where the buyer tapped it, so adding
    to the cart from here carries that source (a live room's deal and attribution)."""
    source = (request.args.get("src", ""), request.args.get("sid", type=int))
    kind, number = source if source[0] in SOURCES and source[1] is not None else (None, None)
    try:
        page = discover.product_page(db_session(), current_tenant(), presenter(), product_id,
                                     live_session_id=number if kind == "live" else None)
    except CatalogNotFound:
        raise NotFound(_("This product is not for sale.")) from None
    return render_template("storefront/product.html", page=page, source_kind=kind, source_id=number)
