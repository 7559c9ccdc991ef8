"""The actors a benchmark run needs on top of the generated data, made through the kernel's
services: buyers and a seller with bearer tokens, stock that will not run out mid-run, carts
for the checkouts, and a paid card payment whose webhook can be sent again and again.

Everything here is set up before timing starts and is the same for the kernel and its twin.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update

from pasar.accounts import service as accounts
from pasar.accounts.models import User
from pasar.catalog.models import Inventory, PriceChange, Product, Variant
from pasar.orders.models import Order
from pasar.sellers.models import Seller
from pasar.tenancy.service import TenantContext, context_for, get_tenant

TENANT = "de"
#: Stock given to the variants the write scenarios buy, so no run ever sells out.
PLENTY = 10_000_000
BUYERS = 40  # carts rotate over this many buyers


@dataclass
class World:
    """Ids and headers the scenarios use; ``headers`` carry the tenant and a bearer token."""

    app: Any
    tenant: TenantContext
    buyers: list[dict[str, str]] = field(default_factory=list)  # headers per buyer
    buyer_ids: list[int] = field(default_factory=list)
    seller_headers: dict[str, str] = field(default_factory=dict)
    seller_id: int = 0
    category_id: int = 0
    detail_product_id: int = 0
    cart_variant_id: int = 0
    checkout_variants: list[int] = field(default_factory=list)  # 3 variants of 2 sellers
    search_term: str = "laufschuhe"
    webhook: dict[str, Any] = field(default_factory=dict)  # method, payment data template
    public: dict[str, str] = field(default_factory=dict)  # headers without a token

    @property
    def db(self) -> Any:
        return self.app.extensions["pasar.db"]


@contextmanager
def _session(world_app: Any, tenant_id: int | None, **kw: Any) -> Iterator[Any]:
    with world_app.extensions["pasar.db"].session(tenant_id, **kw) as session:
        yield session


def tenant_of(app: Any, code: str = TENANT) -> TenantContext:
    with _session(app, None, all_tenants=True) as session:
        return context_for(get_tenant(session, code), app.extensions["pasar.plugins"])


def token_headers(app: Any, tenant: TenantContext, user_id: int) -> dict[str, str]:
    with _session(app, tenant.id, write=True) as session:
        issued = accounts.issue_token(session, session.get_one(User, user_id))
    return {"Authorization": f"Bearer {issued.token}", "X-Pasar-Tenant": tenant.code}


def prepare(app: Any) -> World:
    """Pick the benchmarked objects in the generated data and sign the actors in. The feed's
    popularity rollup is refreshed first, as the worker's beat task would have done by now."""
    from pasar.discovery.rollup import refresh_all

    refresh_all(app.extensions["pasar.db"])
    tenant = tenant_of(app)
    world = World(app=app, tenant=tenant, public={"X-Pasar-Tenant": tenant.code})
    with _session(app, tenant.id) as session:
        # the shop with the most orders is the benchmarked seller (the first shop, in a
        # database whose generation stopped before the orders: catalog scenarios only)
        busiest = session.execute(
            select(Seller.id, Seller.owner_user_id).join(Order, Order.seller_id == Seller.id)
            .group_by(Seller.id, Seller.owner_user_id).order_by(func.count(Order.id).desc()).limit(1)
        ).first() or session.execute(select(Seller.id, Seller.owner_user_id).order_by(Seller.id).limit(1)).one()
        world.seller_id, owner = busiest
        buyers = list(session.scalars(select(Order.buyer_id).group_by(Order.buyer_id)
                                      .order_by(func.count(Order.id).desc(), Order.buyer_id).limit(BUYERS)))
        if len(buyers) < BUYERS:
            buyers += list(session.scalars(select(User.id).where(User.seller_id.is_(None), User.id.not_in(buyers))
                                           .order_by(User.id).limit(BUYERS - len(buyers))))
        root = session.execute(select(Product.category_id).limit(1)).scalar_one()
        world.category_id = root
        # a product whose first variant was reduced: the page reads its price history
        reduced = session.execute(
            select(Variant.product_id).join(PriceChange, PriceChange.variant_id == Variant.id)
            .where(PriceChange.valid_to.is_not(None)).order_by(Variant.product_id).limit(1)
        ).scalar_one()
        world.detail_product_id = reduced
        sellers = list(session.scalars(select(Seller.id).where(Seller.status == "approved").order_by(Seller.id).limit(2)))
        picks: list[int] = []
        for seller_id, count in ((sellers[0], 2), (sellers[1], 1)):
            picks += list(session.scalars(
                select(Variant.id).join(Product, Product.id == Variant.product_id)
                .where(Product.seller_id == seller_id, Product.status == "active").order_by(Variant.id).limit(count)
            ))
        world.checkout_variants = picks
        world.cart_variant_id = picks[0]
    with _session(app, tenant.id, write=True) as session:
        session.execute(update(Inventory).where(Inventory.variant_id.in_(picks)).values(on_hand=PLENTY, reserved=0))
    world.buyer_ids = buyers
    world.buyers = [token_headers(app, tenant, buyer) for buyer in buyers]
    world.seller_headers = token_headers(app, tenant, owner)
    world.webhook = paid_card_payment(world)
    return world


