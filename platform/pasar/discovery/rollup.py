"""The feed's popularity rollup: what ``pasar.discovery.signals.popularity`` measures, kept per
tenant in ``feed_popularity`` so a feed reads a bounded top-N instead of every order line and
interaction of the window.

**Scores.** A row holds ``sum(amount * exp(-(reference - moment) / POPULARITY_DECAY_DAYS))`` over
its thing's purchases and interactions (amounts and per-day bucketing as in ``signals``), where
``reference`` is one moment per tenant (``FeedPopularityState``). Exponential decay is a common
factor: decayed to any later moment every score shrinks by the same ``exp(-(now - reference)/7
days)``, so scores of one tenant compare as they are and, scaled per kind so the most popular
is 1, are exactly what ``signals.popularity`` answers at the reference moment.

**Refresh** (``refresh``; the beat task ``pasar.discovery.refresh_popularity`` runs it every
``REFRESH_MINUTES`` for every tenant):

* a *rebuild* — the first time, then once ``REBUILD_EVERY`` has passed since the reference —
  recounts the window from the tables and moves the reference to now, so purchases and
  interactions older than ``POPULARITY_DAYS`` drop out;
* an *increment* in between adds only the interactions with an id above the last one counted
  (interactions are append-only) and recounts the purchases of the window (an order counts
  once paid, which happens after it was placed, and orders are few next to interactions).

**Freshness.** A feed sees a purchase or an interaction at most ``REFRESH_MINUTES`` (plus the
feed's own ``pasar.discovery.pool`` cache, a minute) after it happened. Between rebuilds a
thing's interactions older than the window still count, at under 1.5% of their weight
(``exp(-30/7)``); an unliked like, and an interaction committed with a lower id after a later
one was counted, are corrected by the next rebuild (within ``REBUILD_EVERY``).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pasar import clock
from pasar.content.models import Interaction
from pasar.db import Database, current_tenant_id
from pasar.discovery.models import FeedPopularity, FeedPopularityState
from pasar.discovery.signals import POPULARITY_DECAY_DAYS, popularity_rows, row_amount

REFRESH_MINUTES = 5
REBUILD_EVERY = timedelta(hours=24)


@dataclass(frozen=True)
class Refreshed:
    """What one refresh did: ``rebuilt`` (else incremented) and how many rows it wrote."""

    rebuilt: bool
    rows: int
    reference: datetime


def weight(moment: datetime, reference: datetime) -> float:
    """``exp(-(reference - moment) / POPULARITY_DECAY_DAYS)`` — above 1 for a moment after
    the reference (an increment's interactions), which is what keeps scores comparable."""
    return math.exp((moment - reference).total_seconds() / (POPULARITY_DECAY_DAYS * 86400))


def state(session: Session) -> FeedPopularityState | None:
    """The tenant's rollup state; None before its first refresh."""
    return session.scalar(select(FeedPopularityState))


def refresh(session: Session, at: datetime) -> Refreshed:
    """Bring the session's tenant's rollup up to ``at`` (in the caller's write transaction).
    The state row is locked first (PostgreSQL; SQLite writes one at a time anyway), so two
    refreshes at once take turns instead of adding the same interactions twice."""
    known = session.scalar(select(FeedPopularityState).with_for_update())
    if known is None or at - known.reference >= REBUILD_EVERY or at < known.reference:
        return _rebuild(session, known, at)
    return _increment(session, known, at)


def _last_interaction(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Interaction.id), 0))) or 0)


def _sums(session: Session, statement: Any, reference: datetime) -> dict[tuple[str, int], float]:
    sums: dict[tuple[str, int], float] = defaultdict(float)
    for row in session.execute(statement):
        if row.ident is not None:
            sums[(row.target, row.ident)] += row_amount(row) * weight(row.latest, reference)
    return sums


def _rebuild(session: Session, known: FeedPopularityState | None, at: datetime) -> Refreshed:
    through = _last_interaction(session)
    bought = _sums(session, popularity_rows(at, interactions=False), at)
    engaged = _sums(session, popularity_rows(at, orders=False, through_id=through), at)
    tenant_id = current_tenant_id(session)
    session.execute(delete(FeedPopularity))
    rows = [
        {"tenant_id": tenant_id, "target": target, "ident": ident, "bought": bought.get(key, 0.0),
         "engaged": engaged.get(key, 0.0), "score": bought.get(key, 0.0) + engaged.get(key, 0.0)}
        for key in bought.keys() | engaged.keys()
        for target, ident in [key]
    ]
    if rows:
        session.execute(FeedPopularity.__table__.insert(), rows)
    if known is None:
        session.add(FeedPopularityState(reference=at, refreshed_at=at, interactions_through=through))
    else:
        known.reference, known.refreshed_at, known.interactions_through = at, at, through
    session.flush()
    return Refreshed(True, len(rows), at)


def _increment(session: Session, known: FeedPopularityState, at: datetime) -> Refreshed:
    reference, through = known.reference, _last_interaction(session)
    engaged = _sums(session, popularity_rows(at, orders=False, after_id=known.interactions_through,
                                             through_id=through), reference)
    bought = _sums(session, popularity_rows(at, interactions=False), reference)
    table = FeedPopularity.__table__
    session.execute(update(FeedPopularity).where(FeedPopularity.bought != 0)
                    .values(bought=0.0, score=FeedPopularity.engaged))
    tenant_id = current_tenant_id(session)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    if engaged:
        adding = insert(table)
        session.execute(adding.on_conflict_do_update(
            index_elements=["tenant_id", "target", "ident"],
            set_={"engaged": table.c.engaged + adding.excluded.engaged, "score": table.c.score + adding.excluded.engaged},
        ), [{"tenant_id": tenant_id, "target": t, "ident": i, "bought": 0.0, "engaged": v, "score": v}
            for (t, i), v in engaged.items()])
    if bought:
        setting = insert(table)
        session.execute(setting.on_conflict_do_update(
            index_elements=["tenant_id", "target", "ident"],
            set_={"bought": setting.excluded.bought, "score": table.c.engaged + setting.excluded.bought},
        ), [{"tenant_id": tenant_id, "target": t, "ident": i, "bought": v, "engaged": 0.0, "score": v}
            for (t, i), v in bought.items()])
    known.refreshed_at, known.interactions_through = at, through
    session.flush()
    return Refreshed(False, len(engaged) + len(bought), reference)


def refresh_all(db: Database, at: datetime | None = None) -> dict[str, Refreshed]:
    """Refresh every tenant's rollup (one write transaction each) and forget this process's
    feed pools of them; what the beat task runs, and what a benchmark runs after generating
    data. ``at`` defaults to now."""
    from pasar.discovery import pool
    from pasar.tenancy.service import list_tenants

    moment = at or clock.now()
    with db.session(all_tenants=True) as session:
        tenants = [(tenant.id, tenant.code) for tenant in list_tenants(session)]
    done: dict[str, Refreshed] = {}
    for tenant_id, code in tenants:
        with db.session(tenant_id, write=True) as session:
            done[code] = refresh(session, moment)
        pool.forget(db.engine, tenant_id)
    return done
