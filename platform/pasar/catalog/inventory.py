"""Stock movements: the hot path of checkout, safe when many buyers race for the last units.

Each movement is ONE conditional ``UPDATE ... WHERE <guard>`` whose row count says whether it
happened. Nothing is read first: a read-then-write lets two buyers both see "1 left" and both
take it (measured in shared/PITFALLS.md: 200 buyers, 10 units, 200 sold). The guard is checked
by the database on the row it is about to change — SQLite serialises writers, PostgreSQL
re-evaluates the WHERE on the newest row version after a concurrent update commits — so the
sum of successful reservations can never pass ``on_hand``. The CHECK constraints on the table
(``reserved >= 0``, ``on_hand >= reserved``) are the last line of defence.

``False`` means "not done, nothing changed": not enough stock, or no such variant in this tenant.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, update
from sqlalchemy.orm import Session

from pasar.catalog.models import Inventory
from pasar.tenancy.service import TenantContext

__all__ = ["commit_stock", "release_stock", "reserve_stock", "restock", "set_stock"]


def _require_positive(quantity: int) -> None:
    """A zero or negative quantity would turn a reservation into a release (or a no-op that
    reports success), so it is a programming error, not a stock answer."""
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise ValueError(f"quantity must be a positive integer, got {quantity!r}")


def _guarded_update(
    session: Session,
    tenant: TenantContext,
    variant_id: int,
    guard: ColumnElement[bool] | None,
    values: dict[str, Any],
) -> bool:
    """Apply ``values`` to the variant's stock row only if ``guard`` holds; report whether it did."""
    statement = update(Inventory).where(
        Inventory.tenant_id == tenant.id, Inventory.variant_id == variant_id
    )
    if guard is not None:
        statement = statement.where(guard)
    statement = statement.values(**values).execution_options(synchronize_session=False)
    result = session.execute(statement)
    changed = result.rowcount == 1  # type: ignore[attr-defined]
    if changed:
        _forget_loaded_row(session, tenant, variant_id)
    return changed


def _forget_loaded_row(session: Session, tenant: TenantContext, variant_id: int) -> None:
    """The UPDATE bypassed the identity map; expire a loaded copy so it is read again."""
    loaded = session.identity_map.get(session.identity_key(Inventory, (variant_id,)))  # type: ignore[arg-type]
    if loaded is not None:
        session.expire(loaded)


def reserve_stock(session: Session, tenant: TenantContext, variant_id: int, quantity: int) -> bool:
    """Hold ``quantity`` units for an order; ``False`` if fewer are available."""
    _require_positive(quantity)
    return _guarded_update(
        session, tenant, variant_id,
        Inventory.on_hand - Inventory.reserved >= quantity,
        {"reserved": Inventory.reserved + quantity},
    )


def release_stock(session: Session, tenant: TenantContext, variant_id: int, quantity: int) -> bool:
    """Give held units back (order cancelled or its payment failed); ``False`` if fewer are held."""
    _require_positive(quantity)
    return _guarded_update(
        session, tenant, variant_id,
        Inventory.reserved >= quantity,
        {"reserved": Inventory.reserved - quantity},
    )


def commit_stock(session: Session, tenant: TenantContext, variant_id: int, quantity: int) -> bool:
    """Turn held units into a sale: they leave the shelf and the hold (``on_hand`` and
    ``reserved`` both drop); ``False`` if fewer are held."""
    _require_positive(quantity)
    return _guarded_update(
        session, tenant, variant_id,
        Inventory.reserved >= quantity,
        {"on_hand": Inventory.on_hand - quantity, "reserved": Inventory.reserved - quantity},
    )


def restock(session: Session, tenant: TenantContext, variant_id: int, quantity: int) -> bool:
    """Add units to the shelf (a delivery, or a returned item fit to sell again)."""
    _require_positive(quantity)
    return _guarded_update(session, tenant, variant_id, None, {"on_hand": Inventory.on_hand + quantity})


def set_stock(session: Session, tenant: TenantContext, variant_id: int, on_hand: int) -> bool:
    """Set the count on the shelf after a stock-take; ``False`` if it would be below what
    orders already hold (those units are promised) or the variant does not exist."""
    if not isinstance(on_hand, int) or isinstance(on_hand, bool) or on_hand < 0:
        raise ValueError(f"on_hand must be a non-negative integer, got {on_hand!r}")
    return _guarded_update(session, tenant, variant_id, Inventory.reserved <= on_hand, {"on_hand": on_hand})
