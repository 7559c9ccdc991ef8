"""The raw-SQL twin: a bare Flask app answering the benchmarked URLs with hand-written SQL over
the DBAPI (sqlite3 / psycopg) — no ORM, no flask-smorest, no plugins, no babel.

It reads and writes the same tables, with the same joins, filters and tenant criterion as the
kernel, and answers JSON of the same shape, so ``kernel time / twin time`` is what the kernel's
framework layers cost (ORM, schemas, hooks, formatting) on top of the database work itself.
Where the kernel runs a query per row (an N+1) the twin does what a careful hand-written
version would do — one query for all rows — so the ratio also shows what such a loop costs.
Money is formatted with plain string formatting; tax is a flat inclusive rate and shipping a
flat fee, where the kernel asks the region plugin.

    create_twin("sqlite:///var/bench/small.db")     # or a postgresql+psycopg:// URL
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, Response, g, jsonify, request

_NAMED = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")


class TwinDB:
    """One DBAPI connection per thread; counts the statements it sends."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite")
        self.local = threading.local()
        self.count = 0

    def conn(self) -> Any:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            if self.sqlite:
                import sqlite3

                conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute("PRAGMA busy_timeout=30000")
            else:
                import psycopg
                from sqlalchemy.engine import make_url

                u = make_url(self.url)
                conn = psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, dbname=u.database,
                                       password=u.password, autocommit=True)
            self.local.conn = conn
        return conn

    def sql(self, text: str) -> str:
        return text if self.sqlite else _NAMED.sub(r"%(\1)s", text)

    def rows(self, text: str, **params: Any) -> list[tuple[Any, ...]]:
        self.count += 1
        cur = self.conn().execute(self.sql(text), params)
        return list(cur.fetchall()) if cur.description else []

    def one(self, text: str, **params: Any) -> tuple[Any, ...] | None:
        found = self.rows(text, **params)
        return found[0] if found else None

    def run(self, text: str, **params: Any) -> int:
        self.count += 1
        return int(self.conn().execute(self.sql(text), params).rowcount or 0)

    def many(self, text: str, rows: Sequence[dict[str, Any]]) -> None:
        self.count += 1
        cur = self.conn().cursor()
        cur.executemany(self.sql(text), rows)

    def begin(self) -> None:
        self.conn().execute("BEGIN IMMEDIATE" if self.sqlite else "BEGIN")

    def commit(self) -> None:
        self.conn().execute("COMMIT")

    def rollback(self) -> None:
        self.conn().execute("ROLLBACK")

    def ts(self, moment: datetime) -> Any:
        """A datetime as the column holds it (SQLAlchemy keeps naive UTC text on SQLite)."""
        return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else moment

    def json(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


def in_list(prefix: str, values: Iterable[Any]) -> tuple[str, dict[str, Any]]:
    """``:p0, :p1, ...`` and their parameters (an empty list matches nothing)."""
    values = list(values)
    if not values:
        return "NULL", {}
    names = {f"{prefix}{i}": value for i, value in enumerate(values)}
    return ", ".join(f":{name}" for name in names), names


# --- helpers the views share ---------------------------------------------------------------------
DIGITS = {"IDR": 0, "VND": 0}


def money(minor: int | None, currency: str) -> dict[str, Any]:
    if minor is None:
        return {"price": None, "price_formatted": None}
    digits = DIGITS.get(currency, 2)
    amount = minor / 100
    return {"price": f"{amount:.{digits}f}", "price_formatted": f"{amount:,.{digits}f} {currency}"}


def fold(text: str) -> str:
    plain = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    decomposed = unicodedata.normalize("NFD", plain.replace("ß", "ss"))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not 0x300 <= ord(ch) <= 0x36F))


