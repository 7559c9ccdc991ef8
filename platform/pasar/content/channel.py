"""A live room as a Server-Sent Events stream: ``id``/``event``/``data`` frames in room order.

The stream ends after ``max_events`` events or ``timeout`` seconds when the client asks for a
bounded one; otherwise it lasts until the client leaves, with a comment line every
``HEARTBEAT`` seconds so proxies keep the connection open and a gone client is noticed.

A client that reconnects with ``Last-Event-ID`` gets the room's kept events after that id first
(see ``pasar.content.pubsub``). If some of them are no longer kept, the stream opens with a
``resync`` frame (no id, so the client's last id stays put): reload the room's state
(``GET /api/v1/live/<id>``) rather than trust a stream with a hole in it. The same frame comes
mid-stream when the web process lost its Redis connection for longer than the history reaches.

How to serve the streams (gunicorn with gevent workers, ``pasar serve-events``): see
``pasar.content.serving``.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator

from pasar.content.pubsub import RESYNC, RoomEvent, Subscription

HEARTBEAT = 15.0
RETRY_MS = 3000  # how long a browser's EventSource waits before reconnecting


def frame(event: RoomEvent) -> str:
    """One SSE frame; ``data`` is the event's JSON on a single line."""
    data = json.dumps(event.data, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {event.type}\ndata: {data}\n\n"


def stream(subscription: Subscription, *, max_events: int | None = None, timeout: float | None = None,
           heartbeat: float = HEARTBEAT) -> Iterator[str]:
    """Frames from ``subscription`` until a bound is reached; the room is always left at the end
    (also when the client disconnects and the server closes the generator)."""
    deadline = time.monotonic() + timeout if timeout is not None else None
    sent = 0
    try:
        yield f"retry: {RETRY_MS}\n\n"
        if getattr(subscription, "missed", False):
            yield f"event: {RESYNC}\ndata: {{}}\n\n"
        while max_events is None or sent < max_events:
            wait = heartbeat if deadline is None else min(heartbeat, deadline - time.monotonic())
            if wait <= 0:
                return
            event = subscription.get(wait)
            if event is None:
                yield ": keep-alive\n\n"
                continue
            if event.type == RESYNC:  # events were lost on the way: no id, not counted
                yield f"event: {RESYNC}\ndata: {{}}\n\n"
                continue
            yield frame(event)
            sent += 1
    finally:
        subscription.close()
