"""Factory fixtures for the creators domain's tests (and for the content, ads and discovery
tests that need a creator).

``make_creator("uk")`` makes a user a creator through the real service — a payout account the
tenant's payout provider accepts, the "creator" role granted — and answers its auth headers.
``collaborate(seller, product, creator, rate="0.10")`` invites the creator to promote the
product and has the creator accept, so ``may_promote`` holds from then on.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, Protocol

import pytest

from pasar import clock
from pasar.creators import service
from pasar.testing.accounts_factories import logins_for, tenant_context
from pasar.testing.sellers_factories import EXAMPLE_BANK_ACCOUNTS

_handles = itertools.count(1)


@dataclass(frozen=True)
class CreatorHandle:
    """A creator made for a test: its profile id, its user and the user's auth headers."""

    id: int
    user_id: int
    headers: dict[str, str]
    tenant: str  # tenant code


class MakeCreator(Protocol):
    def __call__(self, tenant_code: str, *, categories: tuple[str, ...] = (),
                 countries: tuple[str, ...] = (), owner: Any = None) -> CreatorHandle: ...


def creators_for(app: Any) -> MakeCreator:
    """A ``make_creator`` for ``app`` (tests with their own ``make_app()`` app use this)."""
    login = logins_for(app)

    def make(tenant_code: str, *, categories: tuple[str, ...] = (), countries: tuple[str, ...] = (),
             owner: Any = None) -> CreatorHandle:
        if owner is not None:  # a shop's owner (a SellerHandle) becomes a creator too
            user_id, headers = owner.user_id, dict(owner.headers)
        else:
            principal, headers = login(tenant_code, "buyer")
            user_id = principal.id
        tenant = tenant_context(app, tenant_code)
        db = app.extensions["pasar.db"]
        profile = service.Profile(
            handle=f"creator{next(_handles)}u{user_id}", display_name=f"Creator {user_id}",
            bank_account=EXAMPLE_BANK_ACCOUNTS[tenant.country], categories=categories, countries=countries,
        )
        with db.session(tenant.id, write=True) as session:
            from pasar.sellers.service import payouts_for

            payouts = payouts_for(db, app.config["PASAR"], tenant)
            creator = service.create_profile(session, tenant, user_id, profile, payouts, clock.now())
            creator_id = creator.id
        return CreatorHandle(creator_id, user_id, dict(headers), tenant_code)

    return make


@pytest.fixture()
def make_creator(app: Any) -> MakeCreator:
    """``make_creator(tenant_code, categories=(), countries=(), owner=None) -> CreatorHandle``;
    ``owner`` (a ``SellerHandle``) makes that shop's owner the creator."""
    return creators_for(app)


class Collaborate(Protocol):
    def __call__(self, seller: Any, product: Any, creator: CreatorHandle, rate: str = "0.10",
                 days: int = 30) -> int: ...


def collaborations_for(app: Any) -> Collaborate:
    """A ``collaborate`` for ``app``: answers the active collaboration's id."""

    def collaborate(seller: Any, product: Any, creator: CreatorHandle, rate: str = "0.10", days: int = 30) -> int:
        tenant = tenant_context(app, seller.tenant)
        now = clock.now()
        offer = service.Offer(product_id=product.id, rate=Decimal(rate), starts_at=now - timedelta(minutes=1),
                              ends_at=now + timedelta(days=days), creator_id=creator.id)
        with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
            row = service.publish_offer(session, tenant, seller.id, offer, now)
            invitation = service.creator_collaborations(session, tenant, creator.id, "invited")[0]
            assert invitation.offer_id == row.id
            return service.decide(session, tenant, "accept", creator.id, invitation.id, now).id

    return collaborate


@pytest.fixture()
def collaborate(app: Any) -> Collaborate:
    """``collaborate(seller, product, creator, rate="0.10", days=30) -> collaboration id``."""
    return collaborations_for(app)
