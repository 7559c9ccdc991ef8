"""Serving the live rooms' event streams: gunicorn with gevent workers (``pasar serve-events``).

A viewer of a live room (``GET /api/v1/live/<id>/events``, Server-Sent Events) holds its request
for as long as it watches, so the worker model decides how many viewers a machine holds:

- gunicorn ``sync`` workers: one viewer per worker process — unusable for the streams;
- ``gthread``: one OS thread per viewer (about half a MiB each, a thread pool to size);
- ``gevent``: one greenlet per viewer (tens of KiB each) — the model for the streams.

So run the streams under gunicorn with gevent workers and route ``/api/v1/live/*/events`` to
them; every other path may stay on sync or gthread workers::

    PASAR_PUBSUB_URL=redis://127.0.0.1:6379/0 pasar serve-events --bind 0.0.0.0:8001

which is ``gunicorn -k gevent --worker-connections 2000 --keep-alive 75
'pasar.app:create_app()'`` with the open-file limit raised to fit (a viewer is a socket; the
longer keep-alive lets a burst of joining viewers wait for the CPU, see ``KEEP_ALIVE_SECONDS``). ``PASAR_PUBSUB_URL`` must name Redis as
soon as more than one process serves or publishes (several workers, the Celery worker): each
worker process then holds ONE Redis pub/sub connection, whatever its number of viewers, and
fans the events out to its viewers' queues (``pasar.content.pubsub``). A stream gives its
database connection back before it starts, so the database pool does not limit the viewers
either. Behind a proxy, turn its buffering off for the stream (nginx honours the
``X-Accel-Buffering: no`` the stream sends) and let idle connections live longer than the
stream's 15-second heartbeat.

Measured on a shared 2-CPU machine (``bench/live_fanout.py``): one gevent worker holds 1,000
viewers of one room (all in within 8 s), delivers every event to each with a median of about
80 ms from publication to the viewer (p99 about 0.3 s) and grows by about 50 KiB per viewer. It
spends about 50 µs of CPU per viewer per event: 1,000 viewers of a room with 4 events a second
keep a fifth of a CPU busy; beyond one CPU's worth, run one worker per CPU (each holds its own
Redis subscription and its share of the viewers). ``pasar run`` (Flask's threaded server,
in-process broker) is for development.
"""
from __future__ import annotations

import resource
import sys

#: Sockets and files a worker needs besides its viewers (database, Redis, logs, imports).
SPARE_FILES = 256
#: Seconds a gevent worker gives a connection to send its request (and an idle keep-alive
#: connection to send the next). gunicorn's default, 2 s, is too short for a burst of joins: a
#: connection whose greenlet waits for the CPU longer than that is closed unread, and the viewer
#: gets a reset (466–724 of 1,000 joining viewers in the measurements). 75 s outlasts the idle
#: timeout of the usual proxies.
KEEP_ALIVE_SECONDS = 75


def gevent_options(connections: int) -> list[str]:
    """gunicorn's options for event-stream workers of at most ``connections`` viewers each."""
    return ["--worker-class", "gevent", "--worker-connections", str(connections),
            "--keep-alive", str(KEEP_ALIVE_SECONDS)]


def gunicorn_command(bind: str, workers: int, connections: int, app: str = "pasar.app:create_app()") -> list[str]:
    """The gunicorn command line serving ``app`` with ``workers`` gevent workers of at most
    ``connections`` viewers each."""
    return [sys.executable, "-m", "gunicorn", "--workers", str(workers), *gevent_options(connections),
            "--bind", bind, app]


def raise_open_files(wanted: int) -> int:
    """Raise this process's soft limit of open files towards ``wanted`` (as far as the hard
    limit allows; children such as gunicorn's workers inherit it). Answers the limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft
