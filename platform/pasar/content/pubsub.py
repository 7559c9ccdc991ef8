"""Live rooms' publish/subscribe: every event of a room reaches every viewer, in one order.

Two brokers behind one protocol, chosen by ``Settings.pubsub_url``:

- ``InProcessBroker`` (the default): rooms are sets of bounded queues in this process. Enough
  for one web process (``make run``).
- ``RedisBroker`` (``PASAR_PUBSUB_URL=redis://...``): rooms are Redis channels, so viewers on
  any web worker see events published by any worker (or the Celery worker). An event's id and
  its publication happen in one Lua script, so ids reach subscribers in increasing order.

Either way a viewer is a bounded queue in the web process (``_LocalSubscription``); a slow
viewer whose queue is full loses its oldest events rather than making the room wait or the
process grow. With Redis, a worker process holds ONE pub/sub connection, subscribed to the
channels of the rooms it has viewers in, and one listener thread (a greenlet under gevent)
fans each message out to the local queues. A viewer per Redis connection would cap a worker at
the client's pool size (viewer 101 failed with ``MaxConnectionsError``) and cost a socket, a
parser and a buffer per viewer. After a dropped connection redis-py reconnects and subscribes
again; the listener then fills the gap from the room's kept history (below), or tells the
viewers to ``resync`` when the gap reaches further back than that.

The viewer count is announced to the room (``viewers`` events), but at most once per
``COUNT_INTERVAL`` per room and process: the first change of a quiet room at once, the changes
within the interval folded into one announcement at its end that reads the count then (the last
value wins). Announcing every join and leave to everyone sends N²/2 frames for N joins (half a
million for a room of 1,000), which kept a CPU busy while viewers arrived.

Reconnecting: each room keeps its newest ``ROOM_HISTORY`` events (viewer counts excepted: they
churn, and a reconnecting viewer gets a fresh count anyway) — a deque here, a capped Redis list
next to the channel there, appended in the same step that publishes. ``subscribe(room,
last_event_id=n)`` first hands the subscriber every kept event with an id above ``n``, then the
live ones, without a duplicate or a step back in ids. When events after ``n`` were already
pushed out of the history, the subscription says so (``missed``) so the client can reload the
room's state instead of trusting a stream with a hole in it.

Both brokers also count viewers and keep the sliding-window logs the comment rate limit uses,
so a limit holds across workers when Redis is there. Threads or greenlets: everything here
waits through ``threading``/``queue``, which gevent's monkey-patching turns cooperative.
"""
from __future__ import annotations

import json
import logging
import math
import os
import queue
import threading
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

#: Events a slow subscriber may have waiting before the oldest are dropped.
SUBSCRIBER_BUFFER = 256
VIEWERS = "viewers"  # the event type announcing a room's viewer count
#: Handed to a subscriber (never published, no id) when events it should have had are lost to
#: it: a reconnect to Redis that took longer than the room's history reaches back.
RESYNC = "resync"
#: Events a room keeps for viewers who reconnect with ``Last-Event-ID``.
ROOM_HISTORY = 200
#: Rooms whose history the in-process broker keeps (the least recently active are forgotten).
HISTORY_ROOMS = 1_000
#: Redis: a room silent this long forgets its history (a live stream rarely lasts a day).
HISTORY_TTL_SECONDS = 24 * 3600
#: Seconds between two announcements of one room's viewer count (per process).
COUNT_INTERVAL = 1.0
#: Seconds a joining viewer waits for Redis to confirm its room's subscription.
SUBSCRIBE_TIMEOUT = 5.0


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


_RESYNC_EVENT = RoomEvent(0, RESYNC, {})


class Subscription(Protocol):
    #: True when the subscriber asked to resume after an event that the room's history no
    #: longer reaches back to: some events in between are lost to it.
    missed: bool

    def get(self, timeout: float) -> RoomEvent | None:
        """The next event, or None when ``timeout`` seconds passed without one. An event of
        type ``RESYNC`` (id 0) says events were lost since: reload the room's state."""

    def close(self) -> None:
        """Leave the room (idempotent)."""


class Broker(Protocol):
    def publish(self, room: str, type: str, data: dict[str, Any]) -> RoomEvent: ...

    def subscribe(self, room: str, last_event_id: int | None = None) -> Subscription:
        """Join the room; with ``last_event_id`` the kept events after it come first."""

    def viewers(self, room: str) -> int: ...

    def subscribers(self, room: str) -> int:
        """The viewers of ``room`` this process holds a queue for."""

    def hit(self, key: str, limit: int, window_seconds: int) -> int:
        """Count an attempt against ``key``'s last ``window_seconds``: 0 if it is within
        ``limit`` (and counted), else the whole seconds until a slot frees up."""

    def close(self) -> None: ...


# --- one viewer ---------------------------------------------------------------------------------
class _LocalSubscription:
    """A viewer: a bounded queue the broker delivers into, read by the viewer's stream.

    ``_replay`` (events kept before the viewer joined) is read before the queue, and queued
    events up to ``_after`` are skipped: they were replayed already."""

    __slots__ = ("_leave", "room", "events", "closed", "missed", "_replay", "_after")

    def __init__(self, leave: Callable[[_LocalSubscription], None], room: str) -> None:
        self._leave = leave
        self.room = room
        self.events: queue.Queue[RoomEvent] = queue.Queue(SUBSCRIBER_BUFFER)
        self.closed = False
        self.missed = False
        self._replay: deque[RoomEvent] | None = None
        self._after = 0

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

    def resume(self, kept: Iterable[RoomEvent], evicted: int, last_event_id: int) -> None:
        """Replay the ``kept`` events after ``last_event_id`` first; ``evicted`` is the newest
        id no longer kept (a hole when it is beyond ``last_event_id``)."""
        self.missed = evicted > last_event_id
        self._replay = deque(event for event in kept if event.id > last_event_id)
        self._after = max([last_event_id, *(event.id for event in self._replay)])

    def skip_through(self, event_id: int) -> None:
        """Events up to ``event_id`` were published before the viewer joined: not for it."""
        self._after = max(self._after, event_id)

    def get(self, timeout: float) -> RoomEvent | None:
        if self._replay:
            return self._replay.popleft()
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if event.id > self._after or event.type == RESYNC:
                return event

    def close(self) -> None:
        self._leave(self)


# --- viewer counts ------------------------------------------------------------------------------
def _later(delay: float, call: Callable[[], None]) -> None:
    timer = threading.Timer(delay, call)
    timer.daemon = True
    timer.start()


class CountCoalescer:
    """Announces a room's viewer count at most once per ``interval``: the first change of a
    quiet room at once, the changes after it within the interval as one announcement at the
    interval's end (``announce`` reads the count then, so the last value wins and the final
    count is always delivered). ``schedule(delay, call)`` runs ``call`` later (a timer thread,
    a greenlet under gevent); tests pass their own clock and schedule."""

    def __init__(self, interval: float = COUNT_INTERVAL, *, clock: Callable[[], float] = time.monotonic,
                 schedule: Callable[[float, Callable[[], None]], None] = _later) -> None:
        self.interval = interval
        self._clock, self._schedule = clock, schedule
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}  # room -> when its count was last announced
        self._pending: set[str] = set()  # rooms with an announcement scheduled

    def changed(self, room: str, announce: Callable[[str], None]) -> None:
        """The viewers of ``room`` changed: announce now, or once the interval is over."""
        now = self._clock()
        with self._lock:
            if room in self._pending:
                return
            last = self._last.get(room)
            if last is not None and now - last < self.interval:
                self._pending.add(room)
                delay = last + self.interval - now
            else:
                self._last[room] = now
                delay = None
                if len(self._last) > 1_000:  # forget rooms quiet for longer than the interval
                    self._last = {r: t for r, t in self._last.items() if now - t < self.interval or r in self._pending}
        if delay is None:
            _announce_quietly(announce, room)
        else:
            self._schedule(delay, lambda: self._flush(room, announce))

    def _flush(self, room: str, announce: Callable[[str], None]) -> None:
        with self._lock:
            self._pending.discard(room)
            self._last[room] = self._clock()
        _announce_quietly(announce, room)


