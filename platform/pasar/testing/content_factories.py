"""Factory fixtures for the content domain's tests (and for the feed's, which reads videos).

    def test_feed_shows_video(make_seller, make_product, make_video, make_live):
        shop = make_seller("uk")
        video = make_video(shop, [make_product(shop)])             # approved, anchored
        live = make_live(shop, [make_product(shop)], status="live")

Videos and live sessions are made through the real services as the shop (or a creator) would
make them, then taken to the moderation state or live status asked for.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from pasar.clock import now
from pasar.content import live as lives
from pasar.content import service
from pasar.content.rules import Author
from pasar.testing.accounts_factories import tenant_context


@dataclass(frozen=True)
class VideoHandle:
    """A video made for a test and the headers of its author."""

    id: int
    tenant: str
    headers: dict[str, str]


@dataclass(frozen=True)
class LiveHandle:
    """A live session made for a test and the headers of its host."""

    id: int
    tenant: str
    headers: dict[str, str]


def seller_author(seller: Any) -> Author:
    """A ``SellerHandle``'s shop — or a ``CreatorHandle``'s creator — as an author."""
    # Imported here: pytest loads this plugin module before the creators' one.
    from pasar.testing.creators_factories import CreatorHandle

    if isinstance(seller, CreatorHandle):
        return Author(kind="creator", user_id=seller.user_id, seller_id=None, creator_id=seller.id)
    return Author(kind="seller", user_id=seller.user_id, seller_id=seller.id, creator_id=None)


def _ids(products: Sequence[Any]) -> list[int]:
    return [p if isinstance(p, int) else p.id for p in products]


def videos_for(app: Any) -> Callable[..., VideoHandle]:
    """A ``make_video`` for ``app``: ``make_video(seller_or_creator, products=(),
    moderation="approved", caption="...")``."""
    db = app.extensions["pasar.db"]

    def make(seller: Any, products: Sequence[Any] = (), *, moderation: str = "approved",
             caption: str = "Unboxing") -> VideoHandle:
        tenant = tenant_context(app, seller.tenant)
        with db.session(tenant.id, write=True) as session:
            video = service.post_video(
                session, tenant, seller_author(seller), media_url="https://media.example/v.mp4",
                language=tenant.default_locale, caption=caption, product_ids=_ids(products), at=now(),
            )
            if moderation != "pending":
                decision = "approve" if moderation == "approved" else "reject"
                service.moderate_video(session, tenant, video.id, operator_id=1, decision=decision,
                                       reason="test", at=now())
            return VideoHandle(video.id, seller.tenant, seller.headers)

    return make


def lives_for(app: Any) -> Callable[..., LiveHandle]:
    """A ``make_live`` for ``app``: ``make_live(seller, products=(), status="scheduled")``."""
    db = app.extensions["pasar.db"]

    def make(seller: Any, products: Sequence[Any] = (), *, status: str = "scheduled",
             title: str = "Friday live") -> LiveHandle:
        tenant = tenant_context(app, seller.tenant)
        author = seller_author(seller)
        with db.session(tenant.id, write=True) as session:
            live = lives.create_live(session, tenant, author, title=title, scheduled_at=now() + timedelta(hours=1),
                                     product_ids=_ids(products), at=now())
            if status in ("live", "ended"):
                lives.start_live(session, tenant, author, live.id, now())
            if status == "ended":
                lives.end_live(session, tenant, author, live.id, now(), "https://media.example/replay.mp4")
            return LiveHandle(live.id, seller.tenant, seller.headers)

    return make


@pytest.fixture()
def make_video(app: Any) -> Callable[..., VideoHandle]:
    return videos_for(app)


@pytest.fixture()
def make_live(app: Any) -> Callable[..., LiveHandle]:
    return lives_for(app)
