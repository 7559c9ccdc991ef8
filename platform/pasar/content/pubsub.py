"""Live rooms' publish/subscribe: every event of a room reaches every viewer, in one order.

Two brokers behind one protocol, chosen by ``Settings.pubsub_url``:

- ``InProcessBroker`` (the default): rooms are sets of bounded queues in this process. Enough
  for one web process (``make run``); a slow viewer whose queue is full loses its oldest
  events rather than making the room wait or the process grow.
- ``RedisBroker`` (``PASAR_PUBSUB_URL=redis://...``): rooms are Redis channels, so viewers on
  any web worker see events published by any worker (or the Celery worker). An event's id and
  its publication happen in one Lua script, so ids reach subscribers in increasing order.

Both also count viewers and keep the sliding-window logs the comment rate limit uses, so a
limit holds across workers when Redis is there.

Reconnecting: each room keeps its newest ``ROOM_HISTORY`` events (viewer counts excepted: they
churn, and a reconnecting viewer gets a fresh count anyway) — a deque here, a capped Redis list
next to the channel there, appended in the same step that publishes. ``subscribe(room,
last_event_id=n)`` first hands the subscriber every kept event with an id above ``n``, then the
live ones, without a duplicate or a step back in ids. When events after ``n`` were already
pushed out of the history, the subscription says so (``missed``) so the client can reload the
room's state instead of trusting a stream with a hole in it.
"""
from __future__ import annotations

import json
import math
import queue
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

