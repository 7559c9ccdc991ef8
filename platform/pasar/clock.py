"""Time in one place, so tests can move it and every date is aware."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now() -> datetime:
    return datetime.now(UTC)


def today_in(timezone: str) -> date:
    """Today's date where the tenant is: tax rates change at local midnight."""
    return now().astimezone(ZoneInfo(timezone)).date()
