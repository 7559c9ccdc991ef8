"""SQL statements per request: constant in the page size, and no more than measured.

These guards time nothing: they count the statements an endpoint sends (transaction control
apart), so an N+1 query or a lost eager load fails CI on any machine. The bounds are what the
endpoints send today (bench/README.md explains how they were measured); lower them when an
endpoint gets cheaper. Every count includes the request's plumbing: the tenant lookup (tenant,
its host names, its feature switches) and, when signed in, the token and its user.

The tenant is ``de``: the EU prior-price rule makes a product page read price history, and
flash deals are on, so a cart line looks its deal up.
"""
from __future__ import annotations

import re
from typing import Any

import pytest

TENANT = "de"

# Measured bounds (the larger of the SQLite and PostgreSQL counts), plumbing included (1 for the
# tenant, 1 more when signed in). The webhook is the first one for its payment: it captures it,
# posts the ledger and (the test app runs tasks inline) publishes the outbox event.
# The public listing and product page, computed (``Cache-Control: no-cache``): the tenant, then
# one statement for a page of cards, three for a product page (product, variants with stock and
# price history, pictures). Answered from the catalog cache: the tenant lookup alone, which reads
# the catalog generation with it (``tenancy.read_with_stamp``).
LISTING = 2
DETAIL = 4
CACHED_READ = 1
SEARCH = 8
SELLER_ORDERS = 7
FEED = 8  # warm: the tenant's pool is held (pasar.discovery.pool); affinities, auction, cards
WEBHOOK = 35  # the first notice: captures, posts the ledger, relays the outbox inline (was 44)
# Any cart size: the variant with the buyer's line, stock and deal in one read, the line written,
# the cart answered in one read (the first add also makes the cart: one more). Was 20 + 4 a line.
CART_ADD = 5
# Any number of lines and shops, in two write transactions around the gateway call: the key held,
# the cart in one read, ship-from addresses, stock held in one UPDATE (the catalog generation
# moves with it), clicks; checkout, orders, lines, events inserted; bought lines deleted; the
# payment row. Then the gateway's record, the payment's answer and the key's answer (the answer
# is built from what is in hand). The test app also relays the outbox inline. Was 24 (seven
# transactions, the payment and the answer read again), 75 before that.
CHECKOUT = 22


def counted(count_statements: Any, call: Any, *, warm: bool = False) -> Any:
    """The statements of ``call()``; ``warm`` calls it once before (a read: the first use of a
    token also records its use, a write no later request repeats)."""
    if warm:
        call()
    with count_statements() as found:
        response = call()
    assert response.status_code < 400, response.get_json()
    return found


def explain(found: Any) -> str:
    return f"{found.count} statements:\n{found}"


@pytest.fixture()
def shop(make_seller: Any, make_product: Any) -> tuple[Any, list[Any]]:
    """A shop of the ``de`` tenant with twelve products (two of them with three variants)."""
    seller = make_seller(TENANT)
    products = [make_product(seller, variants=3 if i < 2 else 1, price=f"{10 + i}.00") for i in range(12)]
    return seller, products


FRESH = {"X-Pasar-Tenant": TENANT, "Cache-Control": "no-cache"}


def test_the_catalog_listing_is_the_same_statements_for_any_page_size(client: Any, shop: Any,
                                                                      count_statements: Any) -> None:
    seller, _ = shop
    for headers, most in ((FRESH, LISTING), ({"X-Pasar-Tenant": TENANT}, CACHED_READ)):
        pages = {
            limit: counted(count_statements, lambda limit=limit, headers=headers: client.get(
                f"/api/v1/products?seller={seller.id}&sort=price_asc&in_stock=true&limit={limit}",
                headers=headers), warm=True)
            for limit in (2, 10)
        }
        assert pages[2].count == pages[10].count, explain(pages[10])
        assert pages[10].count <= most, explain(pages[10])


def test_a_product_page_is_the_same_statements_for_any_number_of_variants(client: Any, shop: Any,
                                                                          count_statements: Any) -> None:
    _, products = shop
    one, three = products[2], products[0]
    for headers, most in ((FRESH, DETAIL), ({"X-Pasar-Tenant": TENANT}, CACHED_READ)):
        found = {
            len(p.variant_ids): counted(count_statements, lambda p=p, headers=headers: client.get(
                f"/api/v1/products/{p.id}", headers=headers), warm=True)
            for p in (one, three)
        }
        assert found[1].count == found[3].count, explain(found[3])
        assert found[3].count <= most, explain(found[3])