#: Events a slow in-process subscriber may have waiting before the oldest are dropped.
SUBSCRIBER_BUFFER = 256
VIEWERS = "viewers"  # the event type announcing a room's viewer count
#: Events a room keeps for viewers who reconnect with ``Last-Event-ID``.
ROOM_HISTORY = 200
#: Rooms whose history the in-process broker keeps (the least recently active are forgotten).
HISTORY_ROOMS = 1_000
#: Redis: a room silent this long forgets its history (a live stream rarely lasts a day).
HISTORY_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class RoomEvent:
    """One event of a room: ``id`` increases within the room; ``data`` is JSON-ready."""

    id: int
    type: str
    data: dict[str, Any]

    def as_json(self) -> str:
        return json.dumps({"id": self.id, "type": self.type, "data": self.data}, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> RoomEvent:
        body = json.loads(raw)
        return cls(int(body["id"]), str(body["type"]), dict(body["data"]))


class Subscription(Protocol):
    #: True when the subscriber asked to resume after an event that the room's history no
    #: longer reaches back to: some events in between are lost to it.
    missed: bool

    def get(self, timeout: float) -> RoomEvent | None:
        """The next event, or None when ``timeout`` seconds passed without one."""

    def close(self) -> None:
        """Leave the room (idempotent)."""


class Broker(Protocol):
    def publish(self, room: str, type: str, data: dict[str, Any]) -> RoomEvent: ...

    def subscribe(self, room: str, last_event_id: int | None = None) -> Subscription:
        """Join the room; with ``last_event_id`` the kept events after it come first."""

    def viewers(self, room: str) -> int: ...

    def hit(self, key: str, limit: int, window_seconds: int) -> int:
        """Count an attempt against ``key``'s last ``window_seconds``: 0 if it is within
        ``limit`` (and counted), else the whole seconds until a slot frees up."""

    def close(self) -> None: ...


# --- in-process ---------------------------------------------------------------------------------
@dataclass(eq=False)
class _LocalSubscription:
    broker: InProcessBroker
    room: str
    events: queue.Queue[RoomEvent] = field(default_factory=lambda: queue.Queue(SUBSCRIBER_BUFFER))
    closed: bool = False
    missed: bool = False

    def deliver(self, event: RoomEvent) -> None:
        """Called under the broker's lock, so two events never swap places."""
        while True:
            try:
                self.events.put_nowait(event)
                return
            except queue.Full:
                self._drop_oldest()

    def _drop_oldest(self) -> None:
        try:
            self.events.get_nowait()
        except queue.Empty:
            return

    def get(self, timeout: float) -> RoomEvent | None:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self.broker._leave(self)


class InProcessBroker:
    """Rooms as sets of bounded queues, guarded by one lock (publishing is a few puts)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._rooms: dict[str, set[_LocalSubscription]] = {}
        self._sequence: dict[str, int] = {}
        # room -> its newest events, and the id of the newest event pushed out of them
        self._history: OrderedDict[str, tuple[deque[RoomEvent], list[int]]] = OrderedDict()
        self._windows: dict[str, deque[float]] = {}  # key -> times of accepted attempts
        self._clock = clock

    def publish(self, room: str, type: str, data: dict[str, Any]) -> RoomEvent:
        with self._lock:
            return self._publish_locked(room, type, data)

    def _publish_locked(self, room: str, type: str, data: dict[str, Any]) -> RoomEvent:
        self._sequence[room] = self._sequence.get(room, 0) + 1
        event = RoomEvent(self._sequence[room], type, data)
        if type != VIEWERS:
            self._keep(room, event)
        for subscriber in self._rooms.get(room, ()):
            subscriber.deliver(event)
        return event

    def _keep(self, room: str, event: RoomEvent) -> None:
        kept, evicted = self._history.get(room) or (deque(), [0])
        self._history[room] = (kept, evicted)
        self._history.move_to_end(room)
        if len(kept) >= ROOM_HISTORY:
            evicted[0] = kept.popleft().id
        kept.append(event)
        while len(self._history) > HISTORY_ROOMS:
            self._history.popitem(last=False)

    def subscribe(self, room: str, last_event_id: int | None = None) -> _LocalSubscription:
        subscription = _LocalSubscription(self, room)
        with self._lock:
            if last_event_id is not None:
                kept, evicted = self._history.get(room) or (deque(), [0])
                subscription.missed = evicted[0] > last_event_id
                for event in kept:
                    if event.id > last_event_id:
                        subscription.deliver(event)
            members = self._rooms.setdefault(room, set())
            members.add(subscription)
            self._publish_locked(room, VIEWERS, {"count": len(members)})
        return subscription

    def _leave(self, subscription: _LocalSubscription) -> None:
        with self._lock:
            if subscription.closed:
                return
            subscription.closed = True
            members = self._rooms.get(subscription.room, set())
            members.discard(subscription)
            self._publish_locked(subscription.room, VIEWERS, {"count": len(members)})
            if not members:
                del self._rooms[subscription.room]

    def viewers(self, room: str) -> int:
        with self._lock:
            return len(self._rooms.get(room, ()))

    def hit(self, key: str, limit: int, window_seconds: int) -> int:
        now = self._clock()
        with self._lock:
            recent = self._windows.setdefault(key, deque())
            while recent and recent[0] <= now - window_seconds:
                recent.popleft()
            if len(recent) >= limit:
                return max(1, math.ceil(recent[0] + window_seconds - now))
            recent.append(now)
            if len(self._windows) > 10_000:  # forget keys whose window has passed now and then
                self._windows = {k: v for k, v in self._windows.items() if v and v[-1] > now - window_seconds}
        return 0

    def close(self) -> None:
        with self._lock:
            self._rooms.clear()


# --- Redis --------------------------------------------------------------------------------------
# KEYS[1] the room's sequence, KEYS[2] its channel, KEYS[3] its history (a list of the newest
# messages), KEYS[4] the id of the newest message pushed out of it; ARGV[1] type, ARGV[2] data
# as JSON, ARGV[3] the history's length, ARGV[4] its time to live in seconds.
_PUBLISH_LUA = """
local id = redis.call('INCR', KEYS[1])
local message = '{"id":' .. id .. ',"type":' .. cjson.encode(ARGV[1]) .. ',"data":' .. ARGV[2] .. '}'
redis.call('PUBLISH', KEYS[2], message)
redis.call('RPUSH', KEYS[3], message)
if redis.call('LLEN', KEYS[3]) > tonumber(ARGV[3]) then
  local oldest = redis.call('LPOP', KEYS[3])
  redis.call('SET', KEYS[4], cjson.decode(oldest)['id'], 'EX', ARGV[4])
end
redis.call('EXPIRE', KEYS[3], ARGV[4])
return id
"""
# KEYS[1] viewers counter, KEYS[2] sequence, KEYS[3] channel; ARGV[1] +1 or -1.
_VIEWERS_LUA = """
local count = redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
if count < 0 then redis.call('SET', KEYS[1], 0); count = 0 end
local id = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', KEYS[3], '{"id":' .. id .. ',"type":"viewers","data":{"count":' .. count .. '}}')
return count
"""

# A sliding-window log: KEYS[1] a sorted set of accepted attempts' times; ARGV now, window,
# limit, a unique member. Answers 0 (accepted) or the whole seconds until one slot frees up.
_HIT_LUA = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
  return math.max(1, math.ceil(oldest + window - now))
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(window) + 1)
return 0
"""


class _RedisSubscription:
    def __init__(self, broker: RedisBroker, room: str, last_event_id: int | None = None) -> None:
        self._broker, self._room = broker, room
        self._pubsub = broker.client.pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(broker.key(room, "channel"))
        # Wait for the confirmation: events published after subscribe() returns are ours.
        self._pubsub.get_message(timeout=5.0, ignore_subscribe_messages=False)
        self._closed = False
        self.missed = False
        self._replay: deque[RoomEvent] = deque()
        self._after = 0  # events up to this id were handed out already (or are not wanted)
        if last_event_id is not None:
            self._load_history(last_event_id)
        broker.count_viewer(room, +1)

    def _load_history(self, last_event_id: int) -> None:
        """The kept events after ``last_event_id``, read after subscribing: one published in
        between is both kept and on the channel, and ``get`` skips its second copy."""
        kept, evicted = self._broker.history(self._room)
        self.missed = evicted > last_event_id
        self._replay.extend(event for event in kept if event.id > last_event_id)
        self._after = max([last_event_id, *(event.id for event in self._replay)])

    def get(self, timeout: float) -> RoomEvent | None:
        if self._replay:
            return self._replay.popleft()
        deadline = time.monotonic() + timeout
        while True:
            message = self._pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))
            if message is not None and message.get("type") == "message":
                event = RoomEvent.from_json(message["data"])
                if event.id > self._after:
                    return event
            if time.monotonic() >= deadline:
                return None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._pubsub.close()
        finally:
            self._broker.count_viewer(self._room, -1)


