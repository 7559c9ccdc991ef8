"""Discovery endpoints: ``/search``, the shopping tab ``/shop`` (only where the tenant has the
``shopping_tab`` feature) and the For You feed ``/feed``.

All three are public; a signed-in buyer's feed and recommendations are personalised.
"""
from __future__ import annotations

from typing import Any, NoReturn

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from pasar.deals.api import deals_json
from pasar.accounts.auth import current_principal
from pasar.catalog.api import category_json, presenter
from pasar.catalog.listing import summaries
from pasar.discovery import service
from pasar.discovery.feed import candidate_payload
from pasar.discovery.schemas import FeedArgsSchema, FeedPageSchema, SearchArgsSchema, SearchPageSchema, ShopTabSchema
from pasar.web import current_tenant, db_session, require_feature

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
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The For You feed, ranked for the signed-in buyer (popular and new when signed out)"""
        try:
            page = service.feed(db_session(), current_tenant(), _buyer_id(), cursor=args.get("cursor"),
                                limit=args["limit"])
        except service.InvalidFeedRequest as exc:
            _abort(exc)
        show = presenter()
        items = []
        for item in page.items:
            found = page.products.get(item.candidate.product_id) if item.candidate.product_id else None
            card = show.summary(*found) if found else None
            items.append({**candidate_payload(item), "product": card})
        return {"items": items, "next_cursor": page.next_cursor}
