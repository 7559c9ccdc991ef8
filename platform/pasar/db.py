"""Database engine, declarative base and the automatic tenant criterion.

Every tenant-owned table mixes in ``TenantScoped``. A session that has a tenant bound
(``bind_tenant``) adds ``tenant_id = <that tenant>`` to every ORM SELECT, UPDATE and DELETE
through ``with_loader_criteria`` in a ``do_orm_execute`` hook, and stamps new rows with it on
flush — so a forgotten filter cannot leak another tenant's rows. A session with no tenant bound
refuses to touch tenant-owned tables unless it was opened for operators with
``all_tenants=True``: forgetting the tenant is an error, never "every tenant".
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, MetaData, event, inspect
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    sessionmaker,
    with_loader_criteria,
)
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite too (which stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class TenantScoped:
    """Mixin for tenant-owned rows: a ``tenant_id`` the session fills and filters on."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr takes the class
        return mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)


class TenantScopeError(RuntimeError):
    """Tenant-owned rows were touched from a session with no tenant bound."""


def bind_tenant(session: Session, tenant_id: int | None, *, all_tenants: bool = False) -> None:
    """Bind ``session`` to one tenant (or, for operator work, explicitly to all of them)."""
    session.info["tenant_id"] = tenant_id
    session.info["all_tenants"] = all_tenants


def current_tenant_id(session: Session) -> int | None:
    return session.info.get("tenant_id")


def _touches_tenant_rows(state: ORMExecuteState) -> bool:
    return any(issubclass(m.class_, TenantScoped) for m in state.all_mappers)


_WROTE = "pasar_wrote"


def wrote_in_transaction(session: Session) -> bool:
    """Whether ``session`` flushed or executed a write in its current transaction (so rolling
    that transaction back would lose work)."""
    return bool(session.info.get(_WROTE))


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _ctx: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


@event.listens_for(Session, "do_orm_execute")
def _add_tenant_criterion(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True  # conservative: any statement that is not a SELECT
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the parent query already carried the criterion into these loads
    tenant_id = state.session.info.get("tenant_id")
    if tenant_id is None:
        if state.session.info.get("all_tenants") or not _touches_tenant_rows(state):
            return
        raise TenantScopeError("query on tenant-owned rows from a session with no tenant bound")
    state.statement = state.statement.options(_tenant_criterion(tenant_id))


#: One criterion option per tenant id, built once. Building ``with_loader_criteria`` (its lambda
#: analysed, the criterion constructed) for every statement was about a quarter of the time
#: SQLAlchemy spent on a small SELECT; the option carries its tenant id as an extracted bound
#: value (the compiled statement has a parameter, so one cache entry serves every tenant), so
#: sharing one option between requests of the same tenant is exactly the criterion it was.
#: Bounded by the number of tenants.
_CRITERIA: dict[int, Any] = {}


def _tenant_criterion(tenant_id: int) -> Any:
    option = _CRITERIA.get(tenant_id)
    if option is None:
        option = _CRITERIA.setdefault(tenant_id, with_loader_criteria(
            TenantScoped,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
            track_closure_variables=False,
        ))
    return option


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session: Session, _ctx: Any, _instances: Any) -> None:
    tenant_id = session.info.get("tenant_id")
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, TenantScoped):
            continue
        owner = getattr(obj, "tenant_id", None)
        if owner is None:
            if tenant_id is None:
                raise TenantScopeError(f"new {type(obj).__name__} has no tenant")
            obj.tenant_id = tenant_id
        elif tenant_id is not None and owner != tenant_id:
            raise TenantScopeError(f"{type(obj).__name__} belongs to another tenant")


class PasarSession(Session):
    """A session whose ``connection(execution_options={"pasar_write": True})`` also works once
    the request's read transaction is open (the tenant lookup and the bearer token read first).

    SQLite: the read-only transaction is rolled back and begun again as a writer (``BEGIN
    IMMEDIATE``); upgrading a deferred reader to a writer can fail with "database is locked"
    whatever the busy timeout, if another connection wrote in between. Nothing is lost — a view
    asks for its writer before it writes, and asking after a write is refused here rather than
    rolled back. PostgreSQL has no lock upgrade to fear: the open transaction is kept."""

    def connection(
        self, bind_arguments: Any = None, execution_options: Any = None
    ) -> Connection:
        if execution_options and execution_options.get("pasar_write"):
            transaction = self.get_transaction()
            if transaction is not None and transaction.connections:
                current = next(iter(transaction.connections))
                if current.dialect.name != "sqlite" or current.get_execution_options().get("pasar_write"):
                    return current
                if wrote_in_transaction(self):
                    raise RuntimeError("a write transaction was asked for after this one already wrote")
                self.rollback()
        return super().connection(bind_arguments, execution_options)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself so write transactions can be IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: two writers queue instead of one failing
        # with "database is locked" halfway through a transaction.
        # Sent on the driver's connection, not through ``exec_driver_sql``: every request
        # begins a transaction, and SQLAlchemy's execution path (context, events, result) was
        # most of the BEGIN's cost; statement counters leave transaction control out anyway.
        statement = "BEGIN IMMEDIATE" if conn.get_execution_options().get("pasar_write", False) else "BEGIN"
        try:
            conn.connection.driver_connection.execute(statement)
        except conn.dialect.loaded_dbapi.Error as error:  # as SQLAlchemy would raise it
            raise DBAPIError.instance(statement, None, error, conn.dialect.loaded_dbapi.Error) from error


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        kwargs: dict[str, Any] = {}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20)
    _ping_idle_connections(engine)
    return engine


#: Seconds a pooled connection may sit unused before it is pinged on checkout.
PING_AFTER_IDLE = 10.0


def _ping_idle_connections(engine: Engine) -> None:
    """Ping a pooled connection before use only if it sat idle for ``PING_AFTER_IDLE`` seconds.

    SQLAlchemy's ``pool_pre_ping=True`` pings on every checkout — one request's session is one
    checkout, so that was one more round trip per request. Measured on the local PostgreSQL
    (``SELECT 1`` per checkout, psycopg): ~40 µs of CPU per checkout (+13% of a checkout and one
    statement) plus the round trip. What the ping protects against is a connection that died
    while it waited in the pool (server restart, failover, an idle timeout on the way): the
    longer it waited, the likelier. A busy worker's connections come back within milliseconds
    and are not pinged; one idle for a while is, and a dead one is replaced before the request
    sees it (``DisconnectionError`` makes the pool reconnect). A server restart under load can
    still fail the requests that were using the old connections, as it would with pre-ping;
    SQLAlchemy then invalidates the whole pool on the first disconnect it sees."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn: Any, record: Any) -> None:
        record.info["pasar_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("pasar_idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE:
            return  # a new connection, or one back in the pool a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"a pooled connection idle {time.monotonic() - since:.0f} s is gone") from exc


class Database:
    """An engine and its session factory; one per application."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, class_=PasarSession, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(
        self, tenant_id: int | None = None, *, all_tenants: bool = False, write: bool = False
    ) -> Iterator[Session]:
        """A session bound to a tenant that commits on success and rolls back on error.

        ``write=True`` begins SQLite transactions with ``BEGIN IMMEDIATE``.
        """
        with self.sessions() as session:
            bind_tenant(session, tenant_id, all_tenants=all_tenants)
            if write:
                session.connection(execution_options={"pasar_write": True})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())
