"""Request and response shapes of the content API. Requests accept only what the caller may set
(unknown fields are a 422), so an author cannot approve its own video or pick its shop."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from pasar.content.live import COMMENT_KINDS, LIVE_INTERACTIONS, MAX_SHOWCASE
from pasar.content.models import AUTHOR_KINDS, INTERACTION_KINDS, LIVE_STATUSES, MAX_ANCHORS, MODERATION_STATES

_URL = fields.Url(required=True, schemes={"https", "http"}, validate=validate.Length(max=500))
_ID = fields.Integer(strict=True, validate=validate.Range(min=1))


class VideoInSchema(Schema):
    media_url = _URL
    cover_url = fields.Url(schemes={"https", "http"}, validate=validate.Length(max=500), load_default=None)
    caption = fields.String(load_default="", validate=validate.Length(max=2200))
    language = fields.String(required=True, metadata={"description": "one of the tenant's locales"})
    product_ids = fields.List(_ID, load_default=list, validate=validate.Length(max=MAX_ANCHORS))
    author = fields.String(
        load_default=None, validate=validate.OneOf(AUTHOR_KINDS),
        metadata={"description": "post as your shop or as a creator; default: your shop if you have one"},
    )


class AnchorSchema(Schema):
    product_id = fields.Integer()
    position = fields.Integer()


class VideoSchema(Schema):
    id = fields.Integer()
    author_kind = fields.String()
    seller_id = fields.Integer(allow_none=True)
    creator_id = fields.Integer(allow_none=True)
    media_url = fields.String()
    cover_url = fields.String(allow_none=True)
    caption = fields.String()
    language = fields.String()
    moderation = fields.String()
    moderation_reason = fields.String(allow_none=True)
    anchors = fields.List(fields.Nested(AnchorSchema))
    created_at = fields.DateTime()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class VideoQuerySchema(Schema):
    seller_id = fields.Integer(validate=validate.Range(min=1))
    creator_id = fields.Integer(validate=validate.Range(min=1))
    before_id = fields.Integer(strict=False, validate=validate.Range(min=1))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class OperatorVideoQuerySchema(VideoQuerySchema):
    moderation = fields.String(load_default="pending", validate=validate.OneOf(MODERATION_STATES))


class ModerationSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(("approve", "reject")))
    reason = fields.String(load_default=None, validate=validate.Length(max=500))


class InteractionInSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(INTERACTION_KINDS))
    watch_seconds = fields.Integer(strict=True, validate=validate.Range(min=0, max=24 * 3600))
    text = fields.String(validate=validate.Length(min=1, max=500))
    product_id = _ID


class LiveInteractionInSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(LIVE_INTERACTIONS))
    watch_seconds = fields.Integer(strict=True, validate=validate.Range(min=0, max=24 * 3600))
    product_id = _ID


class InteractionSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    video_id = fields.Integer(allow_none=True)
    live_session_id = fields.Integer(allow_none=True)
    product_id = fields.Integer(allow_none=True)
    watch_seconds = fields.Integer()
    text = fields.String(allow_none=True)
    at = fields.DateTime()


class LikeSchema(Schema):
    video_id = fields.Integer()
    liked = fields.Boolean(metadata={"description": "whether you like the video now"})
    likes = fields.Integer(metadata={"description": "how many buyers like it"})


class LiveInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    scheduled_at = fields.AwareDateTime(required=True)
    product_ids = fields.List(_ID, load_default=list, validate=validate.Length(max=MAX_SHOWCASE))
    host = fields.String(load_default=None, validate=validate.OneOf(AUTHOR_KINDS))


class ShowcaseItemSchema(Schema):
    product_id = fields.Integer()
    position = fields.Integer()


class LiveSchema(Schema):
    id = fields.Integer()
    host_kind = fields.String()
    seller_id = fields.Integer(allow_none=True)
    creator_id = fields.Integer(allow_none=True)
    title = fields.String()
    status = fields.String()
    scheduled_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
    replay_url = fields.String(allow_none=True)
    pinned_product_id = fields.Integer(allow_none=True)
    showcase = fields.List(fields.Nested(ShowcaseItemSchema))
    viewers = fields.Integer()


class LiveQuerySchema(Schema):
    status = fields.String(load_default="live", validate=validate.OneOf(("scheduled", "live", "ended")))


class HostLiveQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(LIVE_STATUSES),
                           metadata={"description": "only sessions in this status; default: all"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class EndLiveSchema(Schema):
    replay_url = fields.Url(schemes={"https", "http"}, validate=validate.Length(max=500), load_default=None)


class ShowcaseInSchema(Schema):
    product_ids = fields.List(_ID, required=True, validate=validate.Length(max=MAX_SHOWCASE))


class PinSchema(Schema):
    product_id = fields.Integer(strict=True, required=True, allow_none=True, validate=validate.Range(min=1))


class CommentInSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=300))
    kind = fields.String(load_default="comment", validate=validate.OneOf(COMMENT_KINDS))


class AnswerInSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=500))
    question_id = fields.Integer(strict=True, required=True, validate=validate.Range(min=1),
                                 metadata={"description": "the event id of the question answered"})


class RoomEventSchema(Schema):
    id = fields.Integer()
    type = fields.String()
    data = fields.Dict()


class StreamQuerySchema(Schema):
    max_events = fields.Integer(validate=validate.Range(min=1, max=10_000),
                                metadata={"description": "end the stream after this many events"})
    timeout = fields.Float(validate=validate.Range(min=0.1, max=3600),
                           metadata={"description": "end the stream after this many seconds"})
    last_event_id = fields.Integer(validate=validate.Range(min=0), metadata={
        "description": "resume after this event (the Last-Event-ID header, for clients that cannot set it)"})
