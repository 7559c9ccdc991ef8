"""Content endpoints: videos (post, read, moderate, interact) and live shopping rooms
(schedule, go live, showcase and pin, comments and answers, the event stream).

Videos need the tenant's ``short_video`` feature and live rooms its ``live_shopping`` feature:
where they are off the routes answer 404 naming the feature. An author reaches only its own
videos and rooms for writing; another host's room is a 404 like an unknown id.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from pasar.accounts.auth import current_principal, require_auth
from pasar.accounts.service import Principal
from pasar.api import problem
from pasar.clock import now
from pasar.content import live as lives
from pasar.content import service
from pasar.content.channel import stream
from pasar.content.errors import ContentNotFound, InvalidContent, WrongState
from pasar.content.models import LiveSession, Video
from pasar.content.pubsub import Broker, broker_of
from pasar.content.rules import Author
from pasar.content.schemas import (
    AnswerInSchema,
    CommentInSchema,
    EndLiveSchema,
    HostLiveQuerySchema,
    InteractionInSchema,
    InteractionSchema,
    LiveInSchema,
    LiveInteractionInSchema,
    LiveQuerySchema,
    LikeSchema,
    LiveSchema,
    ModerationSchema,
    OperatorVideoQuerySchema,
    PinSchema,
    RoomEventSchema,
    ShowcaseInSchema,
    StreamQuerySchema,
    VideoInSchema,
    VideoQuerySchema,
    VideoSchema,
)
from pasar.tenancy.service import TenantContext
from pasar.web import close_session, current_tenant, db_session, require_feature, write_session

blp = Blueprint("content", __name__, url_prefix="/api/v1", description="Short videos and live shopping")

#: Comments one buyer may post in one room per window; more answer 429 with Retry-After.
COMMENT_LIMIT = 5
COMMENT_WINDOW_SECONDS = 10
VIDEOS, LIVE = "short_video", "live_shopping"


# --- helpers ------------------------------------------------------------------------------------
@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the content domain's refusals into problems naming the field at fault."""
    try:
        yield
    except ContentNotFound as exc:
        abort(404, message=exc.message)
    except InvalidContent as exc:
        abort(422, message=exc.message, errors=exc.errors)
    except WrongState as exc:
        abort(409, message=exc.message, errors=exc.errors)


def principal() -> Principal:
    """The caller; ``require_auth`` above the view guarantees there is one."""
    found = current_principal()
    assert found is not None, "views using principal() are decorated with require_auth"
    return found


def author_of(caller: Principal, wanted: str | None, field: str) -> Author:
    """The caller as an author: its shop, or its creator profile (``wanted`` picks when it has
    both; by default the shop). Asking for a capacity the caller lacks is a 422 on ``field``."""
    as_seller = caller.has("seller") and caller.seller_id is not None
    as_creator = caller.has("creator") and caller.creator_id is not None
    kind = wanted or ("seller" if as_seller else "creator" if as_creator else None)
    if kind is None:
        abort(403, message="you have neither a shop nor a creator profile")
    if (kind == "seller" and not as_seller) or (kind == "creator" and not as_creator):
        abort(422, message=f"you cannot act as a {kind}", errors={field: [f"you have no {kind} profile"]})
    return Author(kind=kind, user_id=caller.id, seller_id=caller.seller_id, creator_id=caller.creator_id)


def viewer_authors() -> list[Author]:
    """The signed-in caller's author capacities (its shop, its creator profile), so it sees its
    own pending videos; none for anyone else."""
    caller = current_principal()
    if caller is None or caller.kind != "user":
        return []
    held = (("seller", caller.seller_id), ("creator", caller.creator_id))
    return [Author(kind=kind, user_id=caller.id, seller_id=caller.seller_id, creator_id=caller.creator_id)
            for kind, profile in held if profile is not None]


