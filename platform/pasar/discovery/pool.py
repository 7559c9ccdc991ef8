"""The feed's tenant-wide input — its candidates with their popularity, what their cards show,
their authors' names — computed once and kept per process for ``POOL_SECONDS``.

Everything here is the same for every buyer of a tenant, so a feed request only adds the
buyer's affinities, ranks the pool and reads its page's cards. The pool is bounded
(``pasar.discovery.candidates``: the newest and the most popular of each kind), which keeps the
ranking of a request cheap.

**Where popularity comes from.** The tenant's rollup (``pasar.discovery.rollup``), read in the
candidates' own statement; a tenant with no rollup yet (a fresh install, before the first beat
refresh) has it measured from the orders and interactions themselves — right, but a full
window read, which is why it is only the fallback.

**How fresh.** Keyed by database engine and tenant (a tenant's pool is never another's). A
pool is rebuilt after ``POOL_SECONDS``, and at once in this process when a session of this
process commits a change to what candidates are made of (products, shops, videos and their
anchors, live sessions); a pool whose popularity was measured from the tables also when
orders or interactions change. A refresh of the rollup forgets the tenant's pool in the
process that ran it; other processes see it within ``POOL_SECONDS``. Within that time a
request ranks what the pool held: a product listed (or a live started) in another process
since shows up at most a minute late, and one hidden since is left without a card
(``pasar.discovery.feed`` skips it).
"""
from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pasar import clock
from pasar.catalog.models import Product
from pasar.contracts import FeedCandidate
from pasar.content.models import Interaction, LiveSession, LiveShowcaseItem, Video, VideoAnchor
from pasar.discovery import candidates as found
from pasar.discovery import rollup, signals
from pasar.orders.models import Order, OrderLine
from pasar.sellers.models import Seller

POOL_SECONDS = 60.0


@dataclass(frozen=True)
class Pool:
    """One tenant's ranking input as built at ``built_at``."""

    tenant_id: int
    built_at: datetime
    organic: tuple[FeedCandidate, ...]
    shown: Mapping[tuple[str, int], found.Shown]
    names: Mapping[tuple[str, int], str]
    from_rollup: bool  # popularity read from the rollup (else measured from the tables)

    def candidates(self, at: datetime) -> tuple[FeedCandidate, ...]:
        """The candidates listed (or on air) by ``at``: a cursor's earlier moment sees no newer.
        The same tuple for every request after the pool was built (the kernel's ranker keeps
        what it worked out of it)."""
        if at >= self.built_at:
            return self.organic
        return tuple(c for c in self.organic if c.created_at is None or c.created_at <= at)


_Key = tuple[int, bool, bool]  # tenant id, videos, lives
_pools: "weakref.WeakKeyDictionary[Engine, dict[_Key, tuple[float, Pool]]]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return getattr(bind, "engine", bind)  # type: ignore[return-value]


def pool(session: Session, tenant_id: int, *, videos: bool, lives: bool) -> Pool:
    """The tenant's pool, built now (two statements) when this process has none fresh."""
    engine, key = _engine(session), (tenant_id, videos, lives)
    with _lock:
        held = _pools.get(engine, {}).get(key)
    if held is not None and held[0] > time.monotonic():
        return held[1]
    built = build(session, tenant_id, videos=videos, lives=lives)
    with _lock:
        _pools.setdefault(engine, {})[key] = (time.monotonic() + POOL_SECONDS, built)
    return built


def build(session: Session, tenant_id: int, *, videos: bool, lives: bool) -> Pool:
    """The pool now: from the rollup when the tenant has one, else measured."""
    at = clock.now()
    has_rollup = rollup.state(session) is not None
    popular = None if has_rollup else signals.popularity(session, at, videos=videos, lives=lives)
    loaded = found.load(session, at, popular, videos=videos, lives=lives)
    return Pool(tenant_id, at, tuple(loaded.organic), MappingProxyType(loaded.shown),
                MappingProxyType(loaded.names), has_rollup)


def forget(engine: Engine, tenant_id: int, *, measured_only: bool = False) -> None:
    """Drop the tenant's pools held for ``engine`` (``measured_only``: those whose popularity
    was measured from the tables)."""
    with _lock:
        held = _pools.get(engine)
        if not held:
            return
        for key in [k for k, (_, p) in held.items() if k[0] == tenant_id and not (measured_only and p.from_rollup)]:
            del held[key]


def clear(engine: Engine) -> None:
    """Drop every pool held for ``engine`` (tests; an operator after a bulk import)."""
    with _lock:
        _pools.pop(engine, None)


# --- forgetting pools when this process changes what they are made of --------------------------
_MADE_OF = (Product, Seller, Video, VideoAnchor, LiveSession, LiveShowcaseItem)
_POPULARITY = (Interaction, Order, OrderLine)
_TOUCHED = "pasar.discovery.pool.touched"


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context: Any) -> None:
    touched: set[tuple[int, bool]] = session.info.setdefault(_TOUCHED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _MADE_OF):
            touched.add((obj.tenant_id, False))
        elif isinstance(obj, _POPULARITY):
            touched.add((obj.tenant_id, True))


@event.listens_for(Session, "after_commit")
def _forget_changed(session: Session) -> None:
    touched = session.info.pop(_TOUCHED, None)
    if not touched or not _pools:
        return
    engine = _engine(session)
    for tenant_id, measured_only in touched:
        if tenant_id is not None:
            forget(engine, tenant_id, measured_only=measured_only)


@event.listens_for(Session, "after_soft_rollback")
def _drop_changes(session: Session, _previous: Any) -> None:
    session.info.pop(_TOUCHED, None)
