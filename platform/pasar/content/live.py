"""Live sessions: scheduling, going live, ending with a replay, the showcase and its pin.

State changes are guarded UPDATEs (``WHERE status = <expected>``) so two clicks of "start" or a
start racing an end cannot both win. Room events (pins, comments) are published by the caller
after its commit — an event never announces a change that rolled back.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pasar.content.errors import ContentNotFound, InvalidContent, WrongState
from pasar.content.models import LIVE_STATUSES, Interaction, LiveSession, LiveShowcaseItem
from pasar.content.rules import Author, checked_products
from pasar.creators.service import record_click
from pasar.tenancy.service import TenantContext

#: How many products a live session's shop bag may hold.
MAX_SHOWCASE = 50
COMMENT_KINDS = ("comment", "question")
LIVE_INTERACTIONS = ("view", "like", "share", "product_click")


def room_name(tenant: TenantContext, live_id: int) -> str:
    """The pub/sub room of a live session (tenant code first: ids repeat across tenants)."""
    return f"{tenant.code}:live:{live_id}"


def create_live(
    session: Session, tenant: TenantContext, author: Author, *, title: str, scheduled_at: datetime,
    product_ids: Sequence[int] = (), at: datetime,
) -> LiveSession:
    """Schedule a live session with its showcase (products checked like video anchors)."""
    products = checked_products(session, tenant, author, product_ids, field="product_ids", limit=MAX_SHOWCASE, at=at)
    live = LiveSession(
        host_kind=author.kind, seller_id=author.author_seller_id,
        creator_id=author.creator_id if author.kind == "creator" else None,
        hosted_by=author.user_id, title=title, scheduled_at=scheduled_at, created_at=at,
    )
    live.showcase = _items(products)
    session.add(live)
    session.flush()
    return live


def _items(product_ids: Sequence[int]) -> list[LiveShowcaseItem]:
    return [LiveShowcaseItem(product_id=pid, position=i) for i, pid in enumerate(product_ids)]


def get_live(session: Session, tenant: TenantContext, live_id: int) -> LiveSession:
    """Any live session of the tenant (scheduled ones are public: they are announced)."""
    live = session.scalar(select(LiveSession).where(LiveSession.id == live_id))
    if live is None:
        raise ContentNotFound("no such live session")
    return live


def hosted_live(session: Session, tenant: TenantContext, author: Author, live_id: int) -> LiveSession:
    """The live session if ``author`` hosts it; another host's answers as not found."""
    live = get_live(session, tenant, live_id)
    if not author.owns(live.seller_id, live.creator_id, live.host_kind):
        raise ContentNotFound("no such live session")
    return live


def list_lives(session: Session, tenant: TenantContext, status: str = "live", limit: int = 50) -> list[LiveSession]:
    """Live sessions in ``status``: live ones most recently started first, others by schedule."""
    query = select(LiveSession).where(LiveSession.status == status)
    order = LiveSession.started_at.desc() if status == "live" else LiveSession.scheduled_at
    return list(session.scalars(query.order_by(order, LiveSession.id.desc()).limit(limit)))


def list_host_sessions(
    session: Session, tenant: TenantContext, *, seller_id: int | None = None, creator_id: int | None = None,
    status: str | None = None, limit: int = 50,
) -> list[LiveSession]:
    """The live sessions one host runs — a shop (as the shop, not through a creator) or a
    creator — latest schedule first, optionally in one ``status``: the host's own schedule
    (seller center, ``GET /api/v1/seller/live-sessions``). Exactly one host must be named: a
    list across every host is ``list_lives``."""
    if (seller_id is None) == (creator_id is None):
        raise InvalidContent("name exactly one host: a shop or a creator", "host")
    if status is not None and status not in LIVE_STATUSES:
        raise InvalidContent(f"must be one of {', '.join(LIVE_STATUSES)}", "status")
    if seller_id is not None:
        query = select(LiveSession).where(LiveSession.host_kind == "seller", LiveSession.seller_id == seller_id)
    else:
        query = select(LiveSession).where(LiveSession.host_kind == "creator", LiveSession.creator_id == creator_id)
    if status is not None:
        query = query.where(LiveSession.status == status)
    order = (LiveSession.scheduled_at.desc(), LiveSession.id.desc())
    return list(session.scalars(query.order_by(*order).limit(limit)))


def _move(session: Session, live: LiveSession, source: str, target: str, **values: object) -> LiveSession:
    moved = session.execute(
        update(LiveSession).where(LiveSession.id == live.id, LiveSession.status == source)
        .values(status=target, **values).execution_options(synchronize_session=False)
    )
    session.refresh(live)
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise WrongState(f"the live session is {live.status}, not {source}", "status")
    return live


def start_live(session: Session, tenant: TenantContext, author: Author, live_id: int, at: datetime) -> LiveSession:
    """Go live: the room opens to comments and purchases."""
    return _move(session, hosted_live(session, tenant, author, live_id), "scheduled", "live", started_at=at)