def create_twin(url: str, webhook_secret: str = "") -> Flask:
    app = Flask("twin")
    db = TwinDB(url)
    app.extensions["twin.db"] = db

    # -- plumbing: tenant by header, principal by bearer token ------------------------------------
    @app.before_request
    def tenant() -> Any:
        code = request.headers.get("X-Pasar-Tenant", "")
        row = db.one("SELECT id, code, currency, config FROM tenants WHERE code = :code", code=code)
        if row is None:
            return jsonify(title="Not Found"), 404
        config = db.json(row[3])
        g.tenant = {"id": row[0], "code": row[1], "currency": row[2], "locale": config["locales"][0],
                    "features": config.get("features", []), "timezone": config.get("timezone", "UTC")}
        return None

    def principal() -> dict[str, Any] | None:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not raw:
            return None
        digest = hashlib.sha256(raw.strip().encode()).hexdigest()
        token = db.one("SELECT subject_kind, subject_id, tenant_id, expires_at, revoked_at FROM auth_tokens "
                       "WHERE token_hash = :h", h=digest)
        if token is None or token[4] is not None or token[2] != g.tenant["id"]:
            return None
        user = db.one("SELECT id, roles, seller_id, disabled_at FROM users WHERE id = :id AND tenant_id = :t",
                      id=token[1], t=g.tenant["id"])
        if user is None or user[3] is not None:
            return None
        return {"id": user[0], "roles": db.json(user[1]), "seller_id": user[2]}

    def unauthorized() -> Response:
        response = jsonify(title="Unauthorized")
        response.status_code = 401
        return response

    # -- product cards: the children of a page of products, one query each -----------------------
    def cards(rows: Sequence[tuple[Any, ...]]) -> list[dict[str, Any]]:
        t = g.tenant
        ids = [row[0] for row in rows]
        marks, params = in_list("p", ids)
        texts: dict[int, tuple[str, str]] = {}
        for pid, locale, title, description in db.rows(
            f"SELECT product_id, locale, title, description FROM product_texts WHERE tenant_id = :t "
            f"AND product_id IN ({marks})", t=t["id"], **params):
            if locale == t["locale"] or pid not in texts:
                texts[pid] = (title, description)
        stock: dict[int, bool] = defaultdict(bool)
        for pid, active, on_hand, reserved in db.rows(
            f"SELECT v.product_id, v.active, i.on_hand, i.reserved FROM variants v LEFT JOIN inventory i "
            f"ON i.tenant_id = v.tenant_id AND i.variant_id = v.id WHERE v.tenant_id = :t AND v.product_id IN ({marks})",
                t=t["id"], **params):
            stock[pid] = stock[pid] or bool(active and (on_hand or 0) > (reserved or 0))
        thumbs: dict[int, str] = {}
        for pid, path in db.rows(f"SELECT product_id, thumbnail_path FROM product_images WHERE tenant_id = :t "
                                 f"AND product_id IN ({marks}) ORDER BY product_id, position", t=t["id"], **params):
            thumbs.setdefault(pid, path)
        out = []
        for pid, seller_id, category_id, price_minor, created_at, seller_name in rows:
            title, description = texts.get(pid, ("", ""))
            out.append({"id": pid, "seller_id": seller_id, "seller_name": seller_name, "category_id": category_id,
                        "currency": t["currency"], "title": title, "description": description, "locale": t["locale"],
                        **money(price_minor, t["currency"]), "in_stock": stock[pid],
                        "thumbnail_url": f"/media/{t['code']}/{thumbs[pid]}" if pid in thumbs else None,
                        "created_at": str(created_at)})
        return out

    PUBLIC = ("FROM products p JOIN sellers s ON s.tenant_id = p.tenant_id AND s.id = p.seller_id "
              "WHERE p.tenant_id = :t AND p.status = 'active' AND p.moderation = 'approved' "
              "AND p.price_minor IS NOT NULL AND s.status = 'approved'")
    CARD = "SELECT p.id, p.seller_id, p.category_id, p.price_minor, p.created_at, s.name "

    @app.get("/api/v1/products")
    def listing() -> Any:
        args, t = request.args, g.tenant
        limit = int(args.get("limit", 20))
        where, params = "", {"t": t["id"], "n": limit + 1}
        if "category" in args:
            where += (" AND p.category_id IN (SELECT id FROM category_tree)")
            params["cat"] = int(args["category"])
        if "min_price" in args:
            where += " AND p.price_minor >= :lo"
            params["lo"] = int(round(float(args["min_price"]) * 100))
        tree = ("WITH RECURSIVE category_tree(id) AS (SELECT id FROM categories WHERE id = :cat AND tenant_id = :t "
                "UNION ALL SELECT c.id FROM categories c JOIN category_tree ct ON c.parent_id = ct.id "
                "WHERE c.tenant_id = :t) ") if "category" in args else ""
        rows = db.rows(f"{tree}{CARD}{PUBLIC}{where} ORDER BY p.price_minor, p.id LIMIT :n", **params)
        more = len(rows) > limit
        rows = rows[:limit]
        return jsonify(items=cards(rows), next_cursor=str(rows[-1][0]) if more else None)

    @app.get("/api/v1/products/<int:product_id>")
    def detail(product_id: int) -> Any:
        t = g.tenant
        row = db.one("SELECT p.id, p.seller_id, p.category_id, p.price_minor, p.created_at, s.name, p.status, "
                     "p.tax_category, p.weight_grams, p.updated_at " + PUBLIC + " AND p.id = :id", t=t["id"], id=product_id)
        if row is None:
            return jsonify(title="Not Found"), 404
        card = cards([row[:6]])[0]
        variants = db.rows("SELECT v.id, v.sku, v.options, v.active, v.price_minor, i.on_hand, i.reserved FROM variants v "
                           "LEFT JOIN inventory i ON i.tenant_id = v.tenant_id AND i.variant_id = v.id "
                           "WHERE v.tenant_id = :t AND v.product_id = :id ORDER BY v.id", t=t["id"], id=product_id)
        images = db.rows("SELECT id, position, width, height, content_type, original_path, thumbnail_path "
                         "FROM product_images WHERE tenant_id = :t AND product_id = :id ORDER BY position", t=t["id"], id=product_id)
        marks, params = in_list("v", [v[0] for v in variants])
        history: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for vid, price, valid_from, valid_to in db.rows(
            f"SELECT variant_id, price_minor, valid_from, valid_to FROM price_changes WHERE tenant_id = :t "
            f"AND variant_id IN ({marks}) ORDER BY valid_from", t=t["id"], **params):
            history[vid].append((price, valid_from, valid_to))
        out_variants = []
        for vid, sku, options, active, price, on_hand, reserved in variants:
            if not active:
                continue
            periods = history[vid]
            prior = None
            if len(periods) >= 2 and periods[-2][0] > price:  # reduced: the lowest of the 30 days before
                prior = min(p[0] for p in periods[:-1])
            available = (on_hand or 0) - (reserved or 0)
            out_variants.append({"id": vid, "sku": sku, "options": db.json(options), "active": bool(active),
                                 "currency": t["currency"], **money(price, t["currency"]),
                                 **{k.replace("price", "prior_price"): v for k, v in money(prior, t["currency"]).items()},
                                 "available": max(available, 0), "in_stock": available > 0})
        return jsonify({**card, "status": row[6], "tax_category": row[7], "weight_grams": row[8],
                        "updated_at": str(row[9]), "variants": out_variants,
                        "images": [{"id": i[0], "position": i[1], "width": i[2], "height": i[3], "content_type": i[4],
                                    "url": f"/media/{t['code']}/{i[5]}", "thumbnail_url": f"/media/{t['code']}/{i[6]}"}
                                   for i in images]})

    @app.get("/api/v1/search")
    def search() -> Any:
        t, query = g.tenant, request.args.get("q", "")
        limit, offset = int(request.args.get("limit", 20)), int(request.args.get("offset", 0))
        folded = fold(query)
        words = sorted(dict.fromkeys(folded.split()), key=len, reverse=True)
        typed = " ".join(unicodedata.normalize("NFC", query).casefold().split())
        params: dict[str, Any] = {"t": t["id"], "typed": typed, "folded": folded, "n": limit + 1, "o": offset}
        if db.sqlite:
            params["match"] = "{title_folded body_folded}: " + " AND ".join(f'"{w}"' for w in words)
            scored = ("SELECT sd.product_id AS product_id, (CASE WHEN sd.title = :typed THEN 100.0 "
                      "WHEN instr(sd.title, :typed) > 0 THEN 40.0 WHEN instr(sd.title_folded, :folded) > 0 THEN 20.0 "
                      "ELSE 0.0 END) - bm25(search_fts, 10.0, 1.0) AS score FROM search_documents sd "
                      "JOIN search_fts ON search_fts.rowid = sd.id WHERE search_fts MATCH :match AND sd.tenant_id = :t")
        else:
            likes = " AND ".join(f"(sd.title_folded ILIKE :w{i} OR sd.body_folded ILIKE :w{i})" for i in range(len(words)))
            params.update({f"w{i}": f"%{w}%" for i, w in enumerate(words)})
            scored = ("SELECT sd.product_id AS product_id, (CASE WHEN sd.title = :typed THEN 100.0 "
                      "WHEN strpos(sd.title, :typed) > 0 THEN 40.0 WHEN strpos(sd.title_folded, :folded) > 0 THEN 20.0 "
                      "ELSE 0.0 END) + 2.0 * similarity(sd.title_folded, :folded) "
                      "+ 0.5 * word_similarity(:folded, sd.body_folded) AS score FROM search_documents sd "
                      f"WHERE sd.tenant_id = :t AND {likes}")
        ids = [r[0] for r in db.rows(
            f"WITH scored AS MATERIALIZED ({scored}) SELECT scored.product_id FROM scored WHERE EXISTS "
            f"(SELECT p.id {PUBLIC} AND p.id = scored.product_id) GROUP BY scored.product_id "
            f"ORDER BY max(scored.score) DESC, scored.product_id LIMIT :n OFFSET :o", **params)]
        more = len(ids) > limit
        ids = ids[:limit]
        marks, id_params = in_list("p", ids)
        found = {r[0]: r for r in db.rows(f"{CARD}{PUBLIC} AND p.id IN ({marks})", t=t["id"], **id_params)}
        rows = [found[i] for i in ids if i in found]
        return jsonify(items=cards(rows), next_offset=offset + limit if more else None)

    # -- For You feed: the kernel's statements (pasar.discovery), by hand ---------------------------
    # Per request the buyer's affinities (one UNION ALL) and the page's cards (one statement);
    # the tenant's pool — rollup state, then its candidates with their popularity (or, with no
    # rollup yet, popularity measured per thing and day) — once a minute per process, as the
    # kernel's pasar.discovery.pool does. Ranked by a plain weighted sum (no diversity rule).
    import math
    import time

    feed_pools: dict[int, tuple[float, list[tuple[Any, ...]]]] = {}
    FEED_WEIGHTS = {"view": 1.0, "like": 2.0, "share": 3.0, "comment": 2.0, "product_click": 3.0}
    SEP = "\x1f"

    def feed_decay(age: timedelta, days: float) -> float:
        return math.exp(-max(age.total_seconds(), 0.0) / (days * 86400))

    def feed_when(value: Any) -> datetime:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value

    def feed_weight(kind: str | None, amount: float, watched: float) -> float:
        if kind == "view":
            return watched / 30
        return FEED_WEIGHTS.get(kind or "", 0.0) * amount

    def feed_affinities(buyer_id: int, now: datetime) -> tuple[dict[Any, float], ...]:
        t = g.tenant
        maps: tuple[dict[Any, float], ...] = (defaultdict(float), defaultdict(float), defaultdict(float))
        for source, kind, category_id, seller_id, creator_id, amount, watched, at in db.rows(
            "SELECT 'order', NULL, p.category_id, p.seller_id, ol.creator_id, ol.quantity, 0, o.created_at "
            "FROM order_lines ol JOIN orders o ON o.tenant_id = ol.tenant_id AND o.id = ol.order_id "
            "JOIN products p ON p.tenant_id = ol.tenant_id AND p.id = ol.product_id "
            "WHERE ol.tenant_id = :t AND o.buyer_id = :b AND o.status NOT IN ('pending_payment', 'cancelled') "
            "AND o.created_at <= :now AND o.created_at > :since "
            "UNION ALL SELECT 'cart', NULL, p.category_id, p.seller_id, NULL, 1, 0, cl.added_at "
            "FROM cart_lines cl JOIN carts c ON c.tenant_id = cl.tenant_id AND c.id = cl.cart_id "
            "JOIN variants v ON v.tenant_id = cl.tenant_id AND v.id = cl.variant_id "
            "JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id "
            "WHERE cl.tenant_id = :t AND c.buyer_id = :b "
            "UNION ALL SELECT 'interaction', i.kind, p.category_id, coalesce(vi.seller_id, ls.seller_id, p.seller_id), "
            "coalesce(vi.creator_id, ls.creator_id), 1, CASE WHEN i.watch_seconds > 30 THEN 30 ELSE i.watch_seconds END, "
            "i.at FROM interactions i "
            "LEFT JOIN videos vi ON vi.tenant_id = i.tenant_id AND vi.id = i.video_id "
            "LEFT JOIN live_sessions ls ON ls.tenant_id = i.tenant_id AND ls.id = i.live_session_id "
            "LEFT JOIN video_anchors va ON va.tenant_id = i.tenant_id AND va.video_id = i.video_id AND va.position = 0 "
            "LEFT JOIN products p ON p.tenant_id = i.tenant_id "
            "AND p.id = coalesce(i.product_id, va.product_id, ls.pinned_product_id) "
            "WHERE i.tenant_id = :t AND i.buyer_id = :b AND i.at <= :now AND i.at > :since",
                t=t["id"], b=buyer_id, now=db.ts(now), since=db.ts(now - timedelta(days=365))):
            weight = 5.0 * amount if source == "order" else 2.5 if source == "cart" else feed_weight(kind, 1, watched)
            weight *= feed_decay(now - feed_when(at), 60.0)
            for found, key in zip(maps, (category_id, seller_id, creator_id)):
                if key is not None:
                    found[key] += weight
        return tuple({k: v / max(m.values()) for k, v in m.items()} if m and max(m.values()) > 0 else {}
                     for m in maps)

    FEED_PRODUCTS = (
        "SELECT 'product', p.id, p.seller_id, NULL, p.id, p.category_id, p.created_at, s.name, NULL, NULL, "
        "{score} FROM products p JOIN sellers s ON s.tenant_id = p.tenant_id AND s.id = p.seller_id {join} "
        "WHERE p.tenant_id = :t AND p.status = 'active' AND p.moderation = 'approved' AND p.price_minor IS NOT NULL "
        "AND s.status = 'approved' AND p.created_at <= :now AND (p.id IN (SELECT p2.id FROM products p2 "
        "JOIN sellers s2 ON s2.tenant_id = p2.tenant_id AND s2.id = p2.seller_id WHERE p2.tenant_id = :t "
        "AND p2.status = 'active' AND p2.moderation = 'approved' AND p2.price_minor IS NOT NULL "
        "AND s2.status = 'approved' AND p2.created_at <= :now ORDER BY p2.created_at DESC, p2.id DESC LIMIT :np) "
        "OR p.id IN ({popular_products}))"
    )
    FEED_VIDEOS = (
        "SELECT 'video', vi.id, coalesce(vi.seller_id, ap.seller_id), vi.creator_id, va.product_id, ap.category_id, "
        "vi.created_at, coalesce(cr.display_name, s.name), vi.caption, vi.media_url, {score} FROM videos vi "
        "LEFT JOIN video_anchors va ON va.tenant_id = vi.tenant_id AND va.video_id = vi.id AND va.position = 0 "
        "LEFT JOIN products ap ON ap.tenant_id = va.tenant_id AND ap.id = va.product_id "
        "LEFT JOIN sellers s ON s.tenant_id = vi.tenant_id AND s.id = vi.seller_id "
        "LEFT JOIN creators cr ON cr.tenant_id = vi.tenant_id AND cr.id = vi.creator_id {join} "
        "WHERE vi.tenant_id = :t AND vi.moderation = 'approved' AND vi.created_at <= :now "
        "AND (vi.id IN (SELECT v2.id FROM videos v2 WHERE v2.tenant_id = :t AND v2.moderation = 'approved' "
        "AND v2.created_at <= :now ORDER BY v2.created_at DESC, v2.id DESC LIMIT :nv) OR vi.id IN ({popular_videos}))"
    )
    FEED_LIVES = (
        "SELECT 'live', ls.id, coalesce(ls.seller_id, lp.seller_id), ls.creator_id, "
        "coalesce(ls.pinned_product_id, si.product_id), lp.category_id, ls.started_at, coalesce(cr.display_name, s.name), "
        "ls.title, NULL, {score} FROM live_sessions ls "
        "LEFT JOIN live_showcase_items si ON si.tenant_id = ls.tenant_id AND si.live_session_id = ls.id AND si.position = 0 "
        "LEFT JOIN products lp ON lp.tenant_id = ls.tenant_id AND lp.id = coalesce(ls.pinned_product_id, si.product_id) "
        "LEFT JOIN sellers s ON s.tenant_id = ls.tenant_id AND s.id = ls.seller_id "
        "LEFT JOIN creators cr ON cr.tenant_id = ls.tenant_id AND cr.id = ls.creator_id {join} "
        "WHERE ls.tenant_id = :t AND ls.id IN (SELECT l2.id FROM live_sessions l2 WHERE l2.tenant_id = :t "
        "AND l2.status = 'live' AND l2.started_at <= :now ORDER BY l2.started_at DESC, l2.id DESC LIMIT :nl)"
    )

    def rollup_join(alias: str, target: str) -> str:
        return (f"LEFT JOIN feed_popularity fp ON fp.tenant_id = {alias}.tenant_id AND fp.target = '{target}' "
                f"AND fp.ident = {alias}.id")

    def rollup_top(target: str, limit: str) -> str:
        return (f"SELECT fp2.ident FROM feed_popularity fp2 WHERE fp2.tenant_id = :t AND fp2.target = '{target}' "
                f"AND fp2.score > 0 ORDER BY fp2.score DESC, fp2.ident LIMIT :{limit}")

    def measured_popularity(now: datetime) -> dict[tuple[str, int], float]:
        """With no rollup yet: the kernel's per-thing-and-day popularity over 30 days."""
        t, raw = g.tenant, defaultdict(float)
        window = ("i.tenant_id = :t AND i.at > :since AND i.at <= :now")
        for target, ident, kind, amount, watched, latest in db.rows(
            "SELECT 'product', ol.product_id, 'order', sum(ol.quantity), 0, max(o.created_at) FROM order_lines ol "
            "JOIN orders o ON o.tenant_id = ol.tenant_id AND o.id = ol.order_id WHERE ol.tenant_id = :t "
            "AND o.status NOT IN ('pending_payment', 'cancelled') AND o.created_at > :since AND o.created_at <= :now "
            "GROUP BY ol.product_id, date(o.created_at) "
            f"UNION ALL SELECT 'product', i.product_id, i.kind, count(*), 0, max(i.at) FROM interactions i WHERE {window} "
            "AND i.kind = 'product_click' AND i.product_id IS NOT NULL GROUP BY i.product_id, i.kind, date(i.at) "
            "UNION ALL SELECT 'video', i.video_id, i.kind, count(*), sum(CASE WHEN i.watch_seconds > 30 THEN 30 "
            f"ELSE i.watch_seconds END), max(i.at) FROM interactions i WHERE {window} AND i.video_id IS NOT NULL "
            "GROUP BY i.video_id, i.kind, date(i.at) "
            "UNION ALL SELECT 'live', i.live_session_id, i.kind, count(*), sum(CASE WHEN i.watch_seconds > 30 THEN 30 "
            f"ELSE i.watch_seconds END), max(i.at) FROM interactions i WHERE {window} AND i.live_session_id IS NOT NULL "
            "GROUP BY i.live_session_id, i.kind, date(i.at)",
                t=t["id"], since=db.ts(now - timedelta(days=30)), now=db.ts(now)):
            if ident is not None:
                amount = 5.0 * amount if kind == "order" else feed_weight(kind, amount, watched or 0)
                raw[(target, ident)] += amount * feed_decay(now - feed_when(latest), 7.0)
        return raw

    def feed_pool(now: datetime) -> list[dict[str, Any]]:
        """The tenant's candidates with their popularity scaled per kind (cached a minute)."""
        t = g.tenant
        held = feed_pools.get(t["id"])
        if held is not None and held[0] > time.monotonic():
            return held[1]
        videos, lives = "short_video" in t["features"], "live_shopping" in t["features"]
        limits = {"np": 100, "nv": 40, "nl": 20, "pp": 80, "pv": 30}
        rollup = db.one("SELECT reference FROM feed_popularity_state WHERE tenant_id = :t", t=t["id"]) is not None
        if rollup:
            measured: dict[tuple[str, int], float] = {}
            parts = [FEED_PRODUCTS.format(score="fp.score", join=rollup_join("p", "product"),
                                          popular_products=rollup_top("product", "pp"))]
            if videos:
                parts.append(FEED_VIDEOS.format(score="fp.score", join=rollup_join("vi", "video"),
                                                popular_videos=rollup_top("video", "pv")))
            if lives:
                parts.append(FEED_LIVES.format(score="fp.score", join=rollup_join("ls", "live")))
            params: dict[str, Any] = {}
        else:
            measured = measured_popularity(now)
            top = {kind: [i for _, i in sorted(((-s, i) for (k, i), s in measured.items() if k == kind))][:limits[n]]
                   for kind, n in (("product", "pp"), ("video", "pv"))}
            pmarks, params = in_list("pp", top["product"])
            vmarks, vparams = in_list("pv", top["video"])
            params.update(vparams)
            parts = [FEED_PRODUCTS.format(score="NULL", join="", popular_products=pmarks)]
            if videos:
                parts.append(FEED_VIDEOS.format(score="NULL", join="", popular_videos=vmarks))
            if lives:
                parts.append(FEED_LIVES.format(score="NULL", join=""))
        rows = db.rows(" UNION ALL ".join(parts), t=t["id"], now=db.ts(now), **limits, **params)
        score = {(r[0], r[1]): float(r[10] or 0.0) if rollup else measured.get((r[0], r[1]), 0.0) for r in rows}
        tops: dict[str, float] = defaultdict(float)
        for (kind, _), value in score.items():
            tops[kind] = max(tops[kind], value)
        pool = [{"kind": r[0], "id": r[1], "seller_id": r[2], "creator_id": r[3], "product_id": r[4],
                 "category_id": r[5], "created_at": feed_when(r[6]), "author": r[7], "text": r[8], "media": r[9],
                 "popularity": score[(r[0], r[1])] / tops[r[0]] if tops[r[0]] > 0 else 0.0} for r in rows]
        feed_pools[t["id"]] = (time.monotonic() + 60.0, pool)
        return pool

    def feed_cards(product_ids: Sequence[int], video_ids: Sequence[int]) -> tuple[dict[int, dict[str, Any]],
                                                                                dict[int, list[int]]]:
        t = g.tenant
        pmarks, params = in_list("p", product_ids)
        vmarks, vparams = in_list("v", video_ids)
        cards_by_id: dict[int, dict[str, Any]] = {}
        anchors: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (pid, seller_id, seller_name, category_id, price_minor, created_at, text, thumb, in_stock, video_id,
             position) in db.rows(
            "SELECT p.id, p.seller_id, s.name, p.category_id, p.price_minor, p.created_at, "
            "(SELECT pt.locale || :sep || pt.title FROM product_texts pt WHERE pt.tenant_id = p.tenant_id "
            "AND pt.product_id = p.id ORDER BY CASE WHEN pt.locale = :locale THEN 0 ELSE 2 END, pt.id LIMIT 1), "
            "(SELECT pi.thumbnail_path FROM product_images pi WHERE pi.tenant_id = p.tenant_id AND pi.product_id = p.id "
            "ORDER BY pi.position, pi.id LIMIT 1), "
            "EXISTS (SELECT v.id FROM variants v JOIN inventory i ON i.tenant_id = v.tenant_id AND i.variant_id = v.id "
            "WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id AND v.active AND i.on_hand > i.reserved), "
            "va.video_id, va.position FROM products p JOIN sellers s ON s.tenant_id = p.tenant_id AND s.id = p.seller_id "
            f"LEFT JOIN video_anchors va ON va.tenant_id = p.tenant_id AND va.product_id = p.id AND va.video_id IN ({vmarks}) "
            "WHERE p.tenant_id = :t AND p.status = 'active' AND p.moderation = 'approved' AND p.price_minor IS NOT NULL "
            f"AND s.status = 'approved' AND (p.id IN ({pmarks}) OR p.id IN (SELECT va2.product_id FROM video_anchors va2 "
            f"WHERE va2.tenant_id = :t AND va2.video_id IN ({vmarks})))",
                t=t["id"], sep=SEP, locale=t["locale"], **params, **vparams):
            locale, _, title = (text or "").partition(SEP)
            cards_by_id[pid] = {
                "id": pid, "seller_id": seller_id, "seller_name": seller_name, "category_id": category_id,
                "currency": t["currency"], "title": title, "locale": locale or t["locale"],
                **money(price_minor, t["currency"]), "in_stock": bool(in_stock),
                "thumbnail_url": f"/media/{t['code']}/{thumb}" if thumb else None, "created_at": str(created_at)}
            if video_id is not None:
                anchors[video_id].append((position, pid))
        return cards_by_id, {video: [pid for _, pid in sorted(pairs)] for video, pairs in anchors.items()}

    @app.get("/api/v1/feed")
    def feed() -> Any:
        t, who = g.tenant, principal()
        limit = int(request.args.get("limit", 20))
        now = datetime.now(UTC)
        categories, sellers, creators = feed_affinities(who["id"], now) if who is not None else ({}, {}, {})
        if "ads" in t["features"] and limit > 2:  # the kernel's auction reads the eligible campaigns
            from zoneinfo import ZoneInfo

            digits = DIGITS.get(t["currency"], 2)
            db.rows("SELECT c.id, c.seller_id, c.kind, c.video_id, c.product_id, c.spark_code_id, c.billing, "
                    "c.bid_minor, c.daily_budget_minor, c.categories, c.countries, coalesce(cd.spent_micros, 0), "
                    "a.funded_micros - a.spent_micros FROM ad_campaigns c "
                    "JOIN sellers s ON s.tenant_id = c.tenant_id AND s.id = c.seller_id "
                    "JOIN ad_accounts a ON a.tenant_id = c.tenant_id AND a.seller_id = c.seller_id "
                    "LEFT JOIN ad_campaign_days cd ON cd.tenant_id = c.tenant_id AND cd.campaign_id = c.id "
                    "AND cd.day = :day WHERE c.tenant_id = :t AND c.status = 'active' AND c.starts_at <= :now "
                    "AND (c.ends_at IS NULL OR c.ends_at > :now) AND s.status = 'approved' "
                    "AND a.spent_micros < a.funded_micros AND (cd.id IS NULL OR cd.spent_micros < "
                    "c.daily_budget_minor * :per_minor) ORDER BY c.id", t=t["id"], now=db.ts(now),
                    day=now.astimezone(ZoneInfo(t["timezone"])).date(), per_minor=10 ** (6 - digits))
        pool = feed_pool(now)

        def score(c: dict[str, Any]) -> float:
            age = max((now - c["created_at"]).total_seconds(), 0.0) / 86400
            return (3.0 * categories.get(c["category_id"], 0.0) + 2.0 * sellers.get(c["seller_id"], 0.0)
                    + 2.0 * creators.get(c["creator_id"], 0.0) + 1.5 * c["popularity"] + 0.75 * math.exp(-age / 3.0)
                    + (2.0 if c["kind"] == "live" else 0.0))

        ranked = sorted(pool, key=lambda c: (-score(c), c["kind"], c["id"]))[:limit]
        cards_by_id, anchors = feed_cards([c["product_id"] for c in ranked if c["product_id"] is not None],
                                          [c["id"] for c in ranked if c["kind"] == "video"])
        items = []
        for c in ranked:
            item = {"kind": c["kind"], "id": c["id"], "seller_id": c["seller_id"], "creator_id": c["creator_id"],
                    "product_id": c["product_id"], "popularity": c["popularity"],
                    "product": cards_by_id.get(c["product_id"]) if c["product_id"] is not None else None}
            if c["kind"] == "video":
                item["video"] = {"id": c["id"], "author_name": c["author"], "caption": c["text"], "media_url": c["media"],
                                 "anchors": [cards_by_id[p] for p in anchors.get(c["id"], ()) if p in cards_by_id]}
            elif c["kind"] == "live":
                item["live_session"] = {"id": c["id"], "title": c["text"], "host_name": c["author"]}
            items.append(item)
        return jsonify(items=items, next_cursor="x" if len(pool) > limit else None)

    # -- cart ------------------------------------------------------------------------------------
    # The deal a purchase of variant ``v`` gets (added in live room ``room``), as the kernel's
    # ``deals.deal_applying`` subquery: the cheapest running flash deal, or a live deal of the room
    # while it is on air.
    def deal_for(room: str) -> str:
        return ("(SELECT d2.id FROM deals d2 WHERE d2.tenant_id = :t AND d2.variant_id = v.id AND d2.status = 'active' "
                "AND d2.starts_at <= :now AND d2.ends_at > :now AND (d2.kind = 'flash' OR (d2.kind = 'live' "
                f"AND d2.live_session_id = {room} AND EXISTS (SELECT ls.id FROM live_sessions ls WHERE ls.tenant_id = "
                f"d2.tenant_id AND ls.id = {room} AND ls.status = 'live'))) ORDER BY d2.price_minor, d2.id LIMIT 1)")

    LINE_ROOM = "CASE WHEN cl.source_kind = 'live' THEN cl.source_id END"
    # variants ⋈ products ⋈ sellers with the title in the reader's language (else the default),
    # stock and the deal: the kernel's ``catalog.sale_select`` + the cart's joins
    SALE = ("FROM variants v JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id "
            "JOIN sellers s ON s.tenant_id = p.tenant_id AND s.id = p.seller_id "
            "LEFT JOIN product_texts tw ON tw.tenant_id = p.tenant_id AND tw.product_id = p.id AND tw.locale = :l "
            "LEFT JOIN product_texts td ON td.tenant_id = p.tenant_id AND td.product_id = p.id AND td.locale = :l ")

    def cart_json(buyer_id: int) -> dict[str, Any]:
        t = g.tenant
        lines = db.rows("SELECT cl.id, cl.variant_id, cl.quantity, v.sku, v.price_minor, v.product_id, p.seller_id, "
                        "s.name, i.on_hand - i.reserved, COALESCE(tw.title, td.title), d.price_minor, d.quota - d.claimed "
                        f"{SALE}JOIN cart_lines cl ON cl.tenant_id = v.tenant_id AND cl.variant_id = v.id "
                        "JOIN carts c ON c.tenant_id = cl.tenant_id AND c.id = cl.cart_id "
                        "LEFT JOIN inventory i ON i.tenant_id = v.tenant_id AND i.variant_id = v.id "
                        f"LEFT JOIN deals d ON d.tenant_id = v.tenant_id AND d.id = {deal_for(LINE_ROOM)} "
                        "WHERE v.tenant_id = :t AND c.buyer_id = :b ORDER BY cl.id",
                        t=t["id"], b=buyer_id, l=t["locale"], now=db.ts(datetime.now(UTC)))
        shops: dict[int, dict[str, Any]] = {}
        for lid, vid, quantity, sku, price, pid, seller_id, seller_name, available, title, deal_price, held in lines:
            shop = shops.setdefault(seller_id, {"seller_id": seller_id, "seller_name": seller_name, "lines": []})
            shop["lines"].append({"id": lid, "variant_id": vid, "quantity": quantity, "sku": sku,
                                  "title": title or sku, "unit_price": money(deal_price or price, t["currency"]),
                                  "available": (available or 0) + (held or 0)})
        return {"shops": list(shops.values())}

    @app.post("/api/v1/cart/lines")
    def cart_add() -> Any:
        t, who = g.tenant, principal()
        if who is None:
            return unauthorized()
        body = request.get_json()
        variant_id, quantity = int(body["variant_id"]), int(body["quantity"])
        now = db.ts(datetime.now(UTC))
        db.begin()
        try:
            # the variant for sale, the buyer's cart and line of it, stock and deal: one read
            found = db.one("SELECT v.id, c.id, cl.id, cl.quantity, i.on_hand - i.reserved, d.quota - d.claimed "
                           f"{SALE}LEFT JOIN carts c ON c.tenant_id = v.tenant_id AND c.buyer_id = :b "
                           "LEFT JOIN cart_lines cl ON cl.tenant_id = c.tenant_id AND cl.cart_id = c.id AND cl.variant_id = v.id "
                           "LEFT JOIN inventory i ON i.tenant_id = v.tenant_id AND i.variant_id = v.id "
                           f"LEFT JOIN deals d ON d.tenant_id = v.tenant_id AND d.id = {deal_for(LINE_ROOM)} "
                           "WHERE v.tenant_id = :t AND v.id = :v AND v.active AND p.status = 'active' "
                           "AND p.moderation = 'approved' AND s.status = 'approved'",
                           t=t["id"], b=who["id"], v=variant_id, l=t["locale"], now=now)
            if found is None:
                db.rollback()
                return jsonify(title="not for sale"), 422
            _, cart_id, line_id, had, shelf, held = found
            wanted = quantity + (had or 0)
            if wanted > (shelf or 0) + (held or 0):
                db.rollback()
                return jsonify(title="not enough stock"), 409
            if cart_id is None:
                cart_id = db.one("INSERT INTO carts (tenant_id, buyer_id, created_at, updated_at) VALUES (:t, :b, :now, :now) "
                                 "RETURNING id", t=t["id"], b=who["id"], now=now)[0]
            if line_id is None:
                db.run("INSERT INTO cart_lines (tenant_id, cart_id, variant_id, quantity, added_at) "
                       "VALUES (:t, :c, :v, :q, :now)", t=t["id"], c=cart_id, v=variant_id, q=wanted, now=now)
            else:
                db.run("UPDATE cart_lines SET quantity = :q WHERE tenant_id = :t AND id = :id", q=wanted, t=t["id"], id=line_id)
            db.commit()
        except BaseException:
            db.rollback()
            raise
        response = jsonify(cart_json(who["id"]))
        response.status_code = 201
        return response

    # -- checkout: 3 lines of 2 shops -------------------------------------------------------------
    @app.post("/api/v1/checkout")
    def checkout() -> Any:
        t, who = g.tenant, principal()
        if who is None:
            return unauthorized()
        key = request.headers.get("Idempotency-Key", "")
        body = request.get_data()
        digest = hashlib.sha256(body).hexdigest()
        now = datetime.now(UTC)
        address = json.loads(body)["shipping_address"]
        db.begin()
        try:
            db.run("INSERT INTO idempotency_records (tenant_id, buyer_id, \"key\", request_hash, status, created_at) "
                   "VALUES (:t, :b, :k, :h, 'in_flight', :now)", t=t["id"], b=who["id"], k=key, h=digest, now=db.ts(now))
            # the cart priced in one read, stock rows locked in variant order (PostgreSQL)
            lock = "" if db.sqlite else " FOR UPDATE OF i"
            lines = db.rows("SELECT cl.id, cl.variant_id, cl.quantity, v.sku, v.price_minor, v.product_id, p.seller_id, "
                            "p.tax_category, p.weight_grams, COALESCE(tw.title, td.title), s.name, d.id, d.price_minor "
                            f"{SALE}JOIN cart_lines cl ON cl.tenant_id = v.tenant_id AND cl.variant_id = v.id "
                            "JOIN carts c ON c.tenant_id = cl.tenant_id AND c.id = cl.cart_id "
                            "JOIN inventory i ON i.tenant_id = v.tenant_id AND i.variant_id = v.id "
                            f"LEFT JOIN deals d ON d.tenant_id = v.tenant_id AND d.id = {deal_for(LINE_ROOM)} "
                            "WHERE v.tenant_id = :t AND c.buyer_id = :b AND v.active AND p.status = 'active' "
                            f"AND s.status = 'approved' ORDER BY cl.variant_id{lock}",
                            t=t["id"], b=who["id"], l=t["locale"], now=db.ts(now))
            shops: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
            for line in lines:
                shops[line[6]].append(line)
            marks, params = in_list("s", shops)
            origins = {row[0]: row for row in db.rows(f"SELECT seller_id, line1, city, postal_code, country FROM "
                                                      f"seller_addresses WHERE tenant_id = :t AND seller_id IN ({marks})",
                                                      t=t["id"], **params)}
            # one guarded UPDATE holds every line (a race decides per row)
            cases = " ".join(f"WHEN :cv{n} THEN :cq{n}" for n in range(len(lines)))
            wanted = {**{f"cv{n}": line[1] for n, line in enumerate(lines)}, **{f"cq{n}": line[2] for n, line in enumerate(lines)}}
            vmarks, vparams = in_list("v", [line[1] for line in lines])
            held = db.rows(f"UPDATE inventory SET reserved = reserved + CASE variant_id {cases} END WHERE tenant_id = :t "
                           f"AND variant_id IN ({vmarks}) AND on_hand - reserved >= CASE variant_id {cases} END "
                           "RETURNING variant_id", t=t["id"], **wanted, **vparams)
            if len(held) != len(lines):
                db.rollback()
                return jsonify(title="out of stock"), 409
            # stock moved: the catalog's cached pages (in stock or not) are stale
            db.run("INSERT INTO catalog_generations (tenant_id, generation) VALUES (:t, 1) ON CONFLICT (tenant_id) "
                   "DO UPDATE SET generation = catalog_generations.generation + 1", t=t["id"])
            pmarks, pparams = in_list("p", {line[5] for line in lines})
            clicks: dict[int, tuple[Any, ...]] = {}
            for click in db.rows(f"SELECT product_id, creator_id, source_kind, source_id, at FROM promotion_clicks "
                                 f"WHERE tenant_id = :t AND buyer_id = :b AND product_id IN ({pmarks}) AND at <= :now "
                                 "AND at > :since ORDER BY product_id, at DESC, id DESC", t=t["id"], b=who["id"],
                                 now=db.ts(now), since=db.ts(now - timedelta(days=7)), **pparams):
                clicks.setdefault(click[0], click)
            shipping, total = 490, 0  # a flat fee per shop (the kernel quotes the carriers from ``origins``)
            for shop_lines in shops.values():
                total += sum(line[4] * line[2] for line in shop_lines) + shipping
            checkout_id = db.one(
                "INSERT INTO checkouts (tenant_id, buyer_id, idempotency_key, request_hash, status, currency, "
                "subtotal_minor, discount_minor, shipping_minor, tax_added_minor, total_minor, payment_method, "
                "shipping_address, vouchers, expires_at, created_at) VALUES (:t, :b, :k, :h, 'pending_payment', :cur, "
                ":sub, 0, :ship, 0, :tot, 'card', :addr, '[]', :exp, :now) RETURNING id", t=t["id"], b=who["id"], k=key,
                h=digest, cur=t["currency"], sub=total - shipping * len(shops), ship=shipping * len(shops), tot=total,
                addr=json.dumps(address), exp=db.ts(now + timedelta(minutes=30)), now=db.ts(now))[0]
            values, order_params = [], {}
            for n, (seller_id, shop_lines) in enumerate(shops.items()):
                subtotal = sum(line[4] * line[2] for line in shop_lines)
                values.append(f"(:t, :c, :s{n}, :b, 'pending_payment', :cur, :sub{n}, 0, 0, :ship, :tax{n}, TRUE, 'seller', "
                              f":tot{n}, 'card', 'dhl_de', 'standard', :addr, :now)")
                order_params.update({f"s{n}": seller_id, f"sub{n}": subtotal, f"tax{n}": round(subtotal * 19 / 119),
                                     f"tot{n}": subtotal + shipping})
            order_of = {seller: oid for seller, oid in db.rows(
                "INSERT INTO orders (tenant_id, checkout_id, seller_id, buyer_id, status, currency, subtotal_minor, "
                "seller_discount_minor, platform_discount_minor, shipping_minor, tax_minor, tax_included, "
                "tax_collected_by, total_minor, payment_method, carrier, shipping_service, shipping_address, created_at) "
                f"VALUES {', '.join(values)} RETURNING seller_id, id", t=t["id"], c=checkout_id, b=who["id"],
                cur=t["currency"], ship=shipping, addr=json.dumps(address), now=db.ts(now), **order_params)}
            line_rows = []
            for seller_id, shop_lines in shops.items():
                for line in shop_lines:
                    credit = clicks.get(line[5])
                    line_rows.append({"t": t["id"], "o": order_of[seller_id], "p": line[5], "v": line[1], "sku": line[3],
                                      "title": line[9] or line[3], "cat": line[7], "price": line[4],
                                      "q": line[2], "tax": round(line[4] * line[2] * 19 / 119), "w": line[8],
                                      "cr": credit[1] if credit else None})
            db.many("INSERT INTO order_lines (tenant_id, order_id, product_id, variant_id, sku, title, tax_category, "
                    "unit_price_minor, quantity, discount_minor, tax_minor, tax_rate, weight_grams, refunded_quantity, "
                    "creator_id) VALUES (:t, :o, :p, :v, :sku, :title, :cat, :price, :q, 0, :tax, '0.19', :w, 0, :cr)",
                    line_rows)
            db.many("INSERT INTO outbox_events (tenant_id, kind, subject_id, data, occurred_at, attempts) "
                    "VALUES (:t, 'order.placed', :o, '{}', :now, 0)",
                    [{"t": t["id"], "o": oid, "now": db.ts(now)} for oid in order_of.values()])
            db.run(f"DELETE FROM cart_lines WHERE tenant_id = :t AND variant_id IN ({vmarks}) AND cart_id = "
                   "(SELECT id FROM carts WHERE tenant_id = :t AND buyer_id = :b)", t=t["id"], b=who["id"], **vparams)
            reference = f"pay_{secrets.token_hex(12)}"
            db.run("INSERT INTO payments (tenant_id, checkout_id, reference, method, flow, amount_minor, currency, status, "
                   "outcome_unknown, idempotency_key, instructions, page_token, captured_minor, refunded_minor, "
                   "created_at, updated_at) VALUES (:t, :c, :r, 'card', 'direct', :a, :cur, 'pending', FALSE, :k, '{}', "
                   ":pt, 0, 0, :now, :now)", t=t["id"], c=checkout_id, r=reference, a=total, cur=t["currency"],
                   k=f"checkout-{checkout_id}", pt=secrets.token_urlsafe(24), now=db.ts(now))
            db.commit()
            # the provider (no transaction open): its payment and its key in one write; the card
            # is authorised (its capture comes by webhook), so only our payment row moves
            db.begin()
            record = json.dumps({"status": "authorized", "amount": total})
            db.run("INSERT INTO provider_state (tenant_id, \"key\", value, updated_at) VALUES (:t, :k, :v, :now), "
                   "(:t, :kk, :vk, :now)", t=t["id"], k=f"twin:{reference}", v=record, kk=f"twin-key:checkout-{checkout_id}",
                   vk=json.dumps({"reference": reference}), now=db.ts(now))
            db.run("UPDATE payments SET status = CASE WHEN status IN ('pending', 'requires_action') THEN 'authorized' "
                   "ELSE status END, outcome_unknown = FALSE, provider_ref = COALESCE(provider_ref, :r), updated_at = :now "
                   "WHERE tenant_id = :t AND checkout_id = :c", r=f"pi_{reference}", now=db.ts(now), t=t["id"], c=checkout_id)
            answer = {"checkout_id": checkout_id, "status": "pending_payment", "total": money(total, t["currency"]),
                      "orders": [{"id": oid, "seller_id": seller} for seller, oid in order_of.items()],
                      "payment": {"reference": reference, "status": "authorized"}}
            db.run("UPDATE idempotency_records SET status = 'done', response_status = 201, response_body = :body, "
                   "finished_at = :now WHERE tenant_id = :t AND buyer_id = :b AND \"key\" = :k",
                   body=json.dumps(answer), now=db.ts(now), t=t["id"], b=who["id"], k=key)
            db.commit()
        except BaseException:
            db.rollback()
            raise
        response = jsonify(answer)
        response.status_code = 201
        return response

    # -- a seller's orders -------------------------------------------------------------------------
    @app.get("/api/v1/seller/orders")
    def seller_orders() -> Any:
        t, who = g.tenant, principal()
        if who is None or who["seller_id"] is None:
            return unauthorized()
        limit = int(request.args.get("limit", 20))
        orders = db.rows("SELECT id, checkout_id, seller_id, status, total_minor, currency, payment_method, created_at "
                         "FROM orders WHERE tenant_id = :t AND seller_id = :s ORDER BY id DESC LIMIT :n",
                         t=t["id"], s=who["seller_id"], n=limit)
        marks, params = in_list("o", [o[0] for o in orders])
        items = {oid: n for oid, n in db.rows(f"SELECT order_id, SUM(quantity) FROM order_lines WHERE tenant_id = :t "
                                              f"AND order_id IN ({marks}) GROUP BY order_id", t=t["id"], **params)}
        return jsonify(items=[{"id": o[0], "checkout_id": o[1], "seller_id": o[2], "status": o[3],
                               "total": {"amount": money(o[4], o[5])["price"], "currency": o[5],
                                         "formatted": money(o[4], o[5])["price_formatted"]},
                               "items": int(items.get(o[0], 0)), "payment_method": o[6], "created_at": str(o[7])}
                              for o in orders],
                       next_before=orders[-1][0] if len(orders) == limit else None)

    # -- the payment webhook -------------------------------------------------------------------------
    @app.post("/api/v1/webhooks/payments/<method>")
    def webhook(method: str) -> Any:
        t = g.tenant
        raw = request.get_data()
        secret = hmac.new(webhook_secret.encode(), f"webhooks:{t['code']}".encode(), hashlib.sha256).digest()
        parts = dict(p.split("=", 1) for p in request.headers.get("Pasar-Signature", "").split(","))
        expected = hmac.new(secret, parts["t"].encode() + b"." + raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            return jsonify(title="bad signature"), 400
        event = json.loads(raw)
        data = event["data"]
        # The kernel's order: the provider's record first (no transaction open), then one
        # transaction: the payment with any earlier delivery of the event, the event stored
        # applied, the payment's last event (and its status when it moves forward).
        gateway = data["provider_ref"].rsplit("_", 1)[0]  # a sandbox reference is <gateway code>_<id>
        state = db.one("SELECT value FROM provider_state WHERE tenant_id = :t AND \"key\" = :k",
                       t=t["id"], k=f"sandbox:{t['code']}:payments:{gateway}:payment:{data['provider_ref']}")
        occurred = db.ts(datetime.fromisoformat(event["created"]))
        db.begin()
        try:
            payment = db.one("SELECT p.id, p.status, e.id, e.applied FROM payments p LEFT JOIN payment_events e "
                             "ON e.tenant_id = p.tenant_id AND e.provider = :m AND e.event_id = :e "
                             "WHERE p.tenant_id = :t AND (p.provider_ref = :p OR p.reference = :r) LIMIT 1",
                             t=t["id"], m=method, e=event["id"], p=data["provider_ref"], r=data.get("reference"))
            if payment[2] is not None:
                db.commit()
                return jsonify(received=True, duplicate=True, payment_status=None)
            db.run("INSERT INTO payment_events (tenant_id, provider, event_id, type, payment_id, subject_ref, occurred_at, "
                   "data, applied, received_at) VALUES (:t, :m, :e, :ty, :pid, :s, :at, :d, TRUE, :now)",
                   t=t["id"], m=method, e=event["id"], ty=event["type"], pid=payment[0], s=data["provider_ref"],
                   at=occurred, d=json.dumps(data), now=db.ts(datetime.now(UTC)))
            status = db.json(state[0]).get("status", payment[1]) if state else payment[1]
            if status != payment[1] and payment[1] in ("requires_action", "pending", "authorized"):
                db.run("UPDATE payments SET last_event_at = :at, provider_ref = COALESCE(provider_ref, :p), status = :s "
                       "WHERE id = :id", at=occurred, p=data["provider_ref"], s=status, id=payment[0])
            else:
                status = payment[1]
                db.run("UPDATE payments SET last_event_at = :at, provider_ref = COALESCE(provider_ref, :p) WHERE id = :id",
                       at=occurred, p=data["provider_ref"], id=payment[0])
            db.commit()
        except BaseException:
            db.rollback()
            raise
        return jsonify(received=True, duplicate=False, payment_status=status)

    return app


def hello_app() -> Flask:
    """The ceiling: a hello-world JSON answer under the same server."""
    app = Flask("hello")

    @app.get("/hello")
    def hello() -> Any:
        return jsonify(hello="world")

    return app