def test_search_is_the_same_statements_for_any_page_size(client: Any, shop: Any, count_statements: Any) -> None:
    pages = {
        limit: counted(count_statements, lambda limit=limit: client.get(
            f"/api/v1/search?q=product&limit={limit}", headers={"X-Pasar-Tenant": TENANT}), warm=True)
        for limit in (2, 10)
    }
    assert pages[2].count == pages[10].count, explain(pages[10])
    assert pages[10].count <= SEARCH, explain(pages[10])


def test_the_feed_is_the_same_statements_for_any_page_size(client: Any, shop: Any, login: Any,
                                                           count_statements: Any) -> None:
    _, headers = login(TENANT, "buyer")
    pages = {
        limit: counted(count_statements, lambda limit=limit: client.get(f"/api/v1/feed?limit={limit}", headers=headers), warm=True)
        for limit in (10, 30)  # both past the first sponsored slot: a tiny page reads no campaigns
    }
    assert pages[10].count == pages[30].count, f"{explain(pages[10])}\n---\n{explain(pages[30])}"
    assert pages[30].count <= FEED, explain(pages[30])


def test_a_sellers_order_list_is_the_same_statements_for_any_page_size(
    client: Any, shop: Any, login: Any, place_order: Any, held_webhooks: Any, count_statements: Any,
) -> None:
    seller, products = shop
    for product in products[:4]:
        _, buyer = login(TENANT, "buyer")
        place_order(buyer, product)
    pages = {
        limit: counted(count_statements, lambda limit=limit: client.get(
            f"/api/v1/seller/orders?limit={limit}", headers=seller.headers), warm=True)
        for limit in (2, 4)
    }
    assert len(client.get("/api/v1/seller/orders?limit=4", headers=seller.headers).json["items"]) == 4
    assert pages[2].count == pages[4].count, explain(pages[4])
    assert pages[4].count <= SELLER_ORDERS, explain(pages[4])


def test_adding_to_the_cart_is_the_same_statements_for_any_cart_size(
    client: Any, shop: Any, login: Any, count_statements: Any,
) -> None:
    _, products = shop
    _, buyer = login(TENANT, "buyer")
    client.get("/api/v1/cart", headers=buyer)  # the token's first use is recorded: not the cart's cost

    def add(product: Any) -> Any:
        return counted(count_statements, lambda: client.post(
            "/api/v1/cart/lines", json={"variant_id": product.variant_id, "quantity": 1}, headers=buyer))

    first = add(products[2])
    second = add(products[3])
    add(products[4])
    fourth = add(products[5])
    again = add(products[5])
    assert second.count == fourth.count == again.count, explain(fourth)
    assert fourth.count <= CART_ADD, explain(fourth)
    assert first.count <= CART_ADD + 1, explain(first)


def test_a_checkout_is_the_same_statements_for_three_lines_of_two_shops_and_six_of_three(
    client: Any, make_seller: Any, make_product: Any, login: Any, commerce: Any, held_webhooks: Any,
    count_statements: Any,
) -> None:
    first, second, third = make_seller(TENANT), make_seller(TENANT), make_seller(TENANT)
    carts = {
        3: [make_product(first), make_product(first), make_product(second)],
        6: [make_product(first), make_product(first), make_product(second), make_product(second),
            make_product(third), make_product(third)],
    }
    placed = {}
    for size, items in carts.items():
        _, buyer = login(TENANT, "buyer")
        for item in items:
            commerce.add_to_cart(buyer, item.variant_id)
        client.get("/api/v1/cart", headers=buyer)
        body = commerce.checkout_body(buyer)
        placed[size] = counted(count_statements, lambda body=body, buyer=buyer, size=size: client.post(
            "/api/v1/checkout", json=body, headers={**buyer, "Idempotency-Key": f"perf-guard-{size}"}))
    assert placed[3].count == placed[6].count, f"{explain(placed[3])}\n---\n{explain(placed[6])}"
    assert placed[3].count <= CHECKOUT, explain(placed[3])


# Payments (not counting the plumbing): a checkout's payment is its row, the gateway's record
# (one write: the payment and its idempotency key), the answer stored (one UPDATE) and the read
# for the checkout's answer; a notice about a payment with nothing left to move is the
# provider's record, the payment with any earlier delivery, the event, the payment's last event.
PAYMENT_START = 5
WEBHOOK_NOTHING_TO_MOVE = 4
PAYMENTS_TABLES = re.compile(r"\b(?:INTO|FROM|UPDATE|JOIN) (?:payments|payment_events|provider_state|cash_collections)\b")


