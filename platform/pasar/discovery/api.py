"""Discovery endpoints: ``/search``, the shopping tab ``/shop`` (only where the tenant has the
``shopping_tab`` feature) and the For You feed ``/feed``.

All three are public; a signed-in buyer's feed and recommendations are personalised.
"""
from __future__ import annotations

from typing import Any, NoReturn

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from pasar.deals.api import deals_json
from pasar.accounts.auth import current_principal
from pasar.catalog.api import category_json, locale, presenter
from pasar.catalog.listing import Presenter, summaries
from pasar.content.live import room_name
from pasar.content.pubsub import broker_of
from pasar.discovery import service
from pasar.discovery.candidates import Card, Shown
from pasar.discovery.explain import render
from pasar.discovery.feed import candidate_payload
from pasar.discovery.schemas import FeedArgsSchema, FeedPageSchema, SearchArgsSchema, SearchPageSchema, ShopTabSchema
from pasar.web import current_tenant, db_session, require_feature, write_session

blp = Blueprint("discovery", __name__, url_prefix="/api/v1", description="Search, shopping tab, For You feed")


def _abort(exc: service.InvalidSearch | service.InvalidFeedRequest) -> NoReturn:
    abort(422, message=exc.message, errors={exc.field: [exc.message]})


def _buyer_id() -> int | None:
    principal = current_principal()
    return principal.id if principal is not None and principal.kind == "user" else None


@blp.route("/search")
class SearchView(MethodView):
    @blp.arguments(SearchArgsSchema, location="query")
    @blp.response(200, SearchPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Search public products by title and description, best match first"""
        try:
            page = service.search(db_session(), current_tenant(), args["q"], limit=args["limit"], offset=args["offset"])
        except service.InvalidSearch as exc:
            _abort(exc)
        return {"items": summaries(presenter(), page.rows), "next_offset": page.next_offset}


@blp.route("/shop")
class ShopView(MethodView):
    @require_feature("shopping_tab")
    @blp.response(200, ShopTabSchema)
    def get(self) -> dict[str, Any]:
        """The shopping tab: categories, deals, search and recommendations"""
        tab = service.shop_tab(db_session(), current_tenant(), _buyer_id())
        return {
            "categories": [category_json(c) for c in tab.categories], "deals": deals_json(tab.deals),
            "search": {"endpoint": "/api/v1/search", "parameter": "q"},
            "recommendations": summaries(presenter(), tab.recommendations),
        }


@blp.route("/feed")
class FeedView(MethodView):
    @blp.arguments(FeedArgsSchema, location="query")
    @blp.response(200, FeedPageSchema)
    def get(self, args: dict[str, Any]) -> Response:
        """The For You feed: products, videos and lives on air, ranked for the signed-in buyer
        (popular and new when signed out), with sponsored items in the 3rd and 10th places"""
        tenant, session, buyer_id = current_tenant(), db_session(), _buyer_id()
        try:
            page = service.draft(session, tenant, buyer_id, cursor=args.get("cursor"), limit=args["limit"],
                                 locale=locale())
        except service.InvalidFeedRequest as exc:
            _abort(exc)
        served: list[service.FeedItem] = []
        if page.sponsored:
            session.rollback()  # the reads are done: the transaction that charges the ads stays short
            served = service.record_sponsored(write_session(), tenant, page, buyer_id=buyer_id)
            session.commit()
        result = service.assemble(page, served)
        show = presenter()
        # Already what FeedPageSchema dumps (the schema still documents it; tests/discovery
        # checks the answer against it): no marshmallow dump, a fifth of a page's time.
        return current_app.json.response({"items": [feed_item_json(show, item) for item in result.items],
                                          "next_cursor": result.next_cursor})


def feed_item_json(show: Presenter, item: service.FeedItem) -> dict[str, Any]:
    """One feed item as the API answers it (as ``FeedItemSchema`` dumps it: times as ISO 8601);
    the explanation in the request's language."""
    shown = item.shown
    return {
        **candidate_payload(item.ranked), "click_token": item.click_token, "explanation": render(item.reason),
        "explanation_code": item.reason.code, "explanation_params": dict(item.reason.params),
        "product": card_json(show, item.product) if item.product is not None else None,
        "video": _video_json(show, item) if shown is not None and shown.kind == "video" else None,
        "live_session": _live_json(show, shown) if shown is not None and shown.kind == "live" else None,
    }


def card_json(show: Presenter, card: Card) -> dict[str, Any]:
    """A product card (the catalogue's summary fields, the description left out)."""
    return {
        "id": card.id, "seller_id": card.seller_id, "seller_name": card.seller_name, "category_id": card.category_id,
        "currency": show.tenant.currency, "title": card.title, "locale": card.locale, **show.price(card.price_minor),
        "in_stock": card.in_stock, "thumbnail_url": show.media_url(card.thumbnail_path) if card.thumbnail_path else None,
        "created_at": card.created_at.isoformat(),
    }


def _video_json(show: Presenter, item: service.FeedItem) -> dict[str, Any]:
    shown = item.shown
    assert shown is not None
    return {
        "id": shown.id, "author_kind": shown.author_kind, "author_name": shown.author_name, "caption": shown.text,
        "cover_url": shown.cover_url, "media_url": shown.media_url or "",
        "anchors": [card_json(show, card) for card in item.anchors],
    }


def _live_json(show: Presenter, shown: Shown) -> dict[str, Any]:
    return {
        "id": shown.id, "title": shown.text, "host_kind": shown.author_kind, "host_name": shown.author_name,
        "viewers": broker_of(current_app).viewers(room_name(show.tenant, shown.id)),
        "started_at": shown.started_at.isoformat() if shown.started_at is not None else None,
        "events": f"/api/v1/live/{shown.id}/events",
    }
