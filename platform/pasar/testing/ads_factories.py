"""Factory fixtures for the ads domain's tests.

``ads`` hands a test an ``AdsKit`` on ``ads_app``, an app on a database of its own: top-ups
draw on sellers' earnings in the ledger, and the shared ``app``'s payout runs (other domains'
tests) would otherwise pay those earnings out from under them. Each test starts with every
earlier test's campaign ended, so its auctions see only the campaigns it made.

    def test_cpm_charge(ads):
        shop = ads.seller()
        product = ads.product(shop)
        ads.fund(shop, "50.00")                                   # earnings, then a top-up
        campaign = ads.campaign(shop, product_id=product.id, billing="cpm", bid="10.00")
        awards = ads.auction(slots=1)                             # run_auction for a uk buyer
        served = ads.serve(awards)                                # record_impressions

Everything goes through the real services and endpoints: sellers reviewed, products listed,
videos posted and moderated, top-ups posted to the ledger.
"""
from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from moneyed import Money
from sqlalchemy.orm import Session

from pasar import clock
from pasar.testing.accounts_factories import logins_for, tenant_context
from pasar.testing.catalog_factories import ProductHandle

_refs = itertools.count(1)


def campaign_body(*, name: str = "Spring promo", kind: str = "in_feed", billing: str = "cpm", bid: str = "10.00",
                  daily_budget: str = "20.00", **fields: Any) -> dict[str, Any]:
    """A ``POST /api/v1/seller/ads/campaigns`` body; ``fields`` adds the target and the rest."""
    return {"name": name, "kind": kind, "billing": billing, "bid": bid, "daily_budget": daily_budget, **fields}