def test_starting_a_checkouts_payment_costs_the_same_few_statements_for_any_number_of_shops(
    client: Any, make_seller: Any, make_product: Any, login: Any, commerce: Any, held_webhooks: Any,
    count_statements: Any,
) -> None:
    first, second = make_seller(TENANT), make_seller(TENANT)
    _, buyer = login(TENANT, "buyer")

    def payments_part(items: list[Any], key: str) -> list[str]:
        for item in items:
            commerce.add_to_cart(buyer, item.variant_id)
        body = commerce.checkout_body(buyer)
        placed = counted(count_statements, lambda: client.post(
            "/api/v1/checkout", json=body, headers={**buyer, "Idempotency-Key": key}))
        return [s for s in placed.statements if PAYMENTS_TABLES.search(" ".join(s.split()))]

    one_shop = payments_part([make_product(first)], "perf-payment-1")
    two_shops = payments_part([make_product(first), make_product(first), make_product(second)], "perf-payment-2")
    assert len(two_shops) == len(one_shop) <= PAYMENT_START, "\n".join(two_shops)
    assert sum("provider_state" in s for s in two_shops) == 1, "\n".join(two_shops)


def test_a_notice_about_a_payment_with_nothing_left_to_move_is_four_statements(
    app: Any, login: Any, shop: Any, place_order: Any, held_webhooks: Any, count_statements: Any,
) -> None:
    import json
    import uuid

    from pasar import clock
    from pasar.contracts import OutgoingWebhook
    from pasar.providers import tenant_secret
    from pasar.sandbox import signing

    _, products = shop
    _, buyer = login(TENANT, "buyer")
    place_order(buyer, products[1])
    [(tenant, captured)] = held_webhooks.of("payments")
    assert held_webhooks.deliver(tenant, captured).status_code == 200
    event_id, now = f"evt_{uuid.uuid4().hex}", clock.now()
    body = json.dumps({**json.loads(captured.body), "id": event_id, "created": now.isoformat()}).encode()
    secret = tenant_secret(app.config["PASAR"].webhook_secret, tenant)
    again = OutgoingWebhook("payments", captured.provider, signing.signed_headers(secret, body, event_id, now), body)

    found = counted(count_statements, lambda: held_webhooks.deliver(tenant, again))
    own = [s for s in found.statements if s not in plumbing(found)]
    assert len(own) <= WEBHOOK_NOTHING_TO_MOVE, explain(found)


def test_a_payment_webhook_is_bounded(login: Any, shop: Any, place_order: Any, held_webhooks: Any,
                                      count_statements: Any) -> None:
    _, products = shop
    _, buyer = login(TENANT, "buyer")
    place_order(buyer, products[1])
    [(tenant, webhook)] = held_webhooks.of("payments")
    found = counted(count_statements, lambda: held_webhooks.deliver(tenant, webhook))
    assert found.count <= WEBHOOK, explain(found)


# --- the plumbing: what every request pays before its own work ---------------------------------
PLUMBING_TABLES = ("tenants", "tenant_hosts", "tenant_feature_overrides", "auth_tokens", "users", "operators")


def plumbing(found: Any) -> list[str]:
    """The statements of ``found`` that read or write the tenant or the bearer token."""
    def touches(statement: str) -> bool:
        text = " ".join(statement.split()) + " "
        return any(f"{verb} {table} " in text for verb in ("FROM", "JOIN", "UPDATE") for table in PLUMBING_TABLES)

    return [s for s in found.statements if touches(s)]


def test_a_public_requests_plumbing_is_one_statement_once_the_tenant_is_cached(
    client: Any, shop: Any, count_statements: Any,
) -> None:
    seller, products = shop
    for path in (f"/api/v1/products?seller={seller.id}&limit=5", f"/api/v1/products/{products[0].id}"):
        for headers in ({"X-Pasar-Tenant": TENANT}, {"Host": f"{TENANT}.localhost"}):
            found = counted(count_statements, lambda: client.get(path, headers=headers), warm=True)
            assert len(plumbing(found)) == 1, explain(found)
            assert "FROM tenants" in " ".join(plumbing(found)[0].split()), explain(found)


def test_a_signed_in_requests_plumbing_is_two_statements_and_no_write(
    client: Any, shop: Any, count_statements: Any,
) -> None:
    seller, _ = shop
    found = counted(count_statements, lambda: client.get("/api/v1/seller/orders?limit=2", headers=seller.headers),
                    warm=True)
    statements = plumbing(found)
    assert len(statements) == 2, explain(found)
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in statements), explain(found)