def _announce_quietly(announce: Callable[[str], None], room: str) -> None:
    """A count announcement is a courtesy: a failing one (Redis away) must not fail a join or
    a leave, and the next change announces the count again."""
    try:
        announce(room)
    except Exception:  # noqa: BLE001 - logged; the stream goes on
        log.warning("could not announce the viewer count of %s", room, exc_info=True)


# --- in-process ---------------------------------------------------------------------------------
class InProcessBroker:
    """Rooms as sets of bounded queues, guarded by one lock (publishing is a few puts)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, counts: CountCoalescer | None = None) -> None:
        self._lock = threading.Lock()
        self._rooms: dict[str, set[_LocalSubscription]] = {}
        self._sequence: dict[str, int] = {}
        # room -> its newest events, and the id of the newest event pushed out of them
        self._history: OrderedDict[str, tuple[deque[RoomEvent], list[int]]] = OrderedDict()
        self._windows: dict[str, deque[float]] = {}  # key -> times of accepted attempts
        self._clock = clock
        self.counts = counts or CountCoalescer()

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
        subscription = _LocalSubscription(self._leave, room)
        with self._lock:
            if last_event_id is not None:
                kept, evicted = self._history.get(room) or (deque(), [0])
                subscription.resume(kept, evicted[0], last_event_id)
            self._rooms.setdefault(room, set()).add(subscription)
        self.counts.changed(room, self._announce_count)
        return subscription

    def _announce_count(self, room: str) -> None:
        with self._lock:
            members = self._rooms.get(room)
            if members:  # an empty room has nobody to tell
                self._publish_locked(room, VIEWERS, {"count": len(members)})

    def _leave(self, subscription: _LocalSubscription) -> None:
        with self._lock:
            if subscription.closed:
                return
            subscription.closed = True
            members = self._rooms.get(subscription.room, set())
            members.discard(subscription)
            if not members:
                self._rooms.pop(subscription.room, None)
        self.counts.changed(subscription.room, self._announce_count)

    def viewers(self, room: str) -> int:
        with self._lock:
            return len(self._rooms.get(room, ()))

    def subscribers(self, room: str) -> int:
        return self.viewers(room)

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
# KEYS[1] viewers counter, KEYS[2] the room's sequence; ARGV[1] +1 or -1. The count never goes
# below zero; answers it and the room's newest event id.
_COUNT_LUA = """
local count = redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
if count < 0 then redis.call('SET', KEYS[1], 0); count = 0 end
return {count, tonumber(redis.call('GET', KEYS[2]) or '0')}
"""
# KEYS[1] viewers counter, KEYS[2] sequence, KEYS[3] channel: announce the count as it is now.
_ANNOUNCE_LUA = """
local count = math.max(0, tonumber(redis.call('GET', KEYS[1]) or '0'))
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

#: Seconds the listener waits for a message before looking whether it should stop.
_LISTEN_POLL = 1.0


class _Room:
    """A room this process has viewers in: their queues, whether Redis confirmed the channel's
    subscription, and the newest event id handed out (a resubscription fills in after it)."""

    __slots__ = ("name", "members", "confirmed", "last_id")

    def __init__(self, name: str) -> None:
        self.name = name
        self.members: set[_LocalSubscription] = set()
        self.confirmed = threading.Event()
        self.last_id = 0


