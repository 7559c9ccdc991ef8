"""Alembic, driven from the ``pasar db`` commands; the scripts ship inside the package."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

SCRIPTS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


#: Rows per index ANALYZE samples on SQLite: statistics good enough for the planner's choices in
#: well under a second even at 1M products (an unlimited ANALYZE reads every row of every index).
ANALYSIS_LIMIT = 1000


def upgrade(url: str, revision: str = "heads") -> None:
    """Migrate, then refresh the planner's statistics (SQLite; see ``refresh_statistics``)."""
    _ensure_sqlite_dir(url)
    command.upgrade(alembic_config(url), revision)
    refresh_statistics(url)


def refresh_statistics(url: str) -> None:
    """``ANALYZE`` a SQLite database, so its planner knows which indexes are selective.

    Without statistics SQLite guesses, and at 1M products it guessed wrong: it took the
    single-column ``tenant_id`` index every ``TenantScoped`` table has over the composite index
    a query was written for, scanning the whole tenant (a listing 2.6 s instead of 0.1 s;
    bench/results/FINDINGS.md §4). ``pasar db upgrade`` is idempotent, so running it after
    deploys and from a nightly job keeps the statistics current as tables grow; the ratios
    they hold (rows per key) change slowly. PostgreSQL needs nothing: autovacuum analyzes."""
    if not url.startswith("sqlite") or url in ("sqlite://", "sqlite:///:memory:"):
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}"))
            conn.execute(text("ANALYZE"))
            conn.commit()
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def current(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def revision(url: str, message: str, *, branch: str, depends_on: tuple[str, ...] = ()) -> None:
    """Autogenerate the next migration of one domain's branch (developers only).

    A new branch starts from the kernel's ``0001``; check the generated file holds only that
    domain's tables before committing it.
    """
    from alembic.script import ScriptDirectory

    config = alembic_config(url)
    scripts = ScriptDirectory.from_config(config)
    existing = [r for r in scripts.walk_revisions() if branch in (r.branch_labels or ())]
    number = len([r for r in scripts.walk_revisions() if r.revision.startswith(f"{branch}_")]) + 1
    command.revision(
        config, message=message, autogenerate=True, rev_id=f"{branch}_{number:04d}",
        head=f"{branch}@head" if existing else "0001",
        branch_label=None if existing else branch,
        depends_on=list(depends_on) or None,
        splice=not existing,
    )