def video_json(video: Video, counts: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "id": video.id, "author_kind": video.author_kind, "seller_id": video.seller_id,
        "creator_id": video.creator_id, "media_url": video.media_url, "cover_url": video.cover_url,
        "caption": video.caption, "language": video.language, "moderation": video.moderation,
        "moderation_reason": video.moderation_reason, "created_at": video.created_at,
        "anchors": [{"product_id": a.product_id, "position": a.position} for a in video.anchors],
        **({"counts": counts} if counts is not None else {}),
    }


def last_event_id(query: dict[str, Any]) -> int | None:
    """The id a reconnecting client saw last: the ``Last-Event-ID`` header, else the query's
    ``last_event_id``; a header that is not a whole number is a 422 naming it."""
    raw = request.headers.get("Last-Event-ID")
    if raw is None or not raw.strip():
        return query.get("last_event_id")
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0:
        abort(422, message="not an event id of this stream", errors={"Last-Event-ID": ["a whole number, the id of an event"]})
    return value


def broker() -> Broker:
    return broker_of(current_app)


def live_json(tenant: TenantContext, live: LiveSession) -> dict[str, Any]:
    return {
        "id": live.id, "host_kind": live.host_kind, "seller_id": live.seller_id, "creator_id": live.creator_id,
        "title": live.title, "status": live.status, "scheduled_at": live.scheduled_at,
        "started_at": live.started_at, "ended_at": live.ended_at, "replay_url": live.replay_url,
        "pinned_product_id": live.pinned_product_id,
        "showcase": [{"product_id": i.product_id, "position": i.position} for i in live.showcase],
        "viewers": broker().viewers(lives.room_name(tenant, live.id)),
    }


