"""Housekeeping: stale login attempts and long-expired tokens are deleted, recent ones kept."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from pasar import clock
from pasar.accounts import service
from pasar.accounts.models import AuthToken, LoginAttempt
from pasar.testing.accounts_factories import unique_email


def test_prune_deletes_what_no_longer_matters_and_keeps_the_rest(db: Any) -> None:
    now = clock.now()
    email = unique_email("prune")
    with db.session() as session:
        session.add_all([
            LoginAttempt(email=email, ip="10.254.0.1", at=now - timedelta(minutes=16), succeeded=False),
            LoginAttempt(email=email, ip="10.254.0.1", at=now - timedelta(minutes=14), succeeded=False),
            AuthToken(token_hash="a" * 64, subject_kind="operator", subject_id=1, expires_at=now - timedelta(days=2)),
            AuthToken(token_hash="b" * 64, subject_kind="operator", subject_id=1, expires_at=now - timedelta(hours=1)),
        ])
    with db.session() as session:
        removed = service.prune(session, now)
    with db.session() as session:
        kept_attempts = session.scalars(select(LoginAttempt.at).where(LoginAttempt.email == email)).all()
        kept_tokens = session.scalars(select(AuthToken.token_hash).where(AuthToken.token_hash.in_(["a" * 64, "b" * 64]))).all()
    assert removed >= 2
    assert kept_attempts == [now - timedelta(minutes=14)]
    assert kept_tokens == ["b" * 64]
