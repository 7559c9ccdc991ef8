"""Clicks on promotion links made while signed out, claimed by the buyer after signing in.

A creator's link is usually tapped by somebody who is not signed in (they came from a video on
another app). The click is counted at once (``service.follow_link``), but attribution needs a
buyer, so the click is *remembered on the visitor's side* — in a signed cookie on the web, in a
signed claim token for apps — and turned into an ordinary ``PromotionClick`` when the visitor
signs in or registers (``claim``). From then on checkout attributes it like any other click.

What is remembered is only ``(link id, time of the click)``, signed with the application's
secret and a salt naming the tenant, so:

* a visitor cannot invent or back-date clicks (an unsigned or altered value fails the
  signature and is ignored);
* one tenant's cookie or token is meaningless in another (another tenant's salt fails the
  signature, and a link id is only looked up among this tenant's links anyway);
* the list is short (``MAX_PENDING`` most recent, one per link) and drops clicks older than
  the tenant's attribution window, so the cookie stays small.

A claimed click is recorded at the time it was *made*, not claimed: the creator must have been
allowed to promote the product then, and the attribution window counts from then. Claiming is
idempotent — a click already recorded for this buyer, link and moment is not recorded again —
so a cookie replayed, or a token posted twice, credits once.

Plain functions over ``(session, tenant, ...)`` and a signer built from a secret; no Flask.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from pasar.creators import service
from pasar.creators.models import PromotionClick, PromotionLink
from pasar.tenancy.service import TenantContext

#: At most this many signed-out clicks are remembered (the most recent, one per link).
MAX_PENDING = 20
#: Outcomes of claiming one remembered click.
CREDITED, ALREADY_CREDITED, EXPIRED, UNKNOWN_LINK, NOT_PROMOTABLE = (
    "credited", "already_credited", "expired", "unknown_link", "not_promotable")
OUTCOMES: tuple[str, ...] = (CREDITED, ALREADY_CREDITED, EXPIRED, UNKNOWN_LINK, NOT_PROMOTABLE)
#: What the signature is for: a browser's cookie, or a token handed to an app.
PURPOSES: tuple[str, ...] = ("cookie", "token")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InvalidClaim(ValueError):
    """A cookie or claim token that is not one this tenant signed (altered, another tenant's,
    another purpose's, or not one at all)."""


@dataclass(frozen=True, order=True)
class PendingClick:
    """A signed-out click: the link and when it was followed (UTC; the signed value carries
    whole microseconds, exactly what the database keeps, so a repeated claim is recognisable)."""

    at: datetime
    link_id: int

    @classmethod
    def of(cls, link_id: int, at: datetime) -> PendingClick:
        return cls(at=at.astimezone(UTC), link_id=link_id)

    @property
    def micros(self) -> int:
        """The time as whole microseconds since the epoch (exact, unlike a float timestamp)."""
        return (self.at - EPOCH) // timedelta(microseconds=1)


@dataclass(frozen=True)
class ClaimOutcome:
    """What became of one remembered click (``creator_id``/``product_id`` when its link exists)."""

    click: PendingClick
    outcome: str
    creator_id: int | None = None
    product_id: int | None = None


# --- signing ------------------------------------------------------------------------------------
class ClaimSigner:
    """Signs and reads remembered clicks for one tenant and one purpose.

    The salt names the tenant's code and id and the purpose, so a cookie cannot be posted as an
    app's token (or the other way round) and nothing signed for one tenant reads in another."""

    def __init__(self, secret: str | bytes, tenant: TenantContext, purpose: str = "cookie") -> None:
        if purpose not in PURPOSES:
            raise ValueError(f"purpose must be one of {', '.join(PURPOSES)}")
        if not secret:
            raise ValueError("a secret is needed to sign promotion clicks")
        self.tenant = tenant
        self._serializer = URLSafeSerializer(secret, salt=f"pasar.promotion-clicks.{purpose}.{tenant.code}.{tenant.id}")

    def dumps(self, clicks: Iterable[PendingClick]) -> str:
        pairs = [[click.link_id, click.micros] for click in clicks]
        return str(self._serializer.dumps({"t": self.tenant.id, "c": pairs}))

    def loads(self, value: str) -> list[PendingClick]:
        """The clicks a value carries; ``InvalidClaim`` unless this tenant signed it for this
        purpose and it has the expected shape."""
        try:
            data: Any = self._serializer.loads(value)
        except BadSignature as exc:
            raise InvalidClaim("not a promotion claim of this marketplace") from exc
        if not isinstance(data, dict) or data.get("t") != self.tenant.id or not isinstance(data.get("c"), list):
            raise InvalidClaim("not a promotion claim of this marketplace")
        clicks: list[PendingClick] = []
        for pair in data["c"][:MAX_PENDING]:
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in pair)):
                raise InvalidClaim("not a promotion claim of this marketplace")
            clicks.append(PendingClick.of(pair[0], EPOCH + timedelta(microseconds=pair[1])))
        return clicks

    def read(self, value: str | None) -> list[PendingClick]:
        """Like ``loads`` for a value a browser sent: anything not signed by us counts as no
        clicks at all (a tampered cookie is ignored, never an error page)."""
        if not value:
            return []
        try:
            return self.loads(value)
        except InvalidClaim:
            return []