def announce(tenant: TenantContext, live_id: int, type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Publish to the room — called after the change committed — and answer the event."""
    event = broker().publish(lives.room_name(tenant, live_id), type, data)
    return {"id": event.id, "type": event.type, "data": event.data}


# --- videos -------------------------------------------------------------------------------------
@blp.route("/videos")
class VideosView(MethodView):
    @require_feature(VIDEOS)
    @blp.arguments(VideoQuerySchema, location="query")
    @blp.response(200, VideoSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Approved videos, newest first; ``before_id`` pages on."""
        found = service.list_videos(db_session(), current_tenant(), **query)
        return [video_json(video) for video in found]

    @require_feature(VIDEOS)
    @require_auth("seller", "creator")
    @blp.arguments(VideoInSchema)
    @blp.response(201, VideoSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Post a video with up to six product anchors; it is shown once an operator approves it."""
        author = author_of(principal(), body.pop("author"), "author")
        tenant, session = current_tenant(), db_session()
        with domain_errors():
            video = service.post_video(session, tenant, author, at=now(), **body)
        session.commit()
        return video_json(video)


@blp.route("/videos/<int:video_id>")
class VideoView(MethodView):
    @require_feature(VIDEOS)
    @blp.response(200, VideoSchema)
    def get(self, video_id: int) -> dict[str, Any]:
        """One video with its anchors and interaction counts (pending ones only for their author)."""
        tenant, session = current_tenant(), db_session()
        caller = current_principal()
        operator = caller is not None and caller.kind == "operator"
        with domain_errors():
            video = service.visible_video(session, tenant, video_id, authors=viewer_authors(), operator=operator)
        return video_json(video, service.counts(session, tenant, video.id))


@blp.route("/videos/<int:video_id>/interactions")
class InteractionsView(MethodView):
    @require_feature(VIDEOS)
    @require_auth("buyer")
    @blp.arguments(InteractionInSchema)
    @blp.response(201, InteractionSchema)
    def post(self, body: dict[str, Any], video_id: int) -> Any:
        """Record a view (seconds watched), like, share, comment or product click. A like is
        kept once per buyer: liking again answers the like already stored (see ``.../like``)."""
        tenant, session = current_tenant(), db_session()
        with domain_errors():
            made = service.record_interaction(session, tenant, principal().id, video_id, body.pop("kind"),
                                              at=now(), **body)
        session.commit()
        return made


def like_json(session: Any, tenant: TenantContext, buyer_id: int, video_id: int) -> dict[str, Any]:
    return {"video_id": video_id, "liked": service.liked(session, tenant, buyer_id, video_id),
            "likes": service.counts(session, tenant, video_id)["like"]}


@blp.route("/videos/<int:video_id>/like")
class LikeView(MethodView):
    @require_feature(VIDEOS)
    @require_auth("buyer")
    @blp.response(200, LikeSchema)
    def put(self, video_id: int) -> dict[str, Any]:
        """Like a video. A buyer likes a video once: liking it again changes nothing and
        answers the same state."""
        tenant, session, buyer_id = current_tenant(), write_session(), principal().id
        with domain_errors():
            service.like_video(session, tenant, buyer_id, video_id, at=now())
        session.commit()
        return like_json(session, tenant, buyer_id, video_id)

    @require_feature(VIDEOS)
    @require_auth("buyer")
    @blp.response(200, LikeSchema)
    def delete(self, video_id: int) -> dict[str, Any]:
        """Take your like back (unliking a video you do not like changes nothing)."""
        tenant, session, buyer_id = current_tenant(), write_session(), principal().id
        with domain_errors():
            service.unlike_video(session, tenant, buyer_id, video_id)
        session.commit()
        return like_json(session, tenant, buyer_id, video_id)


@blp.route("/operator/videos")
class ModerationQueueView(MethodView):
    @require_auth("operator")
    @blp.arguments(OperatorVideoQuerySchema, location="query")
    @blp.response(200, VideoSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Videos in one moderation state (pending by default), newest first."""
        found = service.list_videos(db_session(), current_tenant(), **query)
        return [video_json(video) for video in found]


@blp.route("/operator/videos/<int:video_id>/moderation")
class ModerateView(MethodView):
    @require_auth("operator")
    @blp.arguments(ModerationSchema)
    @blp.response(200, VideoSchema)
    def post(self, body: dict[str, Any], video_id: int) -> dict[str, Any]:
        """Approve a video (buyers see it) or reject it with a reason (it is taken down)."""
        tenant, session = current_tenant(), db_session()
        with domain_errors():
            video = service.moderate_video(session, tenant, video_id, operator_id=principal().id, at=now(), **body)
        session.commit()
        return video_json(video)


# --- live sessions ------------------------------------------------------------------------------
@blp.route("/live")
class LivesView(MethodView):
    @require_feature(LIVE)
    @blp.arguments(LiveQuerySchema, location="query")
    @blp.response(200, LiveSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Live sessions by status: live now (default), scheduled, or ended (with replays)."""
        tenant = current_tenant()
        return [live_json(tenant, live) for live in lives.list_lives(db_session(), tenant, query["status"])]

    @require_feature(LIVE)
    @require_auth("seller", "creator")
    @blp.arguments(LiveInSchema)
    @blp.response(201, LiveSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Schedule a live session with its showcase of products."""
        author = author_of(principal(), body.pop("host"), "host")
        tenant, session = current_tenant(), db_session()
        with domain_errors():
            live = lives.create_live(session, tenant, author, at=now(), **body)
        session.commit()
        return live_json(tenant, live)


def _host_sessions(query: dict[str, Any], *, seller_id: int | None = None,
                   creator_id: int | None = None) -> list[dict[str, Any]]:
    tenant = current_tenant()
    with domain_errors():
        found = lives.list_host_sessions(db_session(), tenant, seller_id=seller_id, creator_id=creator_id, **query)
    return [live_json(tenant, live) for live in found]


@blp.route("/seller/live-sessions")
class SellerLivesView(MethodView):
    @require_feature(LIVE)
    @require_auth("seller")
    @blp.arguments(HostLiveQuerySchema, location="query")
    @blp.response(200, LiveSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Your shop's live sessions (every status unless one is asked for), latest schedule first."""
        caller = principal()
        if caller.seller_id is None:
            abort(404, message="you have no shop")
        return _host_sessions(query, seller_id=caller.seller_id)


@blp.route("/creator/live-sessions")
class CreatorLivesView(MethodView):
    @require_feature(LIVE)
    @require_auth("creator")
    @blp.arguments(HostLiveQuerySchema, location="query")
    @blp.response(200, LiveSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The live sessions you host as a creator (every status unless one is asked for),
        latest schedule first."""
        caller = principal()
        if caller.creator_id is None:
            abort(404, message="you have no creator profile")
        return _host_sessions(query, creator_id=caller.creator_id)


def _hosted(act: Any, live_id: int, *args: Any) -> LiveSession:
    """Run ``act`` as whichever of the caller's capacities hosts the session. A caller who is
    not its host — a buyer included — finds no such session (404, never 403)."""
    tenant, session = current_tenant(), db_session()
    caller = principal()
    capacities = [kind for kind, held in (("seller", caller.seller_id), ("creator", caller.creator_id)) if held]
    for kind in capacities:
        author = Author(kind=kind, user_id=caller.id, seller_id=caller.seller_id, creator_id=caller.creator_id)
        with domain_errors():
            try:
                live = act(session, tenant, author, live_id, *args)
            except ContentNotFound:
                continue
        session.commit()
        return live
    abort(404, message="no such live session")


@blp.route("/live/<int:live_id>")
class LiveView(MethodView):
    @require_feature(LIVE)
    @blp.response(200, LiveSchema)
    def get(self, live_id: int) -> dict[str, Any]:
        """A live session: status, showcase, pinned product, viewers now, replay when ended."""
        tenant = current_tenant()
        with domain_errors():
            live = lives.get_live(db_session(), tenant, live_id)
        return live_json(tenant, live)


@blp.route("/live/<int:live_id>/start")
class StartView(MethodView):
    @require_feature(LIVE)
    @require_auth()
    @blp.response(200, LiveSchema)
    def post(self, live_id: int) -> dict[str, Any]:
        """Go live: comments and purchases open."""
        tenant = current_tenant()
        live = _hosted(lambda s, t, a, i: lives.start_live(s, t, a, i, now()), live_id)
        announce(tenant, live.id, "status", {"status": live.status})
        return live_json(tenant, live)


@blp.route("/live/<int:live_id>/end")
class EndView(MethodView):
    @require_feature(LIVE)
    @require_auth()
    @blp.arguments(EndLiveSchema)
    @blp.response(200, LiveSchema)
    def post(self, body: dict[str, Any], live_id: int) -> dict[str, Any]:
        """End the stream, with the replay URL buyers watch afterwards."""
        tenant = current_tenant()
        live = _hosted(lambda s, t, a, i: lives.end_live(s, t, a, i, now(), body["replay_url"]), live_id)
        announce(tenant, live.id, "status", {"status": live.status, "replay_url": live.replay_url})
        return live_json(tenant, live)


@blp.route("/live/<int:live_id>/showcase")
class ShowcaseView(MethodView):
    @require_feature(LIVE)
    @require_auth()
    @blp.arguments(ShowcaseInSchema)
    @blp.response(200, LiveSchema)
    def put(self, body: dict[str, Any], live_id: int) -> dict[str, Any]:
        """Replace the showcase; a pinned product left out is unpinned."""
        tenant = current_tenant()
        live = _hosted(lambda s, t, a, i: lives.set_showcase(s, t, a, i, body["product_ids"], now()), live_id)
        announce(tenant, live.id, "showcase", {"product_ids": [item.product_id for item in live.showcase],
                                               "pinned_product_id": live.pinned_product_id})
        return live_json(tenant, live)


@blp.route("/live/<int:live_id>/pin")
class PinView(MethodView):
    @require_feature(LIVE)
    @require_auth()
    @blp.arguments(PinSchema)
    @blp.response(200, LiveSchema)
    def post(self, body: dict[str, Any], live_id: int) -> dict[str, Any]:
        """Pin one showcase product over the stream (``null`` unpins)."""
        tenant = current_tenant()
        live = _hosted(lambda s, t, a, i: lives.pin(s, t, a, i, body["product_id"]), live_id)
        announce(tenant, live.id, "pin", {"product_id": live.pinned_product_id})
        return live_json(tenant, live)


@blp.route("/live/<int:live_id>/comments")
class CommentsView(MethodView):
    @require_feature(LIVE)
    @require_auth("buyer")
    @blp.arguments(CommentInSchema)
    @blp.response(201, RoomEventSchema)
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, body: dict[str, Any], live_id: int) -> Any:
        """Comment or ask a question in a running live; a few per buyer every ten seconds."""
        tenant, session, caller = current_tenant(), db_session(), principal()
        wait = broker().hit(f"{tenant.code}:live:{live_id}:comments:{caller.id}", COMMENT_LIMIT, COMMENT_WINDOW_SECONDS)
        if wait:
            response = problem(429, "Too Many Requests", f"too many comments: wait {wait} s", retry_after=wait)
            response.headers["Retry-After"] = str(wait)
            return response
        with domain_errors():
            made = lives.comment(session, tenant, caller.id, live_id, body["text"], now())
        session.commit()
        return announce(tenant, live_id, body["kind"], {
            "text": made.text, "author": (caller.name or "buyer").split()[0], "interaction_id": made.id,
        })


@blp.route("/live/<int:live_id>/interactions")
class LiveInteractionsView(MethodView):
    @require_feature(LIVE)
    @require_auth("buyer")
    @blp.arguments(LiveInteractionInSchema)
    @blp.response(201, InteractionSchema)
    def post(self, body: dict[str, Any], live_id: int) -> Any:
        """Record a view (seconds watched), like, share or showcase product click in a live."""
        tenant, session = current_tenant(), db_session()
        with domain_errors():
            made = lives.record_interaction(session, tenant, principal().id, live_id, body.pop("kind"),
                                            at=now(), **body)
        session.commit()
        return made


@blp.route("/live/<int:live_id>/answers")
class AnswersView(MethodView):
    @require_feature(LIVE)
    @require_auth()
    @blp.arguments(AnswerInSchema)
    @blp.response(201, RoomEventSchema)
    def post(self, body: dict[str, Any], live_id: int) -> Any:
        """The host answers a question (named by its event id) for the whole room."""
        tenant = current_tenant()
        live = _hosted(lives.answerable, live_id)
        return announce(tenant, live.id, "answer", {"question_id": body["question_id"], "text": body["text"],
                                                    "host_kind": live.host_kind})


@blp.route("/live/<int:live_id>/events")
class EventsView(MethodView):
    @require_feature(LIVE)
    @blp.arguments(StreamQuerySchema, location="query")
    @blp.response(200, content_type="text/event-stream",
                  description="SSE frames: comment, question, answer, pin, showcase, purchase, viewers, status (and resync first when a reconnect missed events no longer kept)")
    def get(self, query: dict[str, Any], live_id: int) -> Response:
        """The room's events as Server-Sent Events, from the moment of connecting — or, with a
        ``Last-Event-ID`` header (what a browser's EventSource sends when it reconnects) or
        ``last_event_id`` query argument, from the event after that one, as far back as the room
        keeps them (a ``resync`` frame first says when it no longer does)."""
        tenant = current_tenant()
        after = last_event_id(query)
        with domain_errors():
            room = lives.room_name(tenant, lives.get_live(db_session(), tenant, live_id).id)
        # Every read is done: the database connection goes back to the pool before subscribing,
        # which may wait on Redis. Joins holding one while they waited exhausted the pool
        # (5 + 10) in a burst, and the next requests timed out.
        close_session(None)
        # Subscribe before answering: every event published after this request was accepted
        # reaches the client, even before it reads the first byte.
        subscription = broker().subscribe(room, last_event_id=after)
        frames = stream(subscription, max_events=query.get("max_events"), timeout=query.get("timeout"))
        response = Response(frames, mimetype="text/event-stream")
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Accel-Buffering"] = "no"  # nginx: pass frames on as they come
        return response
