"""Provider calls that must wait until the caller's transaction has committed.

Another domain calls ``refund_order`` or ``confirm_cash_collected`` inside its own write
transaction. Calling the gateway right there would deadlock: the sandbox keeps its state in
the same database (on SQLite its write would wait for the caller's lock) and its webhook comes
back into this process to change the very rows the caller holds. So the call is queued on the
session and sent as a Celery task after the commit — never if the caller rolls back. The
reconciliation task picks up anything a crash lost between the commit and the queue.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "pasar_payment_jobs"
_log = logging.getLogger(__name__)


def after_commit(session: Session, task_name: str, *args: Any) -> None:
    """Send task ``task_name`` with ``args`` once ``session`` commits (once, however often
    the transaction asked for it)."""
    jobs = session.info.setdefault(_KEY, [])
    if (task_name, args) not in jobs:
        jobs.append((task_name, args))


def _dispatch(session: Session) -> None:
    # after_commit also fires when a SAVEPOINT is released: only the real commit counts.
    if session.in_nested_transaction():
        return
    jobs = session.info.pop(_KEY, [])
    if not jobs:
        return
    from pasar.payments import tasks  # noqa: F401 - registers the task names
    from pasar.worker import celery_app

    for name, args in jobs:
        try:
            celery_app.tasks[name].delay(*args)
        except Exception:  # reconciliation sends it later; never fail a committed change
            _log.warning("could not queue %s%r", name, args, exc_info=True)


def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)


event.listen(Session, "after_commit", _dispatch)
event.listen(Session, "after_rollback", _forget)
