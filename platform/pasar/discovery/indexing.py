"""Keeps the search index in step with product texts.

Why mapper events rather than an outbox consumer: the index row is written by the same flush,
on the same connection, as the product text it mirrors, so a search never sees a title that
was rolled back nor misses one that committed, and catalog code needs no call to remember.
Which products are *visible* (status, moderation, seller approval) is not indexed at all: the
search query joins the live catalog rows, so a blocked product drops out the moment it is
blocked. ``rebuild`` re-creates a tenant's index from the catalog (after a bulk import or a
change of the folding rules).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, event, insert, select
from sqlalchemy.orm import Mapper, Session

from pasar.catalog.models import ProductText
from pasar.discovery.models import SearchDocument
from pasar.discovery.text import fold, plain

_table = SearchDocument.__table__


def document_values(tenant_id: int, product_id: int, locale: str, title: str, description: str) -> dict[str, Any]:
    """The index row of one product text."""
    return {
        "tenant_id": tenant_id, "product_id": product_id, "locale": locale,
        "title": plain(title)[:200], "title_folded": fold(title)[:200], "body_folded": fold(description or ""),
    }


def _forget(connection: Connection, target: ProductText) -> None:
    connection.execute(delete(_table).where(
        _table.c.tenant_id == target.tenant_id, _table.c.product_id == target.product_id,
        _table.c.locale == target.locale,
    ))


def _index(_mapper: Mapper[Any], connection: Connection, target: ProductText) -> None:
    """Replace the index row of ``target`` (delete + insert keeps it one statement pair on
    every database, with no upsert dialects)."""
    _forget(connection, target)
    connection.execute(insert(_table).values(document_values(
        target.tenant_id, target.product_id, target.locale, target.title, target.description
    )))


def _unindex(_mapper: Mapper[Any], connection: Connection, target: ProductText) -> None:
    _forget(connection, target)


event.listen(ProductText, "after_insert", _index)
event.listen(ProductText, "after_update", _index)
event.listen(ProductText, "after_delete", _unindex)


def rebuild(session: Session) -> int:
    """Re-create the index of the session's tenant from its product texts; returns the rows."""
    texts = list(session.scalars(select(ProductText)))
    session.execute(delete(SearchDocument))
    for text in texts:
        session.add(SearchDocument(**document_values(
            text.tenant_id, text.product_id, text.locale, text.title, text.description
        )))
    session.flush()
    return len(texts)