class RedisBroker:
    """Rooms as Redis channels under ``prefix``; a room's sequence and viewers as keys next to it."""

    def __init__(self, url: str, prefix: str = "pasar:live:") -> None:
        import redis

        self.client = redis.Redis.from_url(url, decode_responses=True)
        self.prefix = prefix
        self._publish = self.client.register_script(_PUBLISH_LUA)
        self._viewers = self.client.register_script(_VIEWERS_LUA)
        self._hit = self.client.register_script(_HIT_LUA)

    def key(self, room: str, part: str) -> str:
        return f"{self.prefix}{room}:{part}"

    def publish(self, room: str, type: str, data: dict[str, Any]) -> RoomEvent:
        payload = json.dumps(data, separators=(",", ":"))
        keys = [self.key(room, "seq"), self.key(room, "channel"), self.key(room, "history"), self.key(room, "evicted")]
        event_id = self._publish(keys=keys, args=[type, payload, ROOM_HISTORY, HISTORY_TTL_SECONDS])
        return RoomEvent(int(event_id), type, data)

    def subscribe(self, room: str, last_event_id: int | None = None) -> _RedisSubscription:
        return _RedisSubscription(self, room, last_event_id)

    def history(self, room: str) -> tuple[list[RoomEvent], int]:
        """The room's kept events, oldest first, and the id of the newest one no longer kept
        (0: none was pushed out) — read together."""
        with self.client.pipeline(transaction=True) as pipe:
            pipe.lrange(self.key(room, "history"), 0, -1)
            pipe.get(self.key(room, "evicted"))
            kept, evicted = pipe.execute()
        return [RoomEvent.from_json(raw) for raw in kept], int(evicted or 0)

    def count_viewer(self, room: str, delta: int) -> int:
        keys = [self.key(room, "viewers"), self.key(room, "seq"), self.key(room, "channel")]
        return int(self._viewers(keys=keys, args=[delta]))

    def viewers(self, room: str) -> int:
        return int(self.client.get(self.key(room, "viewers")) or 0)

    def hit(self, key: str, limit: int, window_seconds: int) -> int:
        wait = self._hit(keys=[f"{self.prefix}rate:{key}"],
                         args=[time.time(), window_seconds, limit, uuid.uuid4().hex])
        return int(wait)

    def close(self) -> None:
        self.client.close()


def make_broker(pubsub_url: str) -> Broker:
    """The broker the settings ask for: Redis for ``redis://``/``rediss://``, else in-process."""
    if pubsub_url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBroker(pubsub_url)
    if pubsub_url:
        raise ValueError(f"PASAR_PUBSUB_URL must be a redis:// URL or empty, not {pubsub_url!r}")
    return InProcessBroker()


_app_lock = threading.Lock()


def broker_of(app: Any) -> Broker:
    """The application's broker, made on first use from its settings and kept for its life."""
    broker = app.extensions.get("pasar.pubsub")
    if broker is None:
        with _app_lock:
            broker = app.extensions.get("pasar.pubsub")
            if broker is None:
                broker = make_broker(app.config["PASAR"].pubsub_url)
                app.extensions["pasar.pubsub"] = broker
    return broker
