"""Each tenant's catalog generation: a number that every write able to change a public catalog
answer bumps, in the writing transaction, so that cached answers (``pasar.catalog.cache``) are
used only while nothing they were made from has changed.

What counts is every table the public listing, product page and categories read
(``WATCHED_TABLES``: products and their texts, variants, price periods, stock, pictures,
categories and moderation, which is a product column; shops, whose status hides their
products; deals, whose quota is held in stock) — ``tests/catalog`` checks that the statements
of ``pasar.catalog.listing`` read nothing else. Writes are seen generically, whichever domain
makes them:

- the ORM flush of any object of those tables (new, changed or deleted), and
- ORM ``insert()``/``update()``/``delete()`` statements run through a session against them,
  such as the guarded stock decrement of a checkout (``catalog.inventory``).

The tenants are collected during the transaction and bumped once, just before it commits
(``before_commit``), so the generation row of a tenant is locked only for the moment of the
commit and a transaction costs one more statement however much it wrote; a flush that still
happens after that (another listener's) bumps at once. A statement of a session bound to no
tenant (an operator's, over every tenant) bumps every tenant.

Writes that bypass the ORM session (raw SQL on a connection, ``bench/generate.py``) are not
seen: the cache's maximum age (30 s) bounds how long such a change can go unseen.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    ForeignKey,
    Integer,
    bindparam,
    event,
    insert,
    inspect,
    literal,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from pasar.db import Base
from pasar.tenancy import service as tenancy
from pasar.web import stamp_value

#: The tables whose rows the public catalog answers are made of.
WATCHED_TABLES: frozenset[str] = frozenset({
    "products", "product_texts", "variants", "price_changes", "inventory", "product_images", "categories",
    "sellers", "deals",
})

#: Stands for "every tenant" (a write from a session bound to none).
EVERY_TENANT = 0

_PENDING = "pasar_catalog_changed"  # tenants written to in the open transaction
_COMMITTING = "pasar_catalog_bumped"  # set once before_commit bumped: tenants already bumped


class CatalogGeneration(Base):
    """One row per tenant that ever changed its catalog; no row reads as generation 0."""

    __tablename__ = "catalog_generations"

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)


_TABLE = CatalogGeneration.__table__
_READ = select(_TABLE.c.generation).where(_TABLE.c.tenant_id == bindparam("tenant", type_=Integer))


def _generation_of(tenant_id: ColumnElement[int]) -> ColumnElement[Any]:
    return select(_TABLE.c.generation).where(_TABLE.c.tenant_id == tenant_id).scalar_subquery()


#: Read with every request's tenant lookup, so a cached catalog answer costs no statement of its
#: own (``request_generation``).
tenancy.read_with_stamp("catalog_generation", _generation_of)


def request_generation(sessions: Callable[[], Session], tenant_id: int) -> int:
    """The generation the request's tenant lookup read (the same rule: read before the answer
    it stamps, so the answer is never older than it), or one statement on ``sessions()`` when it
    did not (a session is only made then)."""
    found = stamp_value("catalog_generation", _UNREAD)
    if found is _UNREAD:
        return generation(sessions(), tenant_id)
    return int(found or 0)


_UNREAD = object()


def generation(session: Session, tenant_id: int) -> int:
    """The tenant's catalog generation, in the session's transaction: one small statement.

    Read it before the answer it stamps: what the answer then reads is at least as new (the same
    snapshot on SQLite; later commits on PostgreSQL), never older than the generation says."""
    found = session.connection().execute(_READ, {"tenant": tenant_id}).scalar()
    return int(found or 0)


# --- seeing the writes --------------------------------------------------------------------------
_watched_classes: dict[type, bool] = {}


def _is_watched(cls: type) -> bool:
    known = _watched_classes.get(cls)
    if known is None:
        mapper = inspect(cls, raiseerr=False)
        tables = getattr(mapper, "tables", ()) if mapper is not None else ()
        known = _watched_classes[cls] = any(getattr(t, "name", None) in WATCHED_TABLES for t in tables)
    return known


def _tenant_of(session: Session, obj: Any) -> int:
    owner = inspect(obj).dict.get("tenant_id")
    if owner is None:
        owner = session.info.get("tenant_id")
    return int(owner) if owner is not None else EVERY_TENANT


def _changed(session: Session, tenants: Iterable[int]) -> None:
    bumped = session.info.get(_COMMITTING)
    if bumped is None:
        session.info.setdefault(_PENDING, set()).update(tenants)
        return
    late = set(tenants) - bumped
    if late:  # written after this commit's bump: bump now, still inside the transaction
        bump(session.connection(), late)
        bumped |= late


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: Any) -> None:
    tenants = {_tenant_of(session, obj) for obj in chain(session.new, session.dirty, session.deleted)
               if _is_watched(type(obj))}
    if tenants:
        _changed(session, tenants)


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_select or not (state.is_update or state.is_delete or state.is_insert):
        return
    if any(_is_watched(mapper.class_) for mapper in state.all_mappers):
        tenant = state.session.info.get("tenant_id")
        _changed(state.session, {int(tenant) if tenant is not None else EVERY_TENANT})


@event.listens_for(Session, "before_commit")
def _bump_before_commit(session: Session) -> None:
    if session.new or session.deleted or session.dirty:
        session.flush()  # what the commit would flush now: its changes are noted first
    pending = session.info.pop(_PENDING, None)
    session.info[_COMMITTING] = set(pending or ())
    if pending:
        bump(session.connection(), pending)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_COMMITTING, None)
    elif transaction.nested:
        session.info.pop(_COMMITTING, None)  # the outer transaction goes on collecting


def bump(connection: Connection, tenants: Iterable[int]) -> None:
    """Raise the generation of ``tenants`` (``EVERY_TENANT``: of all) by one, in the
    connection's transaction: an upsert, so the first change of a tenant makes its row."""
    wanted = set(tenants)
    if EVERY_TENANT in wanted:
        from pasar.tenancy.models import Tenant

        connection.execute(update(_TABLE).values(generation=_TABLE.c.generation + 1))
        missing = select(Tenant.id, literal(1)).where(Tenant.id.not_in(select(_TABLE.c.tenant_id)))
        connection.execute(insert(_TABLE).from_select(["tenant_id", "generation"], missing))
        return
    rows = [{"tenant_id": tenant_id} for tenant_id in sorted(wanted)]
    dialect = connection.dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as upsert
        else:
            from sqlalchemy.dialects.postgresql import insert as upsert  # type: ignore[assignment]
        statement = upsert(_TABLE).values(generation=1)
        statement = statement.on_conflict_do_update(
            index_elements=[_TABLE.c.tenant_id], set_={"generation": _TABLE.c.generation + 1})
        connection.execute(statement, rows[0] if len(rows) == 1 else rows)
        return
    for row in rows:  # any other database: update, else insert
        if not connection.execute(update(_TABLE).where(_TABLE.c.tenant_id == row["tenant_id"])
                                  .values(generation=_TABLE.c.generation + 1)).rowcount:
            connection.execute(insert(_TABLE).values(tenant_id=row["tenant_id"], generation=1))
