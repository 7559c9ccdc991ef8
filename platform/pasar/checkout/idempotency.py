"""The Idempotency-Key store: one order and one charge per key, whatever the client retries.

The key's record is inserted first in the transaction that does the work (``hold``), so the
unique constraint ``(tenant, buyer, key)`` decides which of two concurrent requests does it:
the other's INSERT waits for that transaction (PostgreSQL: on the unique index; SQLite:
``BEGIN IMMEDIATE`` already serialises writers) and then fails, or succeeds if the work
rolled back. ``claim`` does the same in a transaction of its own, and reads the record that
won. The loser finds it: still ``in_flight`` → 409 (try again shortly); ``done`` with the
same body → the stored answer, status and JSON, again; another body → 422. A request that dies with an unexpected error gives its key up (``abandon``) so a
retry can run; one killed outright leaves its record ``in_flight``, which turns ``stale`` after
``STALE_AFTER`` (the caller then answers from what was stored, or runs the work again). Every
answer (2xx or a refusal) is kept for ``KEEP_FOR``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pasar import clock
from pasar.checkout.models import IdempotencyRecord
from pasar.db import Database

KEEP_FOR = timedelta(hours=24)
#: A record still ``in_flight`` after this long belongs to a request that died mid-way.
STALE_AFTER = timedelta(minutes=5)
MAX_KEY_LENGTH = 128

Outcome = Literal["new", "replay", "in_flight", "stale", "mismatch"]


@dataclass(frozen=True)
class Claim:
    outcome: Outcome
    record_id: int
    response_status: int | None = None
    response_body: dict[str, Any] | None = None


def request_hash(body: Any) -> str:
    """sha256 of the body as canonical JSON: key order and spacing do not matter."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def hold(session: Session, buyer_id: int, key: str, digest: str) -> int:
    """Insert the key's ``in_flight`` record as the first write of the caller's transaction;
    its id. ``IntegrityError`` when another request holds the key: the caller rolls back and
    learns what to answer from ``claim``."""
    record = IdempotencyRecord(buyer_id=buyer_id, key=key, request_hash=digest, status="in_flight")
    session.add(record)
    session.flush()
    return record.id


def claim(db: Database, tenant_id: int, buyer_id: int, key: str, digest: str,
          answer: tuple[int, dict[str, Any]] | None = None) -> Claim:
    """Become the request that does the work for ``key``, or learn what to answer instead.
    With ``answer`` (a refusal the work already gave) the record is kept ``done`` at once."""
    for _attempt in range(2):
        try:
            with db.session(tenant_id, write=True) as session:
                record = IdempotencyRecord(buyer_id=buyer_id, key=key, request_hash=digest, status="in_flight")
                if answer is not None:
                    record.status, record.response_status, record.response_body = "done", answer[0], answer[1]
                    record.finished_at = clock.now()
                session.add(record)
                session.flush()
                return Claim("new", record.id)
        except IntegrityError:
            found = existing(db, tenant_id, buyer_id, key, digest)
            if found is not None:
                return found
    raise RuntimeError(f"idempotency key {key!r} could not be claimed")


def existing(db: Database, tenant_id: int, buyer_id: int, key: str, digest: str) -> Claim | None:
    """What the record that won says; a record past ``KEEP_FOR`` is deleted (None: claim again)."""
    with db.session(tenant_id, write=True) as session:
        record = session.scalar(
            select(IdempotencyRecord).where(IdempotencyRecord.buyer_id == buyer_id, IdempotencyRecord.key == key)
        )
        if record is None:
            return None
        if record.created_at < clock.now() - KEEP_FOR:
            session.delete(record)
            return None
        return _answer(record, digest)


def _answer(record: IdempotencyRecord, digest: str) -> Claim:
    if record.request_hash != digest:
        return Claim("mismatch", record.id)
    if record.status == "in_flight":
        stale = record.created_at < clock.now() - STALE_AFTER
        return Claim("stale" if stale else "in_flight", record.id)
    return Claim("replay", record.id, record.response_status, record.response_body)


def finish(db: Database, tenant_id: int, record_id: int, status: int, body: dict[str, Any]) -> None:
    """Keep the answer the work produced; replays send exactly this."""
    with db.session(tenant_id, write=True) as session:
        finish_in(session, record_id, status, body)


def finish_in(session: Session, record_id: int, status: int, body: dict[str, Any]) -> None:
    """``finish`` in the caller's transaction (with the last writes of the work)."""
    session.execute(
        update(IdempotencyRecord).where(IdempotencyRecord.id == record_id).values(
            status="done", response_status=status, response_body=body, finished_at=clock.now(),
        ).execution_options(synchronize_session=False)  # no record is loaded: nothing to bring up to date
    )


def abandon(db: Database, tenant_id: int, record_id: int) -> None:
    """The work failed unexpectedly: free the key so the client's retry can do it."""
    with db.session(tenant_id, write=True) as session:
        session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id, IdempotencyRecord.status == "in_flight")
        )


def purge(db: Database, older_than: timedelta = KEEP_FOR) -> int:
    """Delete every tenant's records older than ``older_than``; returns how many."""
    with db.session(all_tenants=True, write=True) as session:
        result = session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < clock.now() - older_than))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
