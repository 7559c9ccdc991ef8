"""The benchmark data generator: tenants × sellers × products × videos × interactions × orders.

    .venv/bin/python bench/generate.py --size small --url sqlite:///var/bench/small.db

Deterministic (``--seed``): the same size and seed give the same rows on every run and engine.
Rows go in with SQLAlchemy Core ``insert()`` executemany in chunks — never ORM objects — with
ids assigned here, so nothing is read back per row and a million products load in minutes.
The database must be migrated (``pasar.migrate.upgrade``) and empty; the reference tenants are
applied here through the kernel's own service.

Shape of the data (per size, see ``SIZES``): most products belong to the measured tenant
(``de``: EUR, de_DE, the EU prior-price rule on product pages), the rest to ``id`` (IDR, two
locales) and ``us`` (USD, two locales). Each product has one text per tenant locale, two
variants (one in ten has had a price reduction, so the prior-price rule has history to read),
stock, one image row and its search documents. Videos anchor products; interactions are views,
likes and clicks on videos; historical orders (paid, shipped, delivered) spread over a year,
a third of the measured tenant's orders going to its first seller (the benchmarked shop).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, func, select, text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "platform") not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT / "platform"))

from pasar import models  # noqa: E402,F401  (every table registered)
from pasar.accounts.models import User  # noqa: E402
from pasar.catalog.models import Category, Inventory, PriceChange, Product, ProductImage, ProductText, Variant  # noqa: E402
from pasar.content.models import Interaction, Video, VideoAnchor  # noqa: E402
from pasar.db import make_engine  # noqa: E402
from pasar.discovery.indexing import document_values  # noqa: E402
from pasar.discovery.models import SearchDocument  # noqa: E402
from pasar.orders.models import Checkout, Order, OrderLine, OrderTransition  # noqa: E402
from pasar.sellers.models import Seller  # noqa: E402

#: Every random choice comes from the seed; times are offsets back from the moment of generation
#: (orders over the last year, interactions over 90 days), because the feed's windows are
#: measured against the real clock.
MEASURED = "de"
SPLIT = {"de": 0.8, "id": 0.1, "us": 0.1}
CHUNK = 10_000


@dataclass(frozen=True)
class Size:
    products: int
    sellers: int
    buyers: int
    videos: int
    interactions: int
    orders: int


SIZES: dict[str, Size] = {
    "small": Size(products=10_000, sellers=100, buyers=1_000, videos=1_000, interactions=30_000, orders=5_000),
    "100k": Size(products=100_000, sellers=1_000, buyers=10_000, videos=10_000, interactions=300_000, orders=40_000),
    "1m": Size(products=1_000_000, sellers=5_000, buyers=50_000, videos=50_000, interactions=3_000_000, orders=200_000),
}

# --- words per language: titles and descriptions that read like a shop's ---------------------------
WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "de": (("Rote", "Blaue", "Leichte", "Warme", "Kleine", "Große", "Schnelle", "Weiche", "Grüne", "Klassische"),
           ("Laufschuhe", "Jacke", "Rucksack", "Kaffeetasse", "Lampe", "Kopfhörer", "Schal", "Uhr", "Tasche", "Mütze"),
           "Hochwertige Qualität, schneller Versand aus Deutschland. Größe {n}."),
    "id": (("Merah", "Biru", "Ringan", "Hangat", "Kecil", "Besar", "Cepat", "Lembut", "Hijau", "Klasik"),
           ("Sepatu Lari", "Jaket", "Tas Ransel", "Cangkir Kopi", "Lampu", "Headphone", "Syal", "Jam Tangan", "Tas", "Topi"),
           "Kualitas terbaik, pengiriman cepat dari Jakarta. Ukuran {n}."),
    "en": (("Red", "Blue", "Light", "Warm", "Small", "Large", "Fast", "Soft", "Green", "Classic"),
           ("Running Shoes", "Jacket", "Backpack", "Coffee Mug", "Lamp", "Headphones", "Scarf", "Watch", "Bag", "Cap"),
           "Great quality, fast shipping. Size {n}."),
    "es": (("Rojas", "Azules", "Ligeras", "Cálidas", "Pequeñas", "Grandes", "Rápidas", "Suaves", "Verdes", "Clásicas"),
           ("Zapatillas", "Chaqueta", "Mochila", "Taza", "Lámpara", "Auriculares", "Bufanda", "Reloj", "Bolsa", "Gorra"),
           "Gran calidad, envío rápido. Talla {n}."),
}
#: Unit price range per currency, in minor units (IDR is priced in whole rupiah: minor = sen).
PRICES: dict[str, tuple[int, int, int]] = {"EUR": (499, 19_999, 1), "IDR": (2_500_000, 90_000_000, 100_000), "USD": (499, 19_999, 1)}


def _language(locale: str) -> str:
    return locale.split("_")[0] if locale.split("_")[0] in WORDS else "en"


def title_for(rng: random.Random, locale: str, number: int) -> tuple[str, str]:
    adjectives, nouns, description = WORDS[_language(locale)]
    return f"{rng.choice(adjectives)} {rng.choice(nouns)} {number}", description.format(n=number % 50)


# --- the run ------------------------------------------------------------------------------------
@dataclass
class TenantRow:
    id: int
    code: str
    currency: str
    locales: tuple[str, ...]
    seller_ids: list[int]
    buyer_ids: list[int]
    category_ids: list[int]
    product_ids: list[int]


class Generator:
    """Writes one size of the world into an empty, migrated database."""

    def __init__(self, engine: Engine, size: Size, seed: int, progress: bool = True) -> None:
        self.engine, self.size, self.rng, self.progress = engine, size, random.Random(seed), progress
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.next_id: dict[str, int] = {}
        self.rows_written = 0

    # ids are assigned here (max + 1 onwards), so executemany needs no RETURNING
    def ids(self, table: Table, count: int) -> range:
        if table.name not in self.next_id:
            with self.engine.connect() as conn:
                self.next_id[table.name] = int(conn.scalar(select(func.max(table.c.id))) or 0) + 1
        start = self.next_id[table.name]
        self.next_id[table.name] = start + count
        return range(start, start + count)

    def insert(self, conn: Any, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            keys = {key for row in rows for key in row}  # executemany needs one shape of row
            conn.execute(table.insert(), [{key: row.get(key) for key in keys} for row in rows])
            self.rows_written += len(rows)

    def bar(self, total: int, what: str) -> Any:
        from tqdm import tqdm

        return tqdm(total=total, desc=what, unit="row", disable=not self.progress, leave=False, mininterval=1.0)

    def run(self) -> dict[str, TenantRow]:
        tenants = self.tenants()
        self.sellers_and_users(tenants)
        self.categories(tenants)
        self.products(tenants)
        self.videos_and_interactions(tenants)
        self.orders(tenants)
        self.finish()
        return tenants

    def tenants(self) -> dict[str, TenantRow]:
        """The 14 reference tenants through the kernel's own service (validated like production)."""
        from pasar.config import PROJECT_ROOT
        from pasar.db import Database
        from pasar.plugins import PluginHost
        from pasar.tenancy.models import Tenant
        from pasar.tenancy.service import apply_tenants

        db = Database(str(self.engine.url.render_as_string(hide_password=False)))
        with db.session(all_tenants=True, write=True) as session:
            apply_tenants(session, [PROJECT_ROOT / "tenants"], PluginHost.load())
        db.dispose()
        found: dict[str, TenantRow] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(select(Tenant.id, Tenant.code, Tenant.currency, Tenant.config).where(Tenant.code.in_(SPLIT))):
                found[row.code] = TenantRow(row.id, row.code, row.currency, tuple(row.config["locales"]), [], [], [], [])
        return found

    def sellers_and_users(self, tenants: dict[str, TenantRow]) -> None:
        """Approved shops with their owners, and buyers, per tenant (shops in proportion)."""
        from pasar.testing.accounts_factories import default_password_hash
        from pasar.testing.sellers_factories import EXAMPLE_BANK_ACCOUNTS, EXAMPLE_KYC

        password = default_password_hash()
        users, sellers = User.__table__, Seller.__table__
        country = {"de": "DE", "id": "ID", "us": "US"}
        with self.engine.begin() as conn:
            for code, tenant in tenants.items():
                shops = max(2, int(self.size.sellers * SPLIT[code]))
                buyers = max(10, int(self.size.buyers * SPLIT[code]))
                seller_ids = self.ids(sellers, shops)
                owner_ids = self.ids(users, shops)
                buyer_ids = self.ids(users, buyers)
                account = EXAMPLE_BANK_ACCOUNTS[country[code]]
                user_rows = [
                    {"id": uid, "tenant_id": tenant.id, "email": f"owner{uid}@shop.bench", "display_name": f"Owner {uid}",
                     "password_hash": password, "roles": ["buyer", "seller"], "seller_id": sid, "created_at": self.now}
                    for uid, sid in zip(owner_ids, seller_ids)
                ] + [
                    {"id": uid, "tenant_id": tenant.id, "email": f"buyer{uid}@example.bench", "display_name": f"Buyer {uid}",
                     "password_hash": password, "roles": ["buyer"], "created_at": self.now}
                    for uid in buyer_ids
                ]
                self.insert(conn, users, user_rows)
                self.insert(conn, sellers, [
                    {"id": sid, "tenant_id": tenant.id, "name": f"Shop {sid}", "legal_name": f"Shop {sid} Holdings",
                     "business_type": "company", "country": country[code], "status": "approved",
                     "kyc": dict(EXAMPLE_KYC[country[code]]), "bank_holder": account.holder, "bank_number": account.number,
                     "bank_code": account.bank_code, "bank_country": country[code], "owner_user_id": uid,
                     "created_at": self.now, "updated_at": self.now}
                    for sid, uid in zip(seller_ids, owner_ids)
                ])
                tenant.seller_ids, tenant.buyer_ids = list(seller_ids), list(buyer_ids)

    def categories(self, tenants: dict[str, TenantRow]) -> None:
        """Eight top categories of five children each, named in every tenant locale."""
        table = Category.__table__
        with self.engine.begin() as conn:
            for tenant in tenants.values():
                for root in range(8):
                    (root_id,) = self.ids(table, 1)
                    names = {loc: f"{WORDS[_language(loc)][1][root]}" for loc in tenant.locales}
                    rows = [{"id": root_id, "tenant_id": tenant.id, "parent_id": None, "slug": f"c{root}", "names": names, "position": root}]
                    for child, cid in enumerate(self.ids(table, 5)):
                        rows.append({"id": cid, "tenant_id": tenant.id, "parent_id": root_id, "slug": f"c{root}-{child}",
                                     "names": {loc: f"{n} {child}" for loc, n in names.items()}, "position": child})
                        tenant.category_ids.append(cid)
                    self.insert(conn, table, rows)

    def products(self, tenants: dict[str, TenantRow]) -> None:
        total = self.size.products
        with self.bar(total, "products") as bar:
            for code, tenant in tenants.items():
                count = int(total * SPLIT[code])
                done = 0
                while done < count:
                    n = min(CHUNK, count - done)
                    self._product_chunk(tenant, n)
                    done += n
                    bar.update(n)

    def _product_chunk(self, tenant: TenantRow, count: int) -> None:
        rng = self.rng
        low, high, step = PRICES[tenant.currency]
        product_ids = self.ids(Product.__table__, count)
        variant_ids = self.ids(Variant.__table__, count * 2)
        products, texts, variants, stock, prices, images, documents = [], [], [], [], [], [], []
        text_ids = iter(self.ids(ProductText.__table__, count * len(tenant.locales)))
        image_ids = iter(self.ids(ProductImage.__table__, count))
        price_ids = iter(self.ids(PriceChange.__table__, count * 2 + count // 5 + 2))
        document_ids = iter(self.ids(SearchDocument.__table__, count * len(tenant.locales)))
        # Sellers have long-tailed catalogues: the first shops list the most.
        sellers = tenant.seller_ids
        for index, pid in enumerate(product_ids):
            created = self.now - timedelta(seconds=rng.randrange(365 * 86400))
            seller = sellers[min(int(rng.paretovariate(1.2)) - 1, len(sellers) - 1)] if rng.random() < 0.5 else rng.choice(sellers)
            base = rng.randrange(low // step, high // step) * step
            v_prices = [base, base + step * rng.randrange(0, 5)]
            products.append({
                "id": pid, "tenant_id": tenant.id, "seller_id": seller, "category_id": rng.choice(tenant.category_ids),
                "status": "active", "moderation": "approved", "tax_category": "standard",
                "weight_grams": rng.randrange(100, 3000), "length_cm": 20, "width_cm": 15, "height_cm": 5,
                "price_minor": min(v_prices), "created_at": created, "updated_at": created,
            })
            for locale in tenant.locales:
                title, description = title_for(rng, locale, pid)
                texts.append({"id": next(text_ids), "tenant_id": tenant.id, "product_id": pid, "locale": locale,
                              "title": title, "description": description})
                documents.append({"id": next(document_ids), **document_values(tenant.id, pid, locale, title, description)})
            images.append({"id": next(image_ids), "tenant_id": tenant.id, "product_id": pid, "position": 0,
                           "original_path": f"p/{pid}.jpg", "thumbnail_path": f"p/{pid}.thumb.jpg", "width": 800,
                           "height": 800, "content_type": "image/jpeg", "created_at": created})
            for v in range(2):
                vid = variant_ids[index * 2 + v]
                variants.append({"id": vid, "tenant_id": tenant.id, "product_id": pid, "sku": f"{tenant.code}-{pid}-{v}",
                                 "options": {"size": ("M", "L")[v]}, "price_minor": v_prices[v], "currency": tenant.currency,
                                 "active": True, "created_at": created})
                stock.append({"tenant_id": tenant.id, "variant_id": vid, "on_hand": rng.randrange(0, 200), "reserved": 0})
                if v == 0 and index % 10 == 0:  # reduced a week ago: the prior-price rule applies
                    reduced = self.now - timedelta(days=7)
                    prices.append({"id": next(price_ids), "tenant_id": tenant.id, "variant_id": vid,
                                   "price_minor": v_prices[v] + 10 * step, "currency": tenant.currency,
                                   "valid_from": created, "valid_to": reduced})
                    prices.append({"id": next(price_ids), "tenant_id": tenant.id, "variant_id": vid,
                                   "price_minor": v_prices[v], "currency": tenant.currency, "valid_from": reduced, "valid_to": None})
                else:
                    prices.append({"id": next(price_ids), "tenant_id": tenant.id, "variant_id": vid,
                                   "price_minor": v_prices[v], "currency": tenant.currency, "valid_from": created, "valid_to": None})
        with self.engine.begin() as conn:
            for table, rows in ((Product.__table__, products), (ProductText.__table__, texts), (Variant.__table__, variants),
                                (Inventory.__table__, stock), (PriceChange.__table__, prices),
                                (ProductImage.__table__, images), (SearchDocument.__table__, documents)):
                self.insert(conn, table, rows)
        tenant.product_ids.extend(product_ids)

    def videos_and_interactions(self, tenants: dict[str, TenantRow]) -> None:
        rng = self.rng
        with self.bar(self.size.videos + self.size.interactions, "videos+interactions") as bar:
            for code, tenant in tenants.items():
                count = int(self.size.videos * SPLIT[code])
                video_ids = list(self.ids(Video.__table__, count))
                videos, anchors = [], []
                for vid in video_ids:
                    seller = rng.choice(tenant.seller_ids)
                    videos.append({"id": vid, "tenant_id": tenant.id, "author_kind": "seller", "seller_id": seller,
                                   "posted_by": tenant.buyer_ids[0], "media_url": f"https://cdn.bench/v/{vid}.mp4",
                                   "caption": f"Video {vid}", "language": tenant.locales[0], "moderation": "approved",
                                   "created_at": self.now - timedelta(seconds=rng.randrange(90 * 86400))})
                    for position, pid in enumerate(rng.sample(tenant.product_ids, 2)):
                        anchors.append({"id": 0, "tenant_id": tenant.id, "video_id": vid, "product_id": pid, "position": position})
                for anchor, aid in zip(anchors, self.ids(VideoAnchor.__table__, len(anchors))):
                    anchor["id"] = aid
                with self.engine.begin() as conn:
                    self.insert(conn, Video.__table__, videos)
                    self.insert(conn, VideoAnchor.__table__, anchors)
                bar.update(count)
                wanted = int(self.size.interactions * SPLIT[code])
                done = 0
                liked: set[tuple[int, int]] = set()  # a buyer likes a video once (a unique index)
                while done < wanted:
                    n = min(CHUNK * 5, wanted - done)
                    rows = []
                    for iid in self.ids(Interaction.__table__, n):
                        kind = rng.choices(("view", "like", "product_click", "share"), (80, 12, 6, 2))[0]
                        buyer, video = rng.choice(tenant.buyer_ids), rng.choice(video_ids)
                        if kind == "like":
                            kind = "view" if (buyer, video) in liked else kind
                            liked.add((buyer, video))
                        rows.append({"id": iid, "tenant_id": tenant.id, "buyer_id": buyer, "kind": kind,
                                     "video_id": video,
                                     "product_id": rng.choice(tenant.product_ids) if kind == "product_click" else None,
                                     "watch_seconds": rng.randrange(1, 60) if kind == "view" else 0,
                                     "at": self.now - timedelta(seconds=rng.randrange(90 * 86400))})
                    with self.engine.begin() as conn:
                        self.insert(conn, Interaction.__table__, rows)
                    done += n
                    bar.update(n)

    def orders(self, tenants: dict[str, TenantRow]) -> None:
        """Paid-and-onwards orders over the last year, one or two lines each, one checkout each."""
        rng = self.rng
        statuses = ("paid", "ready_to_ship", "shipped", "delivered", "completed")
        with self.bar(self.size.orders, "orders") as bar:
            for code, tenant in tenants.items():
                wanted = int(self.size.orders * SPLIT[code])
                done = 0
                while done < wanted:
                    n = min(CHUNK, wanted - done)
                    checkouts, orders, lines, transitions = [], [], [], []
                    checkout_ids = self.ids(Checkout.__table__, n)
                    order_ids = self.ids(Order.__table__, n)
                    line_ids = iter(self.ids(OrderLine.__table__, n * 2))
                    transition_ids = iter(self.ids(OrderTransition.__table__, n))
                    for cid, oid in zip(checkout_ids, order_ids):
                        at = self.now - timedelta(seconds=rng.randrange(365 * 86400))
                        buyer = rng.choice(tenant.buyer_ids)
                        seller = tenant.seller_ids[0] if rng.random() < 0.33 else rng.choice(tenant.seller_ids)
                        picked = [rng.choice(tenant.product_ids) for _ in range(rng.choice((1, 1, 2)))]
                        subtotal = 0
                        for pid in picked:
                            price, quantity = PRICES[tenant.currency][0] * 3, rng.randrange(1, 3)
                            subtotal += price * quantity
                            lines.append({"id": next(line_ids), "tenant_id": tenant.id, "order_id": oid, "product_id": pid,
                                          "variant_id": pid, "sku": f"{tenant.code}-{pid}-0", "title": f"Product {pid}",
                                          "tax_category": "standard", "unit_price_minor": price, "quantity": quantity,
                                          "discount_minor": 0, "tax_minor": 0, "tax_rate": "0.19", "weight_grams": 500,
                                          "refunded_quantity": 0})
                        status = rng.choice(statuses)
                        address = {"country": "DE", "name": "Max Mustermann", "line1": "Hauptstraße 1", "city": "Berlin",
                                   "postal_code": "10115"}
                        checkouts.append({"id": cid, "tenant_id": tenant.id, "buyer_id": buyer, "idempotency_key": f"gen-{cid}",
                                          "request_hash": "0" * 64, "status": "paid", "currency": tenant.currency,
                                          "subtotal_minor": subtotal, "discount_minor": 0, "shipping_minor": 0,
                                          "tax_added_minor": 0, "total_minor": subtotal, "payment_method": "card",
                                          "shipping_address": address, "vouchers": [], "created_at": at, "paid_at": at})
                        orders.append({"id": oid, "tenant_id": tenant.id, "checkout_id": cid, "seller_id": seller, "buyer_id": buyer,
                                       "status": status, "currency": tenant.currency, "subtotal_minor": subtotal,
                                       "seller_discount_minor": 0, "platform_discount_minor": 0, "shipping_minor": 0,
                                       "tax_minor": 0, "tax_included": True, "tax_collected_by": "seller", "total_minor": subtotal,
                                       "payment_method": "card", "carrier": "dhl_de", "shipping_service": "standard",
                                       "shipping_address": address, "created_at": at, "paid_at": at})
                        transitions.append({"id": next(transition_ids), "tenant_id": tenant.id, "order_id": oid,
                                            "from_status": "pending_payment", "to_status": "paid", "actor_kind": "gateway",
                                            "at": at})
                    # order lines name real variants: the first variant of each product
                    variant_of = self._first_variants(tenant.id, {line["product_id"] for line in lines})
                    for line in lines:
                        line["variant_id"] = variant_of[line["product_id"]]
                    with self.engine.begin() as conn:
                        self.insert(conn, Checkout.__table__, checkouts)
                        self.insert(conn, Order.__table__, orders)
                        self.insert(conn, OrderLine.__table__, lines)
                        self.insert(conn, OrderTransition.__table__, transitions)
                    done += n
                    bar.update(n)

    def _first_variants(self, tenant_id: int, product_ids: set[int]) -> dict[int, int]:
        table = Variant.__table__
        found: dict[int, int] = {}
        wanted = sorted(product_ids)
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 900):
                part = wanted[start:start + 900]
                query = select(table.c.product_id, func.min(table.c.id)).where(
                    table.c.tenant_id == tenant_id, table.c.product_id.in_(part)).group_by(table.c.product_id)
                found.update({pid: vid for pid, vid in conn.execute(query)})
        return found

    def finish(self) -> None:
        """PostgreSQL: sequences continue after the ids given here; statistics are fresh."""
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                for name in self.next_id:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {name}))"
                    ))
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            with self.engine.begin() as conn:
                conn.execute(text("ANALYZE"))


def _fast_sqlite(engine: Engine) -> None:
    """Bulk-load pragmas on top of the kernel's: no fsync per chunk (a benchmark database)."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA cache_size=-200000")
        cur.close()


def generate(url: str, size: str, seed: int = 42, progress: bool = True,
             log: Callable[[str], None] = print) -> dict[str, TenantRow]:
    """Fill the migrated database at ``url`` with ``size`` data; answers the tenants made."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        _fast_sqlite(engine)
    started = time.perf_counter()
    generator = Generator(engine, SIZES[size], seed, progress)
    tenants = generator.run()
    engine.dispose()
    log(f"generated {size}: {generator.rows_written:,} rows in {time.perf_counter() - started:.1f} s")
    return tenants


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--url", required=True, help="a migrated, empty database")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--migrate", action="store_true", help="run the migrations first")
    args = parser.parse_args(argv)
    if args.migrate:
        from pasar.migrate import upgrade

        upgrade(args.url)
    generate(args.url, args.size, args.seed)


if __name__ == "__main__":
    main()
