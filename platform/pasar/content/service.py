"""Videos and interactions: posting, moderation, what buyers may see, what they did.

Plain functions over ``(session, tenant, ...)``; they flush, the caller commits. Product rules
live in ``rules``; live sessions in ``live``.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pasar.content.errors import ContentNotFound, InvalidContent
from pasar.content.models import INTERACTION_KINDS, MAX_ANCHORS, Interaction, Video, VideoAnchor
from pasar.content.rules import Author, checked_products
from pasar.creators.service import record_click
from pasar.tenancy.service import TenantContext

MODERATION_DECISIONS = {"approve": "approved", "reject": "rejected"}


# --- videos -------------------------------------------------------------------------------------
def post_video(
    session: Session, tenant: TenantContext, author: Author, *, media_url: str, language: str,
    caption: str = "", cover_url: str | None = None, product_ids: Sequence[int] = (), at: datetime,
) -> Video:
    """A new video waiting for moderation, its anchors checked against the linking rules."""
    if language not in tenant.config.locales:
        raise InvalidContent(f"must be one of {', '.join(tenant.config.locales)}", "language")
    anchors = checked_products(session, tenant, author, product_ids, field="product_ids", limit=MAX_ANCHORS, at=at)
    video = Video(
        author_kind=author.kind, seller_id=author.author_seller_id, creator_id=_creator_of(author),
        posted_by=author.user_id, media_url=media_url, cover_url=cover_url, caption=caption,
        language=language, created_at=at,
    )
    video.anchors = [VideoAnchor(product_id=pid, position=i) for i, pid in enumerate(anchors)]
    session.add(video)
    session.flush()
    return video


def _creator_of(author: Author) -> int | None:
    return author.creator_id if author.kind == "creator" else None


def get_video(session: Session, tenant: TenantContext, video_id: int) -> Video:
    """Any video of the tenant, whatever its moderation state."""
    video = session.scalar(select(Video).where(Video.id == video_id))
    if video is None:
        raise ContentNotFound("no such video")
    return video


def visible_video(
    session: Session, tenant: TenantContext, video_id: int, *, authors: Sequence[Author] = (), operator: bool = False
) -> Video:
    """A video as the caller may see it: approved ones for everyone, the rest only for their
    author and operators (for anyone else they do not exist)."""
    video = get_video(session, tenant, video_id)
    if video.moderation == "approved" or operator:
        return video
    if any(author.owns(video.seller_id, video.creator_id, video.author_kind) for author in authors):
        return video
    raise ContentNotFound("no such video")


def list_videos(
    session: Session, tenant: TenantContext, *, seller_id: int | None = None, creator_id: int | None = None,
    moderation: str = "approved", before_id: int | None = None, limit: int = 20,
) -> list[Video]:
    """Videos newest first, keyset-paginated by id (``before_id`` = the last id of the page)."""
    query = select(Video).where(Video.moderation == moderation)
    if seller_id is not None:
        query = query.where(Video.author_kind == "seller", Video.seller_id == seller_id)
    if creator_id is not None:
        query = query.where(Video.author_kind == "creator", Video.creator_id == creator_id)
    if before_id is not None:
        query = query.where(Video.id < before_id)
    return list(session.scalars(query.order_by(Video.id.desc()).limit(limit)))


def moderate_video(
    session: Session, tenant: TenantContext, video_id: int, *, operator_id: int, decision: str,
    reason: str | None, at: datetime,
) -> Video:
    """An operator approves a video (buyers see it) or rejects it (taken down, with a reason)."""
    if decision not in MODERATION_DECISIONS:
        raise InvalidContent(f"must be one of {', '.join(MODERATION_DECISIONS)}", "decision")
    if decision == "reject" and not (reason or "").strip():
        raise InvalidContent("a rejection needs a reason the author will see", "reason")
    video = get_video(session, tenant, video_id)
    video.moderation = MODERATION_DECISIONS[decision]
    video.moderation_reason = reason if decision == "reject" else None
    video.moderated_by, video.moderated_at = operator_id, at
    session.flush()
    return video


# --- interactions -------------------------------------------------------------------------------
def record_interaction(
    session: Session, tenant: TenantContext, buyer_id: int, video_id: int, kind: str, *, at: datetime,
    watch_seconds: int | None = None, text: str | None = None, product_id: int | None = None,
) -> Interaction:
    """Store what a buyer did with an approved video; a product click also tells the creators
    domain, which keeps the click for attribution."""
    video = visible_video(session, tenant, video_id)
    fields = _interaction_fields(video, kind, watch_seconds, text, product_id)
    if kind == "like":
        return _like(session, buyer_id, video, at)
    interaction = Interaction(buyer_id=buyer_id, kind=kind, video_id=video.id, at=at, **fields)
    session.add(interaction)
    session.flush()
    if kind == "product_click":
        _tell_creators(session, tenant, buyer_id, video, interaction)
    return interaction


def like_video(session: Session, tenant: TenantContext, buyer_id: int, video_id: int, *, at: datetime) -> Interaction:
    """The buyer likes an approved video — once: liking it again answers the like already there."""
    return _like(session, buyer_id, visible_video(session, tenant, video_id), at)


def unlike_video(session: Session, tenant: TenantContext, buyer_id: int, video_id: int) -> bool:
    """Take the buyer's like back (its interaction row goes, so the feed forgets it too);
    unliking a video not liked changes nothing. Answers whether there was a like."""
    video = visible_video(session, tenant, video_id)
    gone = session.execute(delete(Interaction).where(
        Interaction.video_id == video.id, Interaction.buyer_id == buyer_id, Interaction.kind == "like"))
    return bool(gone.rowcount)  # type: ignore[attr-defined]


def liked(session: Session, tenant: TenantContext, buyer_id: int, video_id: int) -> bool:
    """Whether the buyer likes the video now (the like button's state)."""
    return _existing_like(session, buyer_id, video_id) is not None


def _existing_like(session: Session, buyer_id: int, video_id: int) -> Interaction | None:
    return session.scalar(select(Interaction).where(
        Interaction.video_id == video_id, Interaction.buyer_id == buyer_id, Interaction.kind == "like"))


def _like(session: Session, buyer_id: int, video: Video, at: datetime) -> Interaction:
    """Insert the like in a savepoint; when it is there already — a second tap, or a twin
    request that won the race (the unique index says so) — answer the stored one."""
    existing = _existing_like(session, buyer_id, video.id)
    if existing is not None:
        return existing
    like = Interaction(buyer_id=buyer_id, kind="like", video_id=video.id, at=at)
    try:
        with session.begin_nested():
            session.add(like)
            session.flush()
    except IntegrityError:
        found = _existing_like(session, buyer_id, video.id)
        assert found is not None, "the unique index refused the like: a twin holds it"
        return found
    return like


def _interaction_fields(
    video: Video, kind: str, watch_seconds: int | None, text: str | None, product_id: int | None
) -> dict[str, Any]:
    """The columns each kind needs, refusing what a kind does not carry."""
    if kind not in INTERACTION_KINDS:
        raise InvalidContent(f"must be one of {', '.join(INTERACTION_KINDS)}", "kind")
    if kind == "view":
        if watch_seconds is None:
            raise InvalidContent("a view needs the seconds watched", "watch_seconds")
        return {"watch_seconds": watch_seconds}
    if kind == "comment":
        if not (text or "").strip():
            raise InvalidContent("a comment needs text", "text")
        return {"text": text.strip()}  # type: ignore[union-attr]
    if kind == "product_click":
        if product_id not in {anchor.product_id for anchor in video.anchors}:
            raise InvalidContent("not a product linked under this video", "product_id")
        return {"product_id": product_id}
    return {}


def _tell_creators(session: Session, tenant: TenantContext, buyer_id: int, video: Video, click: Interaction) -> None:
    """A click on a creator's video is the click attribution counts from (the creators domain
    keeps it only while the creator may promote the product)."""
    if video.author_kind != "creator" or video.creator_id is None:
        return
    assert click.product_id is not None, "product clicks carry their product"
    record_click(session, tenant, buyer_id, video.creator_id, click.product_id, "video", video.id, click.at)


def counts(session: Session, tenant: TenantContext, video_id: int) -> dict[str, int]:
    """How many of each interaction kind a video has (for its detail page)."""
    rows = session.execute(
        select(Interaction.kind, func.count()).where(Interaction.video_id == video_id).group_by(Interaction.kind)
    )
    found = {kind: count for kind, count in rows}
    return {kind: int(found.get(kind, 0)) for kind in INTERACTION_KINDS}
