"""The feed's tenant-wide input: popularity kept in a rollup that a beat task refreshes (all
at once, then incrementally), and a pool of candidates each process keeps a minute per
tenant. What stays per request is the buyer's own affinity."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from pasar import clock
from pasar.catalog.models import Product
from pasar.config import Settings
from pasar.content.models import Interaction
from pasar.discovery import pool, rollup, signals
from pasar.discovery.models import FeedPopularity, FeedPopularityState
from pasar.discovery.tasks import refresh_popularity
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.sql import statements_sent
from pasar.worker import beat_schedule


@pytest.fixture()
def rollups(app: Any) -> Iterator[Any]:
    """The app's database; afterwards no tenant has a rollup and no pool is held (other tests
    expect popularity measured from the tables)."""
    db = app.extensions["pasar.db"]
    yield db
    with db.session(all_tenants=True, write=True) as session:
        session.execute(delete(FeedPopularity))
        session.execute(delete(FeedPopularityState))
    pool.clear(db.engine)


statements = statements_sent


def interactions(db: Any, tenant_id: int, buyer_id: int, video_id: int, *kinds: str, at: Any = None) -> None:
    with db.session(tenant_id, write=True) as session:
        session.add_all([Interaction(buyer_id=buyer_id, kind=kind, video_id=video_id, at=at or clock.now(),
                                     watch_seconds=30 if kind == "view" else 0) for kind in kinds])


def popularity_in_pool(db: Any, tenant: Any) -> dict[tuple[str, int], float]:
    with db.session(tenant.id) as session:
        held = pool.pool(session, tenant.id, videos=True, lives=True)
    return {(c.kind, c.id): c.popularity for c in held.organic}


def test_a_new_interaction_counts_after_the_next_refresh_as_the_tables_say(
    app, rollups, login, make_seller, make_product, make_video,
) -> None:
    db, tenant = rollups, tenant_context(app, "fr")
    shop = make_seller("fr")
    early, late = (make_video(shop, [make_product(shop)]) for _ in range(2))
    buyer_id = login("fr", "buyer")[0].id
    interactions(db, tenant.id, buyer_id, early.id, "view", "share", at=clock.now() - timedelta(days=3))

    first = refresh_popularity.apply().get()["fr"]
    interactions(db, tenant.id, buyer_id, late.id, "view", "like", "share", "comment")
    before = popularity_in_pool(db, tenant)
    second = refresh_popularity.apply().get()["fr"]
    after = popularity_in_pool(db, tenant)
    with db.session(tenant.id) as session:
        measured = signals.popularity(session, clock.now())

    assert first["rebuilt"] and not second["rebuilt"] and second["rows"] >= 1
    assert before[("video", late.id)] == 0.0 and before[("video", early.id)] == 1.0
    assert after[("video", late.id)] == 1.0  # the newer, weightier interactions now lead
    assert after[("video", early.id)] == pytest.approx(measured.of("video", early.id), rel=1e-3)
    assert after[("video", early.id)] < 1.0


def test_a_rebuild_recounts_the_window_and_an_increment_adds_nothing_twice(
    app, rollups, login, make_seller, make_product, make_video,
) -> None:
    db, tenant = rollups, tenant_context(app, "it")
    shop = make_seller("it")
    video = make_video(shop, [make_product(shop)])
    buyer_id = login("it", "buyer")[0].id
    interactions(db, tenant.id, buyer_id, video.id, "like")
    now = clock.now()

    def score() -> float:
        with db.session(tenant.id) as session:
            row = session.scalar(select(FeedPopularity).where(FeedPopularity.target == "video",
                                                              FeedPopularity.ident == video.id))
            return row.score if row is not None else 0.0

    with db.session(tenant.id, write=True) as session:
        assert rollup.refresh(session, now).rebuilt
    once = score()
    with db.session(tenant.id, write=True) as session:
        assert not rollup.refresh(session, now + timedelta(minutes=5)).rebuilt
    again = score()
    with db.session(tenant.id, write=True) as session:
        assert rollup.refresh(session, now + rollup.REBUILD_EVERY).rebuilt

    assert once == again == pytest.approx(signals.INTERACTION_WEIGHTS["like"], rel=1e-3)
    # The same like, decayed to the rebuild's moment (the new reference) a day later.
    assert score() == pytest.approx(once * signals.decay(rollup.REBUILD_EVERY, signals.POPULARITY_DECAY_DAYS), rel=1e-3)


def test_a_cached_pool_never_leaks_across_tenants(app, client, rollups, make_seller, make_product) -> None:
    dutch = make_product(make_seller("nl"))
    malaysian = make_product(make_seller("my"))

    in_nl = {(i["kind"], i["id"]) for i in client.get("/api/v1/feed?limit=50", headers={"X-Pasar-Tenant": "nl"}).json["items"]}
    in_my = {(i["kind"], i["id"]) for i in client.get("/api/v1/feed?limit=50", headers={"X-Pasar-Tenant": "my"}).json["items"]}
    nl, my = tenant_context(app, "nl"), tenant_context(app, "my")
    with rollups.session(nl.id) as session:
        held_nl = pool.pool(session, nl.id, videos=nl.has_feature("short_video"), lives=nl.has_feature("live_shopping"))
    with rollups.session(my.id) as session:
        held_my = pool.pool(session, my.id, videos=my.has_feature("short_video"), lives=my.has_feature("live_shopping"))

    assert ("product", dutch.id) in in_nl and ("product", malaysian.id) not in in_nl
    assert ("product", malaysian.id) in in_my and ("product", dutch.id) not in in_my
    assert (held_nl.tenant_id, held_my.tenant_id) == (nl.id, my.id)
    assert not {c.id for c in held_nl.organic if c.kind == "product"} & {c.id for c in held_my.organic if c.kind == "product"}


def test_each_buyer_ranks_the_shared_pool_by_their_own_affinity(
    app, client, rollups, login, make_seller, make_product, commerce,
) -> None:
    first_shop, second_shop = make_seller("sg"), make_seller("sg")
    first_pick, first_other = make_product(first_shop), make_product(first_shop)
    second_pick, second_other = make_product(second_shop), make_product(second_shop)
    _, first_buyer = login("sg", "buyer")
    _, second_buyer = login("sg", "buyer")
    commerce.add_to_cart(first_buyer, first_pick.variant_id)
    commerce.add_to_cart(second_buyer, second_pick.variant_id)

    def order(headers: dict[str, str]) -> list[int]:
        items = client.get("/api/v1/feed?limit=50", headers=headers).json["items"]
        return [item["id"] for item in items if item["kind"] == "product" and not item["sponsored"]]

    first = order(first_buyer)  # builds the pool
    with statements(rollups.engine) as seen:
        second = order(second_buyer)

    assert first.index(first_other.id) < first.index(second_other.id)
    assert second.index(second_other.id) < second.index(first_other.id)
    assert not [s for s in seen if "feed_popularity" in s]  # the pool was not built again


def test_a_tenant_with_no_rollup_measures_popularity_and_a_new_interaction_shows_at_once(
    app, rollups, login, make_seller, make_product, make_video,
) -> None:
    db, tenant = rollups, tenant_context(app, "ie")
    shop = make_seller("ie")
    watched, later = (make_video(shop, [make_product(shop)]) for _ in range(2))
    buyer_id = login("ie", "buyer")[0].id
    interactions(db, tenant.id, buyer_id, watched.id, "like")

    before = popularity_in_pool(db, tenant)
    interactions(db, tenant.id, buyer_id, later.id, "like", "share")  # forgets the measured pool
    after = popularity_in_pool(db, tenant)

    assert before[("video", watched.id)] == 1.0 and before[("video", later.id)] == 0.0
    assert after[("video", later.id)] == 1.0


def test_a_product_hidden_since_the_pool_was_built_is_skipped_and_pages_still_follow(
    app, client, rollups, make_seller, make_product,
) -> None:
    shop = make_seller("id")
    products = [make_product(shop) for _ in range(6)]
    headers = {"X-Pasar-Tenant": "id"}
    client.get("/api/v1/feed?limit=3", headers=headers)  # the pool holds them all
    hidden = products[-1]
    with rollups.engine.begin() as conn:  # another process: this one's pool is not told
        conn.execute(update(Product.__table__).where(Product.__table__.c.id == hidden.id).values(moderation="blocked"))

    seen: list[int] = []
    cursor: str | None = None
    while True:
        answer = client.get("/api/v1/feed", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})},
                            headers=headers).json
        seen += [item["id"] for item in answer["items"] if item["kind"] == "product" and not item["sponsored"]]
        assert all(item["product"] is not None for item in answer["items"] if item["kind"] == "product")
        cursor = answer["next_cursor"]
        if cursor is None:
            break

    assert hidden.id not in seen and len(seen) == len(set(seen))
    assert {p.id for p in products[:-1]} <= set(seen)


def test_beat_refreshes_the_rollup_every_few_minutes() -> None:
    entry = beat_schedule(Settings(broker_url="memory://"))["refresh-feed-popularity"]

    assert entry["task"] == refresh_popularity.name
    assert entry["schedule"] == timedelta(minutes=rollup.REFRESH_MINUTES)


def test_cards_and_affinities_read_only_the_sessions_marketplace(
    app, rollups, login, make_seller, make_product, make_video, commerce,
) -> None:
    from pasar.discovery import candidates

    their_shop = make_seller("us")
    theirs = make_product(their_shop)
    their_video = make_video(their_shop, [theirs])
    principal, buyer = login("us", "buyer")
    commerce.add_to_cart(buyer, theirs.variant_id)
    ours = tenant_context(app, "uk")
    now = clock.now()

    with rollups.session(ours.id) as session:
        cards = candidates.cards(session, [theirs.id], [their_video.id], "en_GB", "en_GB")
        taste = signals.affinities(session, principal.id, now)
    with rollups.session(tenant_context(app, "us").id) as session:
        at_home = signals.affinities(session, principal.id, now)

    assert cards.products == {} and cards.anchors == {}
    assert not (taste.categories or taste.sellers) and at_home.sellers
