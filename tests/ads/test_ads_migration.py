"""The ads branch's migration creates exactly the tables the models describe."""
from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import pasar.models  # noqa: F401  (every domain's tables in Base.metadata)
from pasar.db import Base


def test_the_ads_migration_matches_the_models(ads_app: Any) -> None:
    engine = ads_app.extensions["pasar.db"].engine

    def ours(obj: Any, name: str | None, kind: str, _reflected: bool, _compare_to: Any) -> bool:
        table = obj if kind == "table" else getattr(obj, "table", None)
        return (name if kind == "table" else getattr(table, "name", "")).startswith("ad_")  # type: ignore[union-attr]

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours, "compare_type": True})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []
    assert {t for t in Base.metadata.tables if t.startswith("ad_")} == {
        "ad_accounts", "ad_topups", "ad_spark_codes", "ad_campaigns", "ad_campaign_days", "ad_impressions", "ad_clicks"}