def fill_cart(world: World, buyer_index: int, variants: list[int] | None = None) -> None:
    """Put one unit of each variant in the buyer's cart (through the cart service)."""
    from pasar.cart import service as carts

    with _session(world.app, world.tenant.id, write=True) as session:
        for variant_id in variants or world.checkout_variants:
            carts.add_line(session, world.tenant, world.buyer_ids[buyer_index], variant_id, 1)


def checkout_body(world: World) -> dict[str, Any]:
    from pasar.testing.commerce_factories import EXAMPLE_ADDRESSES, TEST_CARD

    return {"shipping_address": {"country": world.tenant.country, **EXAMPLE_ADDRESSES[world.tenant.country]},
            "payment_method": "card", "vouchers": [], "shipping": [], "payment_details": {"card_number": TEST_CARD}}


def paid_card_payment(world: World) -> dict[str, Any]:
    """Place one card checkout through the API and keep what its webhook says, so the webhook
    scenario can send fresh events (new event ids) about a real, captured payment."""
    import pasar.providers as providers
    from pasar.payments.models import Payment

    sent: list[Any] = []
    real = providers.queue_webhook
    providers.queue_webhook = lambda code: sent.append  # type: ignore[assignment]
    try:
        fill_cart(world, 0)
        client = world.app.test_client()
        answer = client.post("/api/v1/checkout", json=checkout_body(world),
                             headers={**world.buyers[0], "Idempotency-Key": uuid.uuid4().hex})
        assert answer.status_code == 201, answer.get_json()
    finally:
        providers.queue_webhook = real  # type: ignore[assignment]
    hook = next(h for h in sent if h.endpoint == "payments")
    body = json.loads(hook.body)
    with _session(world.app, world.tenant.id) as session:
        payment = session.scalar(select(Payment).where(Payment.provider_ref == body["data"]["provider_ref"]))
        assert payment is not None
    return {"method": hook.provider, "type": body["type"], "data": body["data"], "payment_id": payment.id}


def signed_webhook(world: World) -> tuple[str, bytes, dict[str, str]]:
    """A fresh, correctly signed event about the captured payment: path, body, headers."""
    from pasar.providers import WEBHOOK_PATH, tenant_secret
    from pasar.sandbox import signing

    event_id = f"evt_{uuid.uuid4().hex}"
    now = datetime.now(UTC)
    body = json.dumps({"id": event_id, "type": world.webhook["type"], "created": now.isoformat(),
                       "data": world.webhook["data"]}, separators=(",", ":")).encode()
    secret = tenant_secret(world.app.config["PASAR"].webhook_secret, world.tenant.code)
    headers = {**signing.signed_headers(secret, body, event_id, now), "X-Pasar-Tenant": world.tenant.code}
    return WEBHOOK_PATH.format(endpoint="payments", provider=world.webhook["method"]), body, headers
