"""The login rate limiter: failed password checks per email (in one tenant) and per client
address (across every tenant), counted over a sliding window in ``login_attempts``.

Refused attempts are not recorded (they checked no password), so a locked-out user's wait
shrinks steadily instead of growing with every retry. The count is read, not locked: two
parallel guesses can both pass the last free slot, which costs an attacker one extra guess.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from pasar import clock
from pasar.accounts.models import LoginAttempt

#: Failed logins are counted over this sliding window.
ATTEMPT_WINDOW = timedelta(minutes=15)
#: Once this many logins for one email (in one tenant) failed within the window, further
#: attempts are refused until the oldest of them ages out.
MAX_FAILURES_PER_EMAIL = 5
#: The same for one IP address, across every email and tenant.
MAX_FAILURES_PER_IP = 20


class RateLimited(ValueError):
    """Too many failed logins recently; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} seconds")
        self.retry_after = retry_after


def check_rate(session: Session, tenant_id: int | None, email: str, ip: str) -> None:
    """Raise ``RateLimited`` when this email or this IP address failed too often recently."""
    now = clock.now()
    per_email = LoginAttempt.tenant_id.is_(None) if tenant_id is None else LoginAttempt.tenant_id == tenant_id
    waits = [
        _wait(session, now, [per_email, LoginAttempt.email == email], MAX_FAILURES_PER_EMAIL),
        _wait(session, now, [LoginAttempt.ip == ip], MAX_FAILURES_PER_IP),
    ]
    longest = max(waits)
    if longest > 0:
        raise RateLimited(longest)


def _wait(session: Session, now: datetime, where: list[ColumnElement[bool]], limit: int) -> int:
    """Seconds until fewer than ``limit`` failures remain in the window (0 = not limited)."""
    query = (
        select(LoginAttempt.at)
        .where(LoginAttempt.succeeded.is_(False), LoginAttempt.at > now - ATTEMPT_WINDOW, *where)
        .order_by(LoginAttempt.at.desc())
        .limit(limit)
    )
    recent = list(session.scalars(query))
    if len(recent) < limit:
        return 0
    seconds = (recent[-1] + ATTEMPT_WINDOW - now).total_seconds()
    return max(1, math.ceil(seconds))


def record_attempt(session: Session, tenant_id: int | None, email: str, ip: str, *, succeeded: bool) -> None:
    session.add(LoginAttempt(tenant_id=tenant_id, email=email, ip=ip, at=clock.now(), succeeded=succeeded))
    session.flush()
