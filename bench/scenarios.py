"""The benchmarked requests. Each scenario sends the same request to the kernel and to its
raw-SQL twin (``bench/twin.py``), which answer the same URLs; ``setup`` runs untimed before
each request (a checkout needs a filled cart).

Targets come from the issue: a ratio to the twin (kernel median / twin median) and, for some,
a most SQL statements per request. ``pair`` names the scenario with the other page size, whose
statement count must be the same (a count that grows with the page is an N+1).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from world import World, checkout_body, fill_cart, signed_webhook

Request = Callable[[Any, World, int], Any]


@dataclass(frozen=True)
class Scenario:
    name: str
    request: Request
    setup: Callable[[World, int], None] | None = None
    max_ratio: float | None = None
    max_statements: int | None = None
    pair: str | None = None  # the same request with another page size
    writes: bool = False
    loopback_path: str | None = None  # GET path for the wrk run, if it is benchmarked over loopback
    loopback_headers: dict[str, str] | None = None  # sent with it (besides the tenant)


LISTING_PATH = "/api/v1/products?category={category}&min_price=5.00&sort=price_asc&limit=20"


#: A client that must see fresh data asks past the kernel's catalog answer cache with this header
#: (standard HTTP); the "(uncached)" scenarios measure the work a cache miss does.
NO_CACHE = {"Cache-Control": "no-cache"}


def listing(limit: int, *, fresh: bool = False) -> Request:
    def call(client: Any, world: World, i: int) -> Any:
        return client.get(f"/api/v1/products?category={world.category_id}&min_price=5.00&sort=price_asc&limit={limit}",
                          headers={**world.public, **(NO_CACHE if fresh else {})})

    return call


def detail_request(*, fresh: bool) -> Request:
    def call(client: Any, world: World, i: int) -> Any:
        return client.get(f"/api/v1/products/{world.detail_product_id}",
                          headers={**world.public, **(NO_CACHE if fresh else {})})

    return call


detail = detail_request(fresh=False)


def search(limit: int) -> Request:
    def call(client: Any, world: World, i: int) -> Any:
        return client.get(f"/api/v1/search?q={world.search_term}&limit={limit}", headers=world.public)

    return call


def feed(limit: int) -> Request:
    def call(client: Any, world: World, i: int) -> Any:
        return client.get(f"/api/v1/feed?limit={limit}", headers=world.buyers[1 + i % 8])

    return call


def cart_add(client: Any, world: World, i: int) -> Any:
    buyer = 10 + i % (len(world.buyers) - 10)
    return client.post("/api/v1/cart/lines", json={"variant_id": world.cart_variant_id, "quantity": 1},
                       headers=world.buyers[buyer])


def _checkout_buyer(i: int) -> int:
    return 2 + i % 8


def checkout_setup(world: World, i: int) -> None:
    fill_cart(world, _checkout_buyer(i))


def checkout(client: Any, world: World, i: int) -> Any:
    return client.post("/api/v1/checkout", json=checkout_body(world),
                       headers={**world.buyers[_checkout_buyer(i)], "Idempotency-Key": uuid.uuid4().hex})


def seller_orders(limit: int) -> Request:
    def call(client: Any, world: World, i: int) -> Any:
        return client.get(f"/api/v1/seller/orders?limit={limit}", headers=world.seller_headers)

    return call


def webhook(client: Any, world: World, i: int) -> Any:
    path, body, headers = signed_webhook(world)
    return client.post(path, data=body, headers=headers)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("catalog listing, 20", listing(20), max_ratio=1.3, pair="catalog listing, 100", loopback_path=LISTING_PATH),
    Scenario("catalog listing, 100", listing(100), max_ratio=1.3, pair="catalog listing, 20"),
    Scenario("catalog listing, 20 (uncached)", listing(20, fresh=True), max_ratio=1.3,
             pair="catalog listing, 100 (uncached)", loopback_path=LISTING_PATH, loopback_headers=NO_CACHE),
    Scenario("catalog listing, 100 (uncached)", listing(100, fresh=True), max_ratio=1.3,
             pair="catalog listing, 20 (uncached)"),
    Scenario("product detail", detail, max_ratio=1.3, loopback_path="/api/v1/products/{product}"),
    Scenario("product detail (uncached)", detail_request(fresh=True), max_ratio=1.3,
             loopback_path="/api/v1/products/{product}", loopback_headers=NO_CACHE),
    Scenario("search, 20", search(20), pair="search, 50"),
    Scenario("search, 50", search(50), pair="search, 20"),
    Scenario("For You feed, 20", feed(20), max_ratio=2.0, max_statements=4, pair="For You feed, 50"),
    Scenario("For You feed, 50", feed(50), max_ratio=2.0, max_statements=4, pair="For You feed, 20"),
    Scenario("add to cart", cart_add, writes=True),
    Scenario("checkout, 3 lines of 2 shops", checkout, setup=checkout_setup, max_ratio=1.5, max_statements=12,
             writes=True),
    Scenario("seller's orders, 20", seller_orders(20), pair="seller's orders, 100"),
    Scenario("seller's orders, 100", seller_orders(100), pair="seller's orders, 20"),
    Scenario("payment webhook", webhook, writes=True),
)

#: Plumbing every request pays before its own work: the tenant (with its host names) and the
#: bearer token with its user. Counted apart so a scenario's own statements stand out.
PLUMBING_TABLES = ("FROM tenants", "FROM tenant_hosts", "FROM tenant_feature_overrides", "FROM auth_tokens", "UPDATE auth_tokens", "FROM users ")


def plumbing(statement: str) -> bool:
    flat = " ".join(statement.split())
    return any(table in flat for table in PLUMBING_TABLES) and flat.startswith(("SELECT", "UPDATE"))
