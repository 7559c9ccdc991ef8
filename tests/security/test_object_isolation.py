"""Every route with an object id, taken from the OpenAPI document so new routes are covered
automatically: another tenant's, another seller's or another buyer's object answers 404 —
never 403, never the object — and is left unchanged.

A route whose path parameter this test does not know fails ``test_every_object_route_is_covered``
until someone teaches ``World`` how to make that kind of object.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

#: Path parameters that name an object (the rest — provider, method, carrier, path — do not).
OBJECT_PARAMS = {"seller_id", "document_id", "product_id", "variant_id", "order_id", "return_id",
                 "line_id", "checkout_id", "tracking", "deal_id", "video_id", "live_id", "creator_id",
                 "offer_id", "collaboration_id", "code", "campaign_id", "spark_code_id",
                 "tenant"}
#: Routes not about tenant objects: signed webhooks (the signature is the auth) and media files
#: addressed by tenant in the path (tested in the catalog's own tests).
SKIPPED_PREFIXES = ("/api/v1/webhooks/", "/media/")
METHODS = ("get", "post", "put", "patch", "delete")


def role_of(path: str) -> str:
    for prefix, role in (("/api/v1/operator/", "operator"), ("/api/v1/seller/", "seller"),
                         ("/sandbox/", "seller"), ("/api/v1/creator/", "creator")):
        if path.startswith(prefix):
            return role
    return "buyer"


@dataclass
class Scope:
    """One owner's objects: ids by path parameter."""

    ids: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    """Two shops and two buyers in uk, one of each in de, each with products and orders."""

    mine: dict[str, dict[str, str]]  # role -> auth headers of the caller in uk
    other_owner: Scope  # objects of another seller / buyer in uk
    other_tenant: Scope  # objects in de
    tenant_code: str = "uk"


def _objects(app: Any, commerce: Any, make_seller: Any, make_product: Any, login: Any,
             code: str) -> tuple[Scope, dict[str, dict[str, str]]]:
    """One shop, creator and buyer in ``code`` with one of every kind of object."""
    from pasar.testing.content_factories import lives_for, videos_for
    from pasar.testing.creators_factories import collaborations_for, creators_for
    from pasar.testing.deals_factories import deal_body

    seller = make_seller(code)
    product = make_product(seller, stock=50)
    _, buyer = login(code, "buyer")
    placed = commerce.place_order(buyer, product, method="card")
    commerce.client.post("/api/v1/cart/lines", json={"variant_id": product.variant_id, "quantity": 1}, headers=buyer)
    creator = creators_for(app)(code)
    collaboration_id = collaborations_for(app)(seller, product, creator)
    deal = commerce.client.post("/api/v1/seller/deals", json=deal_body(product.variant_id, quota=5),
                                headers=seller.headers).json
    link = commerce.client.post("/api/v1/creator/links", json={"product_id": product.id},
                                headers=creator.headers).json
    ids = {"seller_id": seller.id, "product_id": product.id, "variant_id": product.variant_id,
           "order_id": placed.order_ids[0], "checkout_id": placed.checkout_id,
           "line_id": _first_line_id(commerce.client.get("/api/v1/cart", headers=buyer).json),
           "return_id": 10**9, "document_id": _document_id(app, code, seller.id), "tracking": "NOTRACKING0",
           "deal_id": deal["id"], "video_id": videos_for(app)(seller, [product]).id,
           "live_id": lives_for(app)(seller, [product], status="live").id, "creator_id": creator.id,
           "collaboration_id": collaboration_id, "offer_id": _offer_id(app, code, collaboration_id),
           "code": link.get("code", "NOCODE"), "tenant": code, **_ad_objects(app, commerce.client, seller, product, creator)}
    return Scope(ids), {"seller": seller.headers, "buyer": buyer, "creator": creator.headers}


def _ad_objects(app: Any, client: Any, seller: Any, product: Any, creator: Any) -> dict[str, int]:
    """A campaign of the shop's and a Spark code of the creator's (for its video of the product)."""
    from pasar.testing.ads_factories import campaign_body
    from pasar.testing.content_factories import videos_for

    campaign = client.post("/api/v1/seller/ads/campaigns", json=campaign_body(product_id=product.id),
                           headers=seller.headers).json
    spark = client.post("/api/v1/creator/ads/spark-codes", json={"video_id": videos_for(app)(creator, [product]).id},
                        headers=creator.headers).json
    return {"campaign_id": campaign["id"], "spark_code_id": spark["id"]}


def _offer_id(app: Any, code: str, collaboration_id: int) -> int:
    from pasar.creators.models import Collaboration
    from pasar.testing.accounts_factories import tenant_context

    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return int(session.get_one(Collaboration, collaboration_id).offer_id)


def _first_line_id(cart: dict[str, Any]) -> int:
    for key in ("sellers", "groups"):
        for group in cart.get(key, []):
            for line in group.get("lines", []):
                return int(line["id"])
    return int(cart["lines"][0]["id"])


def _document_id(app: Any, code: str, seller_id: int) -> int:
    from pasar.sellers.models import SellerDocument
    from pasar.testing.accounts_factories import tenant_context
    from sqlalchemy import select

    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return int(session.scalar(select(SellerDocument.id).where(SellerDocument.seller_id == seller_id)))