@dataclass
class AdsKit:
    """Shops, products, videos, creators and money for ads tests, in one app."""

    app: Any
    uploads: Path
    tenant_code: str = "uk"
    _makers: dict[str, Any] = field(default_factory=dict)

    # --- plumbing -------------------------------------------------------------------------------
    @property
    def db(self) -> Any:
        return self.app.extensions["pasar.db"]

    @property
    def client(self) -> Any:
        return self.app.test_client()

    def tenant(self, code: str | None = None) -> Any:
        return tenant_context(self.app, code or self.tenant_code)

    @contextmanager
    def session(self, code: str | None = None, *, write: bool = True, tenant: Any = None) -> Iterator[Session]:
        """A session bound to the tenant, committed on success (a writer on SQLite)."""
        with self.db.session((tenant or self.tenant(code)).id, write=write) as session:
            yield session

    def _maker(self, name: str, build: Callable[[], Any]) -> Any:
        if name not in self._makers:
            self._makers[name] = build()
        return self._makers[name]

    # --- people and things ----------------------------------------------------------------------
    def seller(self, code: str | None = None, status: str = "approved") -> Any:
        from pasar.testing.sellers_factories import sellers_for

        return self._maker("seller", lambda: sellers_for(self.app, self.uploads))(code or self.tenant_code, status)

    def buyer(self, code: str | None = None) -> tuple[int, dict[str, str]]:
        principal, headers = self._maker("login", lambda: logins_for(self.app))(code or self.tenant_code, "buyer")
        return principal.id, headers

    def creator(self, code: str | None = None) -> Any:
        from pasar.testing.creators_factories import creators_for

        return self._maker("creator", lambda: creators_for(self.app))(code or self.tenant_code)

    def category(self, slug: str, *, parent_id: int | None = None, code: str | None = None) -> int:
        from pasar.catalog import service

        tenant = self.tenant(code)
        with self.session(tenant=tenant) as session:
            made = service.create_category(session, tenant, slug=f"{slug}-{next(_refs)}",
                                           names={tenant.default_locale: slug.title()}, parent_id=parent_id)
            return int(made.id)

    def product(self, seller: Any, *, category_id: int | None = None, status: str = "active") -> ProductHandle:
        from pasar.testing.discovery_factories import create_titled

        tenant = self.tenant(seller.tenant)
        return create_titled(self.app, seller, {tenant.default_locale: ("Advertised thing", "Worth a slot")},
                             category_id=category_id, status=status)

    def video(self, author: Any, products: Sequence[Any] = (), *, moderation: str = "approved") -> Any:
        from pasar.testing.content_factories import videos_for

        return self._maker("video", lambda: videos_for(self.app))(author, products, moderation=moderation)

    def collaborate(self, seller: Any, product: Any, creator: Any) -> int:
        from pasar.testing.creators_factories import collaborations_for

        return int(self._maker("collaborate", lambda: collaborations_for(self.app))(seller, product, creator))

    # --- money ----------------------------------------------------------------------------------
    def earn(self, seller: Any, amount: str) -> None:
        """Credit the seller's payable as a completed order would (what a top-up draws on)."""
        from pasar.ledger import postings

        tenant = self.tenant(seller.tenant)
        zero = Money(0, tenant.currency)
        with self.session(tenant=tenant) as session:
            postings.order_completed(session, tenant, f"ads-test-order-{uuid.uuid4().hex[:12]}", seller.id,
                                     Money(Decimal(amount), tenant.currency), zero, zero, zero, zero)

    def top_up(self, seller: Any, amount: str, *, key: str | None = None) -> Any:
        """``POST /api/v1/seller/ads/account/topups``; the answer (any status)."""
        headers = {**seller.headers, "Idempotency-Key": key or f"topup-{uuid.uuid4().hex}"}
        return self.client.post("/api/v1/seller/ads/account/topups", json={"amount": amount}, headers=headers)

    def fund(self, seller: Any, amount: str) -> None:
        """Earn ``amount`` and move all of it into the ad balance."""
        self.earn(seller, amount)
        answer = self.top_up(seller, amount)
        assert answer.status_code == 201, answer.json

    # --- campaigns and the auction --------------------------------------------------------------
    def campaign(self, seller: Any, **fields: Any) -> dict[str, Any]:
        """A campaign made through the seller's endpoint; its JSON."""
        answer = self.client.post("/api/v1/seller/ads/campaigns", json=campaign_body(**fields), headers=seller.headers)
        assert answer.status_code == 201, answer.json
        return dict(answer.json)

    def auction(self, *, slots: int = 3, buyer_id: int | None = None, country: str = "GB",
                interests: Sequence[int] = (), at: datetime | None = None, code: str | None = None) -> list[Any]:
        from pasar.ads import service

        tenant = self.tenant(code)  # read before the writer's session: one connection per call
        with self.session(tenant=tenant) as session:
            return service.run_auction(session, tenant, buyer_id=buyer_id, country=country,
                                       interests=interests, at=at or clock.now(), slots=slots)

    def serve(self, awards: Sequence[Any], *, buyer_id: int | None = None, at: datetime | None = None,
              code: str | None = None) -> list[tuple[Any, str]]:
        from pasar.ads import service

        tenant = self.tenant(code)
        with self.session(tenant=tenant) as session:
            return service.record_impressions(session, tenant, awards, buyer_id=buyer_id,
                                              at=at or clock.now())

    def click(self, token: str, *, buyer_id: int | None = None, at: datetime | None = None,
              code: str | None = None) -> Any:
        from pasar.ads import service

        tenant = self.tenant(code)
        with self.session(tenant=tenant) as session:
            return service.record_click(session, tenant, token, buyer_id=buyer_id, at=at or clock.now())

    def account(self, seller: Any) -> tuple[int, int, int]:
        """(funded, spent, posted) micros of the seller's ad account (zeros if none)."""
        from pasar.ads import budget

        tenant = self.tenant(seller.tenant)
        with self.session(tenant=tenant, write=False) as session:
            row = budget.account(session, tenant, seller.id)
            return (row.funded_micros, row.spent_micros, row.posted_micros) if row else (0, 0, 0)

    def day(self, campaign_id: int, at: datetime | None = None, code: str | None = None) -> tuple[int, int, int]:
        """(spent micros, impressions, clicks) of the campaign on the local day of ``at``."""
        from sqlalchemy import select

        from pasar.ads import budget
        from pasar.ads.models import CampaignDay

        tenant = self.tenant(code)
        with self.session(tenant=tenant, write=False) as session:
            row = session.scalar(select(CampaignDay).where(
                CampaignDay.campaign_id == campaign_id, CampaignDay.day == budget.local_day(tenant, at or clock.now())))
            return (row.spent_micros, row.impressions, row.clicks) if row else (0, 0, 0)


def end_every_campaign(app: Any) -> None:
    """End the campaigns earlier tests left running, so each test's auction sees only its own."""
    from sqlalchemy import update

    from pasar.ads.models import Campaign

    with app.extensions["pasar.db"].session(all_tenants=True, write=True) as session:
        session.execute(update(Campaign).where(Campaign.status != "ended").values(status="ended"))


@pytest.fixture(scope="session")
def ads_app(make_app: Callable[..., Any]) -> Any:
    """An app with the reference tenants on a database only the ads tests use."""
    return make_app()


@pytest.fixture()
def ads(ads_app: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdsKit]:
    """An ``AdsKit`` on ``ads_app``; eager tasks run against that app meanwhile."""
    from pasar import worker

    previous = worker._app_cache.get("app")
    worker.use_app(ads_app)
    end_every_campaign(ads_app)
    yield AdsKit(ads_app, tmp_path_factory.mktemp("ads-uploads"))
    if previous is not None:
        worker.use_app(previous)
