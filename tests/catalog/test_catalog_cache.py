"""Public catalog answers are kept per process and reused only while the tenant's catalog
generation, configuration and the clock say they are still exact: any write that can change
them shows on the very next read."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from pasar import clock
from pasar.catalog import generations, inventory, listing, service
from pasar.catalog.cache import Entry, ResponseCache
from pasar.catalog.models import Variant
from pasar.db import Base
from pasar.sellers.models import Seller
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.sql import statements_sent

UK = {"X-Pasar-Tenant": "uk"}
DE = {"X-Pasar-Tenant": "de"}
FRESH = {"Cache-Control": "no-cache"}
CATALOG_TABLES = ("products", "product_texts", "variants", "inventory", "product_images", "categories",
                  "price_changes", "sellers")


def statements_of(app: Any) -> Any:
    """The SQL statements sent inside the block (transaction control apart), each on one line."""
    return statements_sent(app.extensions["pasar.db"].engine, flat=True)


def catalog_reads(statements: list[str]) -> list[str]:
    """The statements that read catalog rows (not the tenant lookup, not the generation)."""
    return [s for s in statements if "catalog_generations" not in s
            and any(f"FROM {table}" in s or f"JOIN {table}" in s for table in CATALOG_TABLES)]


def generation_reads(statements: list[str]) -> list[str]:
    """Statements of their own reading the generation (the tenant lookup carries it free)."""
    return [s for s in statements if s.startswith("SELECT") and "catalog_generations" in s
            and "FROM tenants" not in s]


def tenant_lookups(statements: list[str]) -> list[str]:
    return [s for s in statements if s.startswith("SELECT") and "FROM tenants" in s]


def get(client: Any, app: Any, url: str, headers: dict[str, str]) -> tuple[Any, list[str]]:
    with statements_of(app) as seen:
        answer = client.get(url, headers=headers)
    return answer, seen


def listed(client: Any, seller: Any, headers: dict[str, str] = UK) -> list[dict[str, Any]]:
    answer = client.get("/api/v1/products", query_string={"seller": seller.id}, headers=headers)
    assert answer.status_code == 200, answer.json
    return list(answer.json["items"])


def page(client: Any, product_id: int, headers: dict[str, str] = UK) -> Any:
    return client.get(f"/api/v1/products/{product_id}", headers=headers)


@pytest.fixture()
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """``clock.now()`` fixed at the list's only element, which a test moves."""
    current = [datetime.now(UTC)]
    monkeypatch.setattr(clock, "now", lambda: current[0])
    return current


# --- what is sent -------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/api/v1/products?sort=price_asc&limit=5", "/api/v1/categories", "product"])
def test_a_second_identical_read_sends_only_the_tenant_lookup_which_carries_the_generation(
    app: Any, client: Any, make_seller: Any, make_product: Any, url: str
) -> None:
    product = make_product(make_seller("uk"))
    url = f"/api/v1/products/{product.id}" if url == "product" else url
    first, made = get(client, app, url, UK)
    second, kept = get(client, app, url, UK)
    assert first.status_code == second.status_code == 200
    assert second.get_data() == first.get_data()
    assert catalog_reads(made) and generation_reads(made) == []
    assert catalog_reads(kept) == [] and generation_reads(kept) == [], kept
    (lookup,) = tenant_lookups(kept)
    assert "catalog_generations" in lookup and len(kept) == 1, kept