def end_live(
    session: Session, tenant: TenantContext, author: Author, live_id: int, at: datetime, replay_url: str | None
) -> LiveSession:
    """End the stream; the replay URL (if any) is what buyers watch afterwards."""
    live = hosted_live(session, tenant, author, live_id)
    return _move(session, live, "live", "ended", ended_at=at, replay_url=replay_url)


def set_showcase(
    session: Session, tenant: TenantContext, author: Author, live_id: int, product_ids: Sequence[int], at: datetime
) -> LiveSession:
    """Replace the shop bag; a pinned product no longer in it is unpinned."""
    live = _open_hosted(session, tenant, author, live_id)
    products = checked_products(session, tenant, author, product_ids, field="product_ids", limit=MAX_SHOWCASE, at=at)
    live.showcase.clear()
    session.flush()  # the old rows go before the new ones take their (live, product) keys
    live.showcase.extend(_items(products))
    if live.pinned_product_id not in products:
        live.pinned_product_id = None
    session.flush()
    return live


def pin(
    session: Session, tenant: TenantContext, author: Author, live_id: int, product_id: int | None
) -> LiveSession:
    """Pin one showcase product (the big card over the stream), or unpin with None."""
    live = _open_hosted(session, tenant, author, live_id)
    if product_id is not None and product_id not in {item.product_id for item in live.showcase}:
        raise InvalidContent("pin a product of the showcase", "product_id")
    live.pinned_product_id = product_id
    session.flush()
    return live


def _open_hosted(session: Session, tenant: TenantContext, author: Author, live_id: int) -> LiveSession:
    live = hosted_live(session, tenant, author, live_id)
    if live.status == "ended":
        raise WrongState("the live session has ended", "status")
    return live


def comment(
    session: Session, tenant: TenantContext, buyer_id: int, live_id: int, text: str, at: datetime
) -> Interaction:
    """A buyer's comment or question in a running live, kept as an interaction for the feed."""
    live = get_live(session, tenant, live_id)
    if live.status != "live":
        raise WrongState(f"the live session is {live.status}: comments open when it is live", "status")
    if not text.strip():
        raise InvalidContent("a comment needs text", "text")
    interaction = Interaction(buyer_id=buyer_id, kind="comment", live_session_id=live.id, text=text.strip(), at=at)
    session.add(interaction)
    session.flush()
    return interaction


def record_interaction(
    session: Session, tenant: TenantContext, buyer_id: int, live_id: int, kind: str, *, at: datetime,
    watch_seconds: int | None = None, product_id: int | None = None,
) -> Interaction:
    """A buyer watched, liked or shared a live, or clicked a showcase product; a click in a
    creator's room is the click attribution counts from (``source_kind="live"``)."""
    live = get_live(session, tenant, live_id)
    if live.status == "scheduled":
        raise WrongState("the live session has not started", "status")
    fields = _live_fields(live, kind, watch_seconds, product_id)
    interaction = Interaction(buyer_id=buyer_id, kind=kind, live_session_id=live.id, at=at, **fields)
    session.add(interaction)
    session.flush()
    if kind == "product_click" and live.host_kind == "creator" and live.creator_id is not None:
        record_click(session, tenant, buyer_id, live.creator_id, interaction.product_id, "live", live.id, at)
    return interaction


def _live_fields(live: LiveSession, kind: str, watch_seconds: int | None, product_id: int | None) -> dict[str, int]:
    if kind not in LIVE_INTERACTIONS:
        raise InvalidContent(f"must be one of {', '.join(LIVE_INTERACTIONS)} (comments: POST .../comments)", "kind")
    if kind == "view":
        if watch_seconds is None:
            raise InvalidContent("a view needs the seconds watched", "watch_seconds")
        return {"watch_seconds": watch_seconds}
    if kind == "product_click":
        if product_id not in {item.product_id for item in live.showcase}:
            raise InvalidContent("not a product of this live session's showcase", "product_id")
        return {"product_id": product_id}
    return {}


def room_purchase(
    session: Session, tenant: TenantContext, buyer_id: int, live_id: int, product_id: int, at: datetime
) -> LiveSession:
    """The live session a buyer puts a product in the cart from: it must be on air and show the
    product. The cart line then carries the session, so the order is attributed to it (and to
    its host: a shop's room shows only the shop's products; in a creator's room this counts as
    the click that credits the creator, as a showcase click does)."""
    live = get_live(session, tenant, live_id)
    if live.status != "live":
        raise WrongState(f"the live session is {live.status}: buy in a room while it is live", "source_id")
    if product_id not in {item.product_id for item in live.showcase}:
        raise InvalidContent("not a product of this live session's showcase", "source_id")
    if live.host_kind == "creator" and live.creator_id is not None:
        record_click(session, tenant, buyer_id, live.creator_id, product_id, "live", live.id, at)
    return live


def answerable(session: Session, tenant: TenantContext, author: Author, live_id: int) -> LiveSession:
    """The host's running live session, where it may answer questions."""
    live = hosted_live(session, tenant, author, live_id)
    if live.status != "live":
        raise WrongState(f"the live session is {live.status}", "status")
    return live