@pytest.fixture(scope="module")
def world(app: Any) -> World:
    from pasar.testing.accounts_factories import logins_for, operator_logins_for
    from pasar.testing.catalog_factories import products_for
    from pasar.testing.commerce_factories import Commerce
    from pasar.testing.sellers_factories import sellers_for

    import tempfile
    from pathlib import Path

    uploads = Path(tempfile.mkdtemp(prefix="pasar-isolation-"))
    commerce, login = Commerce(app), logins_for(app)
    make_seller, make_product = sellers_for(app, uploads), products_for(app)
    _, mine = _objects(app, commerce, make_seller, make_product, login, "uk")
    other_owner, _ = _objects(app, commerce, make_seller, make_product, login, "uk")
    other_tenant, _ = _objects(app, commerce, make_seller, make_product, login, "de")
    mine["operator"] = {**operator_logins_for(app)(tenants=("uk",)), "X-Pasar-Tenant": "uk"}
    return World(mine, other_owner, other_tenant)


#: Routes about what one owner keeps to itself; other routes show or act on public objects
#: (a product page, a creator to follow, a video to like, an open offer to apply for).
OWNED_PREFIXES = ("/api/v1/seller/", "/api/v1/creator/", "/api/v1/orders", "/api/v1/cart", "/api/v1/checkout",
                  "/api/v1/operator/", "/sandbox/")
#: A live session is public, but only its host may run it.
HOST_ACTIONS = re.compile(r"^/api/v1/live/{live_id}/(start|end|pin|showcase|answers)$")


def owned(path: str) -> bool:
    return path.startswith(OWNED_PREFIXES) or bool(HOST_ACTIONS.match(path))


def object_routes(app: Any, *, owned_only: bool = False) -> Iterator[tuple[str, str, list[str]]]:
    """(method, path, params) of routes with an object id; ``owned_only`` keeps the ones that
    need a signed-in caller (public routes, like a product page, show any seller's object)."""
    spec = app.test_client().get("/api/v1/openapi.json").json
    for path, operations in spec["paths"].items():
        params = re.findall(r"{(\w+)}", path)
        if not params or path.startswith(SKIPPED_PREFIXES):
            continue
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            if owned_only and not owned(path):
                continue
            yield method, path, params


def test_every_object_route_is_covered(app: Any) -> None:
    unknown = {(p, path) for _m, path, params in object_routes(app) for p in params
               if p not in OBJECT_PARAMS and p not in {"tenant_code", "carrier"}}
    assert unknown == set(), "teach World how to make these objects"


def _url(path: str, scope: Scope, tenant_code: str) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "tenant_code":
            return tenant_code
        if name == "carrier":
            return "royal_mail"
        return str(scope.ids[name])

    return re.sub(r"{(\w+)}", fill, path)


def snapshot(app: Any, scope: Scope) -> tuple[Any, ...]:
    """What a leaking write would change: the order's status and totals, the variant's price
    and stock, the product's status, the seller's status."""
    from pasar.catalog.models import Inventory, Product, Variant
    from pasar.orders.models import Order
    from pasar.sellers.models import Seller

    ids = scope.ids
    with app.extensions["pasar.db"].session(all_tenants=True) as session:
        order = session.get(Order, ids["order_id"])
        variant = session.get(Variant, ids["variant_id"])
        stock = session.query(Inventory).filter_by(variant_id=ids["variant_id"]).one()
        return (order.status, order.total_minor, variant.price_minor, stock.on_hand, stock.reserved,
                session.get(Product, ids["product_id"]).status, session.get(Seller, ids["seller_id"]).status)


MISSING = Scope({name: 999_999_999 for name in OBJECT_PARAMS} | {"tracking": "NOSUCHPARCEL"})


def _status(client: Any, method: str, url: str, headers: dict[str, str]) -> int:
    return client.open(url, method=method.upper(), headers=headers, json={}).status_code


@pytest.mark.parametrize("scope_name", ["other_tenant", "other_owner"])
def test_another_owners_or_tenants_object_answers_404(app: Any, world: World, scope_name: str) -> None:
    """For each role that may call a route at all (a made-up id does not answer 401/403), a
    foreign object's id must answer exactly as a made-up id does: 404 (or 422 when the body
    was refused before any lookup) — so the answer never tells that the object exists."""
    client = app.test_client()
    scope: Scope = getattr(world, scope_name)
    before = snapshot(app, scope)
    leaks = []
    for method, path, _params in object_routes(app, owned_only=scope_name == "other_owner"):
        for role, headers in world.mine.items():
            if scope_name == "other_owner" and role == "operator":
                continue  # operators may see every shop of their own tenant
            control = _status(client, method, _url(path, MISSING, world.tenant_code), headers)
            if control in (401, 403, 405):
                continue  # this role may not call the route at all
            actual = _status(client, method, _url(path, scope, world.tenant_code), headers)
            if actual not in (404, 422) or (control == 404 and actual != 404 and actual != 422):
                leaks.append(f"{method.upper()} {path} as {role}: {actual} (a made-up id: {control})")
    assert not leaks, "\n".join(leaks)
    assert snapshot(app, scope) == before, "nothing of the other owner's changed"