class RedisBroker:
    """Rooms as Redis channels under ``prefix``; a room's sequence and viewers as keys next to it.

    Commands go through a blocking pool of at most ``max_connections`` connections (a join
    waits for a free one rather than failing); subscriptions share one pub/sub connection per
    process, read by one listener thread started on the first subscription."""

    def __init__(self, url: str, prefix: str = "pasar:live:", *, counts: CountCoalescer | None = None,
                 max_connections: int = 50) -> None:
        import redis

        pool = redis.BlockingConnectionPool.from_url(url, decode_responses=True, max_connections=max_connections,
                                                     timeout=20)
        self.client = redis.Redis(connection_pool=pool)
        self.prefix = prefix
        self.counts = counts or CountCoalescer()
        self._publish = self.client.register_script(_PUBLISH_LUA)
        self._count = self.client.register_script(_COUNT_LUA)
        self._announce = self.client.register_script(_ANNOUNCE_LUA)
        self._hit = self.client.register_script(_HIT_LUA)
        self._lock = threading.Lock()  # the rooms below, and the order of (un)subscribe commands
        self._rooms: dict[str, _Room] = {}  # channel -> room with local viewers
        self._pubsub: Any = None
        self._pid = 0  # the process the pub/sub connection and its listener belong to
        self._closed = False

    def key(self, room: str, part: str) -> str:
        return f"{self.prefix}{room}:{part}"

    def publish(self, room: str, type: str, data: dict[str, Any]) -> RoomEvent:
        payload = json.dumps(data, separators=(",", ":"))
        keys = [self.key(room, "seq"), self.key(room, "channel"), self.key(room, "history"), self.key(room, "evicted")]
        event_id = self._publish(keys=keys, args=[type, payload, ROOM_HISTORY, HISTORY_TTL_SECONDS])
        return RoomEvent(int(event_id), type, data)

    # joining and leaving
    def subscribe(self, room: str, last_event_id: int | None = None) -> _LocalSubscription:
        channel = self.key(room, "channel")
        subscription = _LocalSubscription(self._leave, room)
        with self._lock:
            pubsub = self._listening()
            state = self._rooms.get(channel)
            if state is None:
                state = self._rooms[channel] = _Room(room)
                try:
                    pubsub.subscribe(channel)
                except Exception:
                    del self._rooms[channel]
                    raise
            state.members.add(subscription)
        # Wait for the confirmation: events published after subscribe() returns are ours.
        if not state.confirmed.wait(SUBSCRIBE_TIMEOUT):
            log.warning("Redis did not confirm the subscription to %s within %ss", channel, SUBSCRIBE_TIMEOUT)
        try:
            if last_event_id is not None:
                # Read after subscribing: one published in between is both kept and on the
                # channel, and ``get`` skips its second copy.
                kept, evicted = self.history(room)
                subscription.resume(kept, evicted, last_event_id)
            _, newest = self._count(keys=[self.key(room, "viewers"), self.key(room, "seq")], args=[+1])
            if last_event_id is None:
                # From now on: in a room already subscribed, the listener may still be handing
                # out events published before this join; they are not this viewer's.
                subscription.skip_through(int(newest))
        except Exception:
            self._drop(subscription)
            raise
        self.counts.changed(room, self._announce_count)
        return subscription

    def _leave(self, subscription: _LocalSubscription) -> None:
        if not self._drop(subscription):
            return
        try:
            self._count(keys=[self.key(subscription.room, "viewers"), self.key(subscription.room, "seq")], args=[-1])
        except Exception:  # noqa: BLE001 - a leave must not fail the stream's end
            log.warning("could not count a viewer leaving %s", subscription.room, exc_info=True)
            return
        self.counts.changed(subscription.room, self._announce_count)

    def _drop(self, subscription: _LocalSubscription) -> bool:
        """Forget the viewer's queue (its room's subscription with the last one); False when
        it had left already."""
        channel = self.key(subscription.room, "channel")
        with self._lock:
            if subscription.closed:
                return False
            subscription.closed = True
            state = self._rooms.get(channel)
            if state is None:
                return True
            state.members.discard(subscription)
            if not state.members:
                del self._rooms[channel]
                if self._pubsub is not None and self._pid == os.getpid():
                    try:
                        self._pubsub.unsubscribe(channel)
                    except Exception:  # noqa: BLE001 - the reconnect subscribes only to rooms still here
                        log.warning("could not unsubscribe from %s", channel, exc_info=True)
        return True

    def _announce_count(self, room: str) -> None:
        keys = [self.key(room, "viewers"), self.key(room, "seq"), self.key(room, "channel")]
        self._announce(keys=keys)

    # the listener
    def _listening(self) -> Any:
        """This process's pub/sub connection, with its listener running (under ``_lock``). A
        forked child starts its own: the parent's thread did not come along."""
        if self._closed:
            raise RuntimeError("the broker is closed")
        if self._pubsub is None or self._pid != os.getpid():
            self._pid = os.getpid()
            self._rooms.clear()  # a parent's viewers are not this process's
            self._pubsub = self.client.pubsub()
            listener = threading.Thread(target=self._listen, args=(self._pubsub,), name="pasar-live-pubsub",
                                        daemon=True)
            listener.start()
        return self._pubsub

    def _listen(self, pubsub: Any) -> None:
        """Read the pub/sub connection until the broker closes: confirmations and messages.
        A dropped connection is reconnected by redis-py (which subscribes again); while Redis
        is away, try again with a growing pause."""
        pause = 0.5
        while not self._closed and pubsub is self._pubsub:
            try:
                message = pubsub.get_message(timeout=_LISTEN_POLL)
            except Exception:  # noqa: BLE001 - anything the connection raises: retry
                if self._closed or pubsub is not self._pubsub:
                    return
                log.warning("live events: the Redis pub/sub connection failed; retrying in %.1fs", pause,
                            exc_info=True)
                time.sleep(pause)
                pause = min(pause * 2, 5.0)
                continue
            pause = 0.5
            if message is not None:
                try:
                    self._handle(message)
                except Exception:  # noqa: BLE001 - one bad message must not stop the room
                    log.exception("live events: could not hand out %r", message)

    def _handle(self, message: dict[str, Any]) -> None:
        kind, channel = message.get("type"), message.get("channel")
        if kind == "subscribe":
            self._confirmed(channel)
        elif kind == "message":
            event = RoomEvent.from_json(message["data"])
            with self._lock:
                state = self._rooms.get(channel)
                if state is not None:
                    self._deliver(state, [event])

    @staticmethod
    def _deliver(state: _Room, events: Iterable[RoomEvent]) -> None:
        """Hand events to every local viewer of the room (under ``_lock``), each once: ids
        reach this process in increasing order, so one already handed out is a repeat."""
        for event in events:
            if event.type != RESYNC:
                if event.id <= state.last_id:
                    continue
                state.last_id = event.id
            for member in state.members:
                member.deliver(event)

    def _confirmed(self, channel: str) -> None:
        with self._lock:
            state = self._rooms.get(channel)
            if state is None:
                return
            if not state.confirmed.is_set() or state.last_id == 0:
                state.confirmed.set()
                return
            room, after = state.name, state.last_id
        # Subscribed again after a reconnect: what the room published meanwhile comes from its
        # history; a hole deeper than the history is a resync for its viewers.
        kept, evicted = self.history(room)
        with self._lock:
            state = self._rooms.get(channel)
            if state is not None:
                missing = [event for event in kept if event.id > after]
                self._deliver(state, ([_RESYNC_EVENT] if evicted > after else []) + missing)

    # reading
    def history(self, room: str) -> tuple[list[RoomEvent], int]:
        """The room's kept events, oldest first, and the id of the newest one no longer kept
        (0: none was pushed out) — read together."""
        with self.client.pipeline(transaction=True) as pipe:
            pipe.lrange(self.key(room, "history"), 0, -1)
            pipe.get(self.key(room, "evicted"))
            kept, evicted = pipe.execute()
        return [RoomEvent.from_json(raw) for raw in kept], int(evicted or 0)

    def viewers(self, room: str) -> int:
        return int(self.client.get(self.key(room, "viewers")) or 0)

    def subscribers(self, room: str) -> int:
        with self._lock:
            state = self._rooms.get(self.key(room, "channel"))
            return len(state.members) if state is not None else 0

    def hit(self, key: str, limit: int, window_seconds: int) -> int:
        wait = self._hit(keys=[f"{self.prefix}rate:{key}"],
                         args=[time.time(), window_seconds, limit, uuid.uuid4().hex])
        return int(wait)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pubsub, self._pubsub = self._pubsub, None
            self._rooms.clear()
        if pubsub is not None:
            pubsub.close()
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