def test_no_cache_recomputes_the_answer(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    make_product(seller)
    url = f"/api/v1/products?seller={seller.id}"
    kept, _ = get(client, app, url, UK)
    fresh, seen = get(client, app, url, UK | FRESH)
    assert fresh.get_data() == kept.get_data()
    assert catalog_reads(seen) and generation_reads(seen) == []
    again, seen = get(client, app, url, UK | {"Pragma": "no-cache"})
    assert again.get_data() == kept.get_data() and catalog_reads(seen)


def test_a_signed_in_buyer_shares_the_public_answer(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any
) -> None:
    product = make_product(make_seller("uk"))
    anonymous, _ = get(client, app, f"/api/v1/products/{product.id}", UK)
    _, buyer = login("uk", "buyer")
    signed_in, seen = get(client, app, f"/api/v1/products/{product.id}", buyer)
    assert signed_in.get_data() == anonymous.get_data()
    assert catalog_reads(seen) == []


def test_answers_are_kept_per_language_and_per_link_prefix(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("us")
    product = make_product(seller)
    tenant = tenant_context(app, "us")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        service.update_product(session, tenant, service.get_product(session, tenant, product.id),
                               texts={"es_US": {"title": "Producto", "description": "En español"}})
    us = {"X-Pasar-Tenant": "us"}
    english = client.get(f"/api/v1/products/{product.id}", headers=us).json
    spanish = client.get(f"/api/v1/products/{product.id}", headers=us | {"Accept-Language": "es-US"}).json
    assert (english["locale"], spanish["locale"]) == ("en_US", "es_US")
    assert spanish["title"] == "Producto" != english["title"]
    prefixed = client.get(f"/t/us/api/v1/products?seller={seller.id}").json["items"]
    plain = client.get(f"/api/v1/products?seller={seller.id}", headers=us).json["items"]
    assert [p["id"] for p in prefixed] == [p["id"] for p in plain] == [product.id]


# --- every write shows on the next read ---------------------------------------------------------
def test_a_stock_change_is_visible_on_the_very_next_read(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    product = make_product(seller, stock=5)
    assert page(client, product.id).json["variants"][0]["available"] == 5
    put = client.put(f"/api/v1/seller/variants/{product.variant_id}/stock", json={"on_hand": 2}, headers=seller.headers)
    assert put.status_code == 200
    assert page(client, product.id).json["variants"][0]["available"] == 2
    # the guarded decrement a checkout makes (an ORM UPDATE statement, no flushed object)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        assert inventory.reserve_stock(session, tenant, product.variant_id, 2)
    assert page(client, product.id).json["variants"][0]["available"] == 0
    assert listed(client, seller)[0]["in_stock"] is False


def test_a_price_change_is_visible_on_the_very_next_read(client: Any, make_seller: Any, make_product: Any) -> None:
    seller = make_seller("uk")
    product = make_product(seller, price="10.00")
    assert listed(client, seller)[0]["price"] == "10.00"
    assert page(client, product.id).json["price"] == "10.00"
    changed = client.patch(f"/api/v1/seller/variants/{product.variant_id}", json={"price": "8.50"},
                           headers=seller.headers)
    assert changed.status_code == 200
    assert listed(client, seller)[0]["price"] == "8.50"
    assert page(client, product.id).json["variants"][0]["price"] == "8.50"


def test_a_new_product_is_visible_on_the_very_next_read(client: Any, make_seller: Any, make_product: Any) -> None:
    seller = make_seller("uk")
    first = make_product(seller)
    assert [p["id"] for p in listed(client, seller)] == [first.id]
    second = make_product(seller)
    assert {p["id"] for p in listed(client, seller)} == {first.id, second.id}


def test_a_blocked_product_is_gone_on_the_very_next_read(
    client: Any, operator_login: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    product = make_product(seller)
    assert page(client, product.id).status_code == 200 and listed(client, seller)
    operator = operator_login(("uk",)) | UK
    blocked = client.post(f"/api/v1/operator/products/{product.id}/block", json={"reason": "fake"}, headers=operator)
    assert blocked.status_code == 200
    assert page(client, product.id).status_code == 404
    assert listed(client, seller) == []


def test_a_suspended_shop_is_gone_on_the_very_next_read(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    product = make_product(seller)
    assert page(client, product.id).status_code == 200 and listed(client, seller)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        session.execute(update(Seller).where(Seller.id == seller.id).values(status="suspended"))
    assert page(client, product.id).status_code == 404
    assert listed(client, seller) == []


def test_a_deal_starting_is_visible_on_the_very_next_read(
    client: Any, make_seller: Any, make_product: Any, make_deal: Any
) -> None:
    product = make_product(make_seller("de"), stock=10)
    assert page(client, product.id, DE).json["variants"][0]["available"] == 10
    make_deal(product, quota=4)  # its quota is held from the shelf at once
    assert page(client, product.id, DE).json["variants"][0]["available"] == 6


def test_a_category_added_is_visible_on_the_very_next_read(app: Any, client: Any) -> None:
    before = client.get("/api/v1/categories", headers=UK).json
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        service.create_category(session, tenant, slug="garden-tools", names={"en_GB": "Garden tools"})
    after = client.get("/api/v1/categories", headers=UK).json
    assert sorted(c["slug"] for c in after) == sorted([c["slug"] for c in before] + ["garden-tools"])


def test_another_tenants_write_does_not_evict_yours(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    product = make_product(make_seller("uk"))
    url = f"/api/v1/products/{product.id}"
    get(client, app, url, UK)
    make_product(make_seller("de"))
    kept, seen = get(client, app, url, UK)
    assert kept.status_code == 200 and catalog_reads(seen) == []


def test_a_rolled_back_write_leaves_the_generation_alone(app: Any, make_seller: Any, make_product: Any) -> None:
    product = make_product(make_seller("uk"))
    tenant = tenant_context(app, "uk")
    db = app.extensions["pasar.db"]
    with db.session(tenant.id) as session:
        before = generations.generation(session, tenant.id)
    with pytest.raises(RuntimeError), db.session(tenant.id) as session:
        session.execute(update(Variant).where(Variant.id == product.variant_id).values(active=False))
        raise RuntimeError("changed my mind")
    with db.session(tenant.id) as session:
        assert generations.generation(session, tenant.id) == before
        variant = session.get(Variant, product.variant_id)
        assert variant is not None
        variant.options = {"size": "XL"}
        session.flush()
        variant.sku = f"{variant.sku}-X"
        session.flush()
    with statements_of(app) as seen, db.session(tenant.id) as session:
        assert generations.generation(session, tenant.id) == before + 1  # two flushes, one bump
    assert len(seen) == 1


def test_a_write_to_no_catalog_table_leaves_the_generation_alone(app: Any, login: Any) -> None:
    tenant = tenant_context(app, "uk")
    db = app.extensions["pasar.db"]
    with db.session(tenant.id) as session:
        before = generations.generation(session, tenant.id)
    login("uk", "buyer")  # a user and a token
    with db.session(tenant.id) as session:
        assert generations.generation(session, tenant.id) == before


def test_a_statement_of_an_operators_session_over_every_tenant_bumps_every_tenant(
    app: Any, make_seller: Any, make_product: Any
) -> None:
    make_product(make_seller("uk"))  # the UK has a generation row; most tenants have none yet
    db = app.extensions["pasar.db"]
    codes = ("uk", "de", "vn")
    tenants = {code: tenant_context(app, code).id for code in codes}

    def generations_now() -> dict[str, int]:
        with db.session(all_tenants=True) as session:
            return {code: generations.generation(session, tenant_id) for code, tenant_id in tenants.items()}

    before = generations_now()
    with db.session(all_tenants=True) as session:
        session.execute(update(Variant).where(Variant.sku == "no-such-sku").values(active=False))
    after = generations_now()
    assert all(after[code] == before[code] + 1 for code in codes), (before, after)


# --- time ---------------------------------------------------------------------------------------
def test_an_entry_expires_at_its_maximum_age(
    app: Any, client: Any, make_seller: Any, make_product: Any, frozen_clock: list[datetime]
) -> None:
    seller = make_seller("uk")
    make_product(seller)
    url = f"/api/v1/products?seller={seller.id}"
    get(client, app, url, UK)
    frozen_clock[0] += timedelta(seconds=29)
    _, seen = get(client, app, url, UK)
    assert catalog_reads(seen) == []
    frozen_clock[0] += timedelta(seconds=2)
    _, seen = get(client, app, url, UK)
    assert catalog_reads(seen)


def test_a_price_period_starting_later_expires_the_page_at_that_moment(
    app: Any, client: Any, make_seller: Any, make_product: Any, frozen_clock: list[datetime]
) -> None:
    product = make_product(make_seller("de"), price="20.00")
    tenant = tenant_context(app, "de")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        variant = session.get(Variant, product.variant_id)
        assert variant is not None
        service.change_price(session, tenant, variant, 1500, frozen_clock[0] + timedelta(seconds=10))
    before = page(client, product.id, DE).json["variants"][0]
    assert before["prior_price"] is None  # the reduction has not started yet
    frozen_clock[0] += timedelta(seconds=5)
    _, seen = get(client, app, f"/api/v1/products/{product.id}", DE)
    assert catalog_reads(seen) == []
    frozen_clock[0] += timedelta(seconds=6)  # past the period's start, well within the maximum age
    after, seen = get(client, app, f"/api/v1/products/{product.id}", DE)
    assert catalog_reads(seen)
    assert after.json["variants"][0]["prior_price"] == "20.00"


# --- HTTP ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("extra", [{}, FRESH])
def test_an_answer_carries_an_etag_and_if_none_match_gets_a_304(
    client: Any, make_seller: Any, make_product: Any, extra: dict[str, str]
) -> None:
    product = make_product(make_seller("uk"))
    url = f"/api/v1/products/{product.id}"
    first = client.get(url, headers=UK | extra)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.status_code == 200
    same = client.get(url, headers=UK | extra | {"If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b"" and same.headers["ETag"] == etag
    other = client.get(url, headers=UK | extra | {"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.get_data() == first.get_data()


def test_a_refused_request_is_never_kept(client: Any) -> None:
    for _ in range(2):
        answer = client.get("/api/v1/products?cursor=bogus", headers=UK)
        assert answer.status_code == 422 and "ETag" not in answer.headers


# --- the cache itself ---------------------------------------------------------------------------
class _Tenant:
    def __init__(self, tenant_id: int, config: str = "config") -> None:
        self.id, self.config, self.feature_overrides = tenant_id, config, ()


def entry(body: bytes, generation: int = 1, lives: timedelta = timedelta(seconds=30)) -> Entry:
    return Entry(generation, body, "etag", datetime.now(UTC) + lives)


def test_the_least_recently_used_entries_go_beyond_the_entry_bound() -> None:
    cache, uk, now = ResponseCache(max_entries=2), _Tenant(1), datetime.now(UTC)
    for name in ("a", "b"):
        cache.put(uk, (1, name), entry(name.encode()))  # type: ignore[arg-type]
    assert cache.get(uk, (1, "a"), 1, now) is not None  # type: ignore[arg-type]
    cache.put(uk, (1, "c"), entry(b"c"))  # type: ignore[arg-type]
    assert [cache.get(uk, (1, k), 1, now) is not None for k in "abc"] == [True, False, True]  # type: ignore[arg-type]


def test_the_least_recently_used_entries_go_beyond_the_byte_bound() -> None:
    cache, uk, now = ResponseCache(max_bytes=10), _Tenant(1), datetime.now(UTC)
    cache.put(uk, (1, "a"), entry(b"x" * 6))  # type: ignore[arg-type]
    cache.put(uk, (1, "b"), entry(b"y" * 6))  # type: ignore[arg-type]
    cache.put(uk, (1, "huge"), entry(b"z" * 11))  # type: ignore[arg-type]
    assert (len(cache), cache.size) == (1, 6)
    assert cache.get(uk, (1, "b"), 1, now) is not None  # type: ignore[arg-type]


def test_a_newer_generation_or_configuration_drops_only_that_tenants_entries() -> None:
    cache, uk, de, now = ResponseCache(), _Tenant(1), _Tenant(2), datetime.now(UTC)
    cache.put(uk, (1, "a"), entry(b"uk"))  # type: ignore[arg-type]
    cache.put(de, (2, "a"), entry(b"de"))  # type: ignore[arg-type]
    assert cache.get(uk, (1, "a"), 2, now) is None  # type: ignore[arg-type]
    assert cache.get(de, (2, "a"), 1, now) is not None  # type: ignore[arg-type]
    cache.put(uk, (1, "old"), entry(b"late reader", generation=1))  # type: ignore[arg-type]
    assert len(cache) == 1  # an answer made before the newer generation is not kept
    assert cache.get(_Tenant(2, "changed"), (2, "a"), 1, now) is None  # type: ignore[arg-type]
    assert len(cache) == 0


def test_an_expired_entry_is_not_served() -> None:
    cache, uk = ResponseCache(), _Tenant(1)
    cache.put(uk, (1, "a"), entry(b"a", lives=timedelta(seconds=5)))  # type: ignore[arg-type]
    assert cache.get(uk, (1, "a"), 1, datetime.now(UTC) + timedelta(seconds=6)) is None  # type: ignore[arg-type]
    assert len(cache) == 0


def test_every_table_the_public_answers_read_is_watched() -> None:
    assert listing.READ_TABLES <= generations.WATCHED_TABLES
    assert generations.WATCHED_TABLES <= set(Base.metadata.tables)


def test_the_generation_table_is_what_its_migration_makes(app: Any) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import pasar.models  # noqa: F401  (every domain's tables in Base.metadata)

    def ours(obj: Any, name: str | None, kind: str, _reflected: bool, _compare_to: Any) -> bool:
        table = obj if kind == "table" else getattr(obj, "table", None)
        return (name if kind == "table" else getattr(table, "name", "")) == "catalog_generations"

    with app.extensions["pasar.db"].engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