# --- remembering --------------------------------------------------------------------------------
def remembered(
    tenant: TenantContext, pending: Sequence[PendingClick], new: PendingClick | None, now: datetime,
) -> list[PendingClick]:
    """The list to keep after a new signed-out click: clicks within the attribution window, the
    latest per link (an earlier click on the same link never wins attribution), the
    ``MAX_PENDING`` most recent, oldest first."""
    oldest = now - service.attribution_window(tenant)
    latest: dict[int, PendingClick] = {}
    for click in [*pending, *([new] if new is not None else [])]:
        if oldest < click.at <= now and (click.link_id not in latest or latest[click.link_id].at < click.at):
            latest[click.link_id] = click
    return sorted(latest.values())[-MAX_PENDING:]


def land(
    session: Session, tenant: TenantContext, code: str, buyer_id: int | None, at: datetime,
) -> tuple[PromotionLink, PendingClick | None]:
    """Follow a link (counted, and credited at once for a signed-in buyer: ``service.follow_link``)
    and answer, for a signed-out visitor, the click to remember until they sign in.
    An unknown code is ``service.CreatorNotFound``."""
    link = service.follow_link(session, tenant, code, buyer_id, at)
    return link, (PendingClick.of(link.id, at) if buyer_id is None else None)


# --- claiming -----------------------------------------------------------------------------------
def claim(
    session: Session, tenant: TenantContext, buyer_id: int, clicks: Iterable[PendingClick], now: datetime,
) -> list[ClaimOutcome]:
    """Record the remembered clicks as the buyer's ``PromotionClick``s, in time order.

    Dropped: clicks outside the attribution window (or dated after ``now``), links that are
    not this tenant's, clicks the creator could not be credited for when they were made (no
    right to promote the product then, or the buyer is the creator). A click already recorded
    for this buyer, link and moment is not recorded again. Nothing is claimed where the tenant
    has no affiliate feature."""
    if not tenant.has_feature(service.FEATURE):
        return []
    wanted = sorted(set(clicks))[-MAX_PENDING:]
    if not wanted:
        return []
    # Locking the links (PostgreSQL; SQLite's writer transaction is serial already) makes two
    # concurrent claims of one click queue, so the second sees the first's row and adds none.
    links = {link.id: link for link in session.scalars(
        select(PromotionLink).where(PromotionLink.id.in_({click.link_id for click in wanted}))
        .order_by(PromotionLink.id).with_for_update())}
    oldest = now - service.attribution_window(tenant)
    outcomes: list[ClaimOutcome] = []
    for click in wanted:
        link = links.get(click.link_id)
        if link is None:
            outcomes.append(ClaimOutcome(click, UNKNOWN_LINK))
            continue
        ids = {"creator_id": link.creator_id, "product_id": link.product_id}
        if not oldest < click.at <= now:
            outcomes.append(ClaimOutcome(click, EXPIRED, **ids))
        elif _already_recorded(session, buyer_id, link, click):
            outcomes.append(ClaimOutcome(click, ALREADY_CREDITED, **ids))
        elif service.record_click(session, tenant, buyer_id, link.creator_id, link.product_id, "link", link.id,
                                  click.at) is None:
            outcomes.append(ClaimOutcome(click, NOT_PROMOTABLE, **ids))
        else:
            outcomes.append(ClaimOutcome(click, CREDITED, **ids))
    return outcomes


def _already_recorded(session: Session, buyer_id: int, link: PromotionLink, click: PendingClick) -> bool:
    """Whether this click was claimed before: the buyer's click on this link within the same
    millisecond (a range, not equality: databases differ in how they hand back fractions of a
    second)."""
    found = session.scalar(select(PromotionClick.id).where(
        PromotionClick.buyer_id == buyer_id, PromotionClick.source_kind == "link",
        PromotionClick.source_id == link.id, PromotionClick.at >= click.at,
        PromotionClick.at < click.at + timedelta(milliseconds=1),
    ).limit(1))
    return found is not None
