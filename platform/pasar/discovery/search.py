"""Product search: ranked, paginated, over every locale's title and description.

Two engines behind one function, chosen by the session's database:

* SQLite (the embedded default): the FTS5 ``trigram`` table ``search_fts``. Every folded term
  of three or more characters is a phrase that must occur (``MATCH``), shorter terms are
  ``LIKE`` filters (a trigram index cannot look up two letters). Rank: ``bm25`` with the title
  weighted ten times the description.
* PostgreSQL (production): every term must occur (``ILIKE '%term%'``, served by the GIN
  ``gin_trgm_ops`` indexes), rank: ``pg_trgm`` similarity of the query to the folded title,
  word similarity to the description.

On both, a title equal to the query as typed (accents included) and a title containing it rank
above mere term matches, so ``Giày`` puts "giày" (shoe) above "giây" (second) although both
fold to ``giay``. A product matches once, by its best text. Only public products (active, not
blocked, priced, of an approved seller) are ever returned: the query joins the live catalog.
Pages are cut by offset: a relevance order has no stable key a cursor could resume from
cheaply, and search result pages are shallow.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, column, func, literal, literal_column, or_, select, table
from sqlalchemy.orm import Session

from pasar.catalog.listing import _loaded, public_products
from pasar.catalog.models import Product
from pasar.discovery.models import SearchDocument
from pasar.discovery.text import fold, plain, terms
from pasar.tenancy.service import TenantContext

MAX_LIMIT = 50
MAX_QUERY = 200
_FTS = table("search_fts", column("rowid"))


class InvalidSearch(ValueError):
    """A search that cannot be run; ``field`` names the query argument at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class SearchPage:
    """One page of hits, best first: ``(product, seller name)`` rows and the next offset."""

    rows: list[tuple[Product, str]]
    next_offset: int | None


def search(session: Session, tenant: TenantContext, query: str, *, limit: int = 20, offset: int = 0) -> SearchPage:
    """The public products matching every word of ``query``, best match first."""
    words = _check(query, limit, offset)
    ranked = _ranked_ids(session, query, words)
    ids = list(session.execute(ranked.limit(limit + 1).offset(offset)).scalars())
    more = len(ids) > limit
    ids = ids[:limit]
    loaded = {p.id: (p, name) for p, name in session.execute(_loaded(public_products().where(Product.id.in_(ids))))}
    rows = [loaded[i] for i in ids if i in loaded]
    return SearchPage(rows, offset + limit if more else None)


def _check(query: str, limit: int, offset: int) -> list[str]:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidSearch(f"between 1 and {MAX_LIMIT}", "limit")
    if offset < 0:
        raise InvalidSearch("must be zero or more", "offset")
    if len(query) > MAX_QUERY:
        raise InvalidSearch(f"at most {MAX_QUERY} characters", "q")
    words = terms(query)
    if not words:
        raise InvalidSearch("type something to search for", "q")
    return words


def _ranked_ids(session: Session, query: str, words: list[str]) -> Select[Any]:
    """Product ids in rank order (best first), ties broken by id for a stable paging order."""
    per_document = _sqlite_scores(query, words) if _is_sqlite(session) else _postgres_scores(query, words)
    # MATERIALIZED: SQLite must not fold the per-row query into the aggregate (bm25 only
    # works in the query that holds the MATCH); PostgreSQL accepts the same hint.
    scored = per_document.cte("scored").prefix_with("MATERIALIZED")
    best = func.max(scored.c.score)
    visible = public_products().with_only_columns(Product.id).where(Product.id == scored.c.product_id).exists()
    return (
        select(scored.c.product_id).where(visible)
        .group_by(scored.c.product_id).order_by(best.desc(), scored.c.product_id)
    )


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _title_bonus(query: str, position: Any) -> ColumnElement[Any]:
    """The as-typed title equals the query (best), contains it, or its folded form does.
    ``position`` is the database's substring function (``instr`` / ``strpos``)."""
    typed, folded = plain(query), fold(query)
    return case(
        (SearchDocument.title == typed, 100.0),
        (position(SearchDocument.title, typed) > 0, 40.0),
        (position(SearchDocument.title_folded, folded) > 0, 20.0),
        else_=0.0,
    )


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(word: str, *, insensitive: bool) -> ColumnElement[bool]:
    pattern = _like(word)
    if insensitive:
        return or_(SearchDocument.title_folded.ilike(pattern, escape="\\"),
                   SearchDocument.body_folded.ilike(pattern, escape="\\"))
    return or_(SearchDocument.title_folded.like(pattern, escape="\\"),
               SearchDocument.body_folded.like(pattern, escape="\\"))


def _sqlite_scores(query: str, words: list[str]) -> Select[Any]:
    """Per index row: a score (higher is better) for rows holding every term."""
    long_words = [w for w in words if len(w) >= 3]
    short_words = [w for w in words if len(w) < 3]
    statement = select(SearchDocument.product_id)
    if long_words:
        match = "{title_folded body_folded}: " + " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        # bm25 is lower for better matches: negate it so that, like the bonus, higher wins.
        relevance = -func.bm25(literal_column("search_fts"), 10.0, 1.0)
        statement = statement.join(_FTS, _FTS.c.rowid == SearchDocument.id).where(
            literal_column("search_fts").op("MATCH")(literal(match))
        )
    else:
        relevance = literal(0.0)
    statement = statement.where(*(_contains(w, insensitive=False) for w in short_words))
    return statement.add_columns((_title_bonus(query, func.instr) + relevance).label("score"))


def _postgres_scores(query: str, words: list[str]) -> Select[Any]:
    """Per index row: trigram similarity to the title and the description, plus the bonus."""
    folded = fold(query)
    relevance = (
        2.0 * func.similarity(SearchDocument.title_folded, folded)
        + 0.5 * func.word_similarity(folded, SearchDocument.body_folded)
    )
    return select(SearchDocument.product_id, (_title_bonus(query, func.strpos) + relevance).label("score")).where(
        and_(*(_contains(w, insensitive=True) for w in words))
    )
