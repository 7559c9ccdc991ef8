"""A per-process cache of public catalog answers: the product listing, the product page and the
categories, as marketplaces serve them to the many people browsing the same pages.

An answer is kept under its tenant, path (with the ``/t/<code>`` prefix, which its links
carry), normalised query, language and currency, and it is used only while

- the tenant's **catalog generation** is the one it was made under: every write that can change
  a catalog answer bumps it in the writing transaction (``pasar.catalog.generations``), so a
  stock, price, text, picture, moderation or shop change shows on the very next read. Reading
  the generation is the one statement a cached answer costs;
- the tenant's configuration is the one it was made with (a changed file or feature switch
  drops the tenant's entries);
- it has not expired: answers also change with time alone — which price period is in force,
  and so an EU prior price, changes at the period's boundary; the region's consumer rules are
  asked per local date — so the view tells the cache the next such moment (``changes_at``),
  and no entry lives longer than ``MAX_AGE`` (30 s) whatever happens, which bounds what a write
  the generation cannot see (raw SQL outside the ORM session) can leave stale. Deals are not
  shown in these answers (checked: the listing, product page and categories read no deal); the
  units a deal holds are, and they move by writes (creating or ending a deal), not by its
  window opening. The EU prior price depends on the moment only through which price period is
  in force, hence the period boundaries above.

None of these answers depends on who asks (the views read no principal), so signed-in buyers
share them with anonymous ones. A request with ``Cache-Control: no-cache`` (or ``no-store``,
or ``Pragma: no-cache``) skips the cache entirely: a client that must see fresh data sends it,
and the benchmark measures the uncached path with it. Every answer carries a strong ``ETag``
(a hash of its body), and ``If-None-Match`` with the current one gets a 304.

Memory is bounded: least recently used entries go first beyond ``max_entries`` or ``max_bytes``
(defaults 2,048 entries and 32 MiB per process; ``extra`` settings ``catalog_cache_entries``,
``catalog_cache_bytes`` and ``catalog_cache_max_age`` change them, 0 entries turns it off).
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from flask import Response, current_app, g, request
from flask_babel import get_locale

from pasar import clock
from pasar.catalog.generations import request_generation
from pasar.tenancy.service import TenantContext
from pasar.web import current_tenant, db_session

MAX_AGE = timedelta(seconds=30)
MAX_ENTRIES = 2048
MAX_BYTES = 32 * 1024 * 1024

Key = tuple[Hashable, ...]


@dataclass(frozen=True)
class Entry:
    """A kept answer: its body, its ETag, the generation it was made under and when it expires."""

    generation: int
    body: bytes
    etag: str
    expires: datetime


@dataclass
class _TenantSlot:
    """What the cache knows of one tenant: the configuration and newest generation its entries
    were made with, and the keys of its entries (to drop them together)."""

    config: Any
    overrides: Any
    generation: int
    keys: set[Key] = field(default_factory=set)


class ResponseCache:
    """Answers kept in least-recently-used order within ``max_entries`` and ``max_bytes``.

    Thread-safe: every read and change of the entries holds one lock for a few dict operations;
    answers are made outside it (two threads missing together both make the answer; either
    result is right)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES,
                 max_age: timedelta = MAX_AGE) -> None:
        self.max_entries, self.max_bytes, self.max_age = max_entries, max_bytes, max_age
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._tenants: dict[int, _TenantSlot] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0 and self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes of the kept bodies."""
        return self._bytes

    def get(self, tenant: TenantContext, key: Key, generation: int, now: datetime) -> Entry | None:
        """The entry for ``key`` if it is still exact for this tenant context and generation
        and has not expired; a stale one is dropped."""
        with self._lock:
            if not self._current(tenant, generation):
                return None
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.generation != generation or entry.expires <= now:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, tenant: TenantContext, key: Key, entry: Entry) -> None:
        """Keep ``entry`` unless a newer generation of its tenant was seen meanwhile, then drop
        the least recently used entries beyond the bounds."""
        size = len(entry.body)
        if size > self.max_bytes:
            return
        with self._lock:
            if not self._current(tenant, entry.generation):
                return
            if key in self._entries:
                self._drop(key)
            self._entries[key] = entry
            self._tenants[tenant.id].keys.add(key)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._tenants.clear()
            self._bytes = 0

    def _current(self, tenant: TenantContext, generation: int) -> bool:
        """Whether entries of ``generation`` may be used or kept for this tenant context. A
        newer generation or another configuration drops the tenant's older entries (only
        that tenant's: another tenant's writes never evict them). Holds the lock."""
        slot = self._tenants.get(tenant.id)
        if slot is not None and (slot.config is tenant.config or slot.config == tenant.config) \
                and slot.overrides == tenant.feature_overrides:
            if generation == slot.generation:
                return True
            if generation < slot.generation:
                return False  # a reader that started before a write: its answer is older
        for key in list(slot.keys) if slot is not None else ():
            self._drop(key)
        self._tenants[tenant.id] = _TenantSlot(tenant.config, tenant.feature_overrides, generation)
        return True

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key)
        self._bytes -= len(entry.body)
        slot = self._tenants.get(int(key[0]))  # type: ignore[call-overload]
        if slot is not None:
            slot.keys.discard(key)


def response_cache() -> ResponseCache:
    """This app's cache (one per process), made on first use from the app's settings."""
    cache = current_app.extensions.get("pasar.catalog_cache")
    if cache is None:
        extra = current_app.config["PASAR"].extra
        made = ResponseCache(
            max_entries=int(extra.get("catalog_cache_entries", MAX_ENTRIES)),
            max_bytes=int(extra.get("catalog_cache_bytes", MAX_BYTES)),
            max_age=timedelta(seconds=float(extra.get("catalog_cache_max_age", MAX_AGE.total_seconds()))),
        )
        cache = current_app.extensions.setdefault("pasar.catalog_cache", made)
    return cache


def changes_at(moment: datetime | None) -> None:
    """Called by a view: its answer may change with time alone at ``moment`` (None: it will
    not), so it must not be kept past it."""
    if moment is not None:
        known = g.get("catalog_changes_at")
        g.catalog_changes_at = moment if known is None else min(known, moment)


def wants_fresh() -> bool:
    """The client asked not to be answered from a cache."""
    control = request.cache_control
    return bool(control.no_cache or control.no_store) or "no-cache" in request.headers.get("Pragma", "")


def cached(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a public catalog GET from the cache when it can, else run ``view`` (which answers
    a ``Response``) and keep a 200 answer. Outermost decorator of the view: a cached answer
    skips argument parsing too (a request the arguments refuse is never kept)."""

    @wraps(view)
    def serve(*args: Any, **kwargs: Any) -> Any:
        cache = response_cache()
        if request.method not in ("GET", "HEAD") or not cache.enabled or wants_fresh():
            return _tagged(view(*args, **kwargs))
        tenant = current_tenant()
        current = request_generation(db_session, tenant.id)
        now = clock.now()
        key: Key = (tenant.id, request.script_root, request.path, tuple(sorted(request.args.items(multi=True))),
                    str(get_locale()), tenant.currency)
        entry = cache.get(tenant, key, current, now)
        if entry is not None:
            response = current_app.response_class(entry.body, mimetype="application/json")
            response.set_etag(entry.etag)
            return _conditional(response, entry.etag)
        g.pop("catalog_changes_at", None)
        response = view(*args, **kwargs)
        if _tag(response):
            expires = now + cache.max_age
            boundary = g.pop("catalog_changes_at", None)
            if boundary is not None:
                expires = min(expires, boundary)
            etag, _weak = response.get_etag()
            if expires > now and etag is not None:
                cache.put(tenant, key, Entry(current, response.get_data(), etag, expires))
            return _conditional(response, etag)
        return response

    return serve


def _tagged(response: Any) -> Any:
    """``response``, made conditional on its ETag if it is a 200 answer (``_tag``)."""
    return _conditional(response, response.get_etag()[0]) if _tag(response) else response


def _tag(response: Any) -> bool:
    """Give a 200 answer its strong ETag (a hash of the body); whether it was one."""
    if not isinstance(response, Response) or response.status_code != 200 or response.direct_passthrough:
        return False
    response.set_etag(hashlib.blake2b(response.get_data(), digest_size=12).hexdigest())
    return True


def _conditional(response: Response, etag: str | None) -> Response:
    """A 304 without the body when the request's ``If-None-Match`` names ``etag`` (weak
    comparison, as RFC 9110 asks for GET); else ``response`` as it is."""
    if etag is not None and "If-None-Match" in request.headers and request.if_none_match.contains_weak(etag):
        response.status_code = 304  # werkzeug sends no body with a 304
    return response
