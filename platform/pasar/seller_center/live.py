"""Live selling: schedule a session with its showcase, go live, pin a product over the stream,
answer viewers' questions, end with a replay.

Every change is committed first and then announced to the room (``pasar.content.api.announce``,
the very function the REST API uses), so viewers' event stream never shows a pin that was
refused. Questions reach the page through the same public event stream buyers read
(``/api/v1/live/<id>/events``); the small script on the page shows them with an answer form,
and the form also works without the script (answer by the question's number).
Live pages exist only where the marketplace has the ``live_shopping`` feature.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from pasar.catalog import service as catalog
from pasar.catalog.models import Product
from pasar.clock import now
from pasar.content import live as lives
from pasar.content.api import announce
from pasar.content.errors import ContentNotFound, InvalidContent
from pasar.content.models import LiveSession
from pasar.seller_center.blueprint import (
    LIVE_FEATURE, Form, author, blp, commit_or_refuse, page, seller_page, shop_id, writer,
)
from pasar.seller_center.products import title_of
from pasar.web import current_tenant, db_session, require_feature

live_feature = require_feature(LIVE_FEATURE)
MAX_ANSWER = 500


def own_live(live_id: int) -> LiveSession:
    """A session the signed-in shop hosts; another host's is a 404 like an unknown id."""
    try:
        return lives.hosted_live(db_session(), current_tenant(), author(), live_id)
    except ContentNotFound:
        abort(404)


def showable_products() -> list[tuple[int, str]]:
    """(id, title) of the shop's products that may be shown in a live: on sale and not blocked."""
    found = catalog.seller_products(db_session(), current_tenant(), shop_id())
    return [(p.id, title_of(p)) for p in found if p.status == "active" and p.moderation == "approved"]


def product_ids(form: Form, field: str = "product_ids") -> list[int]:
    values = form.values.getlist(field) if hasattr(form.values, "getlist") else []
    try:
        return [int(value) for value in values]
    except ValueError:
        raise InvalidContent(_("Choose products from the list."), field) from None


def local_datetime(text: str, field: str) -> datetime:
    """A ``datetime-local`` input read in the marketplace's time zone, as aware UTC."""
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidContent(_("Enter a date and time."), field) from None
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=ZoneInfo(current_tenant().config.timezone))


# --- sessions -----------------------------------------------------------------------------------
@blp.route("/live", methods=["GET", "POST"], endpoint="lives")
@live_feature
@seller_page
def lives_page() -> Any:
    """The shop's sessions and the form to schedule one."""
    form = Form.posted() if request.method == "POST" else Form()
    if request.method == "POST":
        session = writer()
        made = None
        with commit_or_refuse(session, form) as done:
            title = form.get("title").strip()
            if not title:
                raise InvalidContent(_("Give the session a title."), "title")
            made = lives.create_live(session, current_tenant(), author(), title=title[:200],
                                     scheduled_at=local_datetime(form.get("scheduled_at"), "scheduled_at"),
                                     product_ids=product_ids(form), at=now())
        if done.ok and made is not None:
            flash(_("Live session scheduled."), "success")
            return redirect(url_for("seller_center.live_control", live_id=made.id))
        form.errors = {("product_ids" if k.startswith("product_ids.") else k): v for k, v in form.errors.items()}
    found = lives.list_host_sessions(db_session(), current_tenant(), seller_id=shop_id())
    return page("seller_center/lives.html", 422 if form.errors else 200, area="live", lives=found, form=form,
                products=showable_products())


@blp.get("/live/<int:live_id>")
@live_feature
@seller_page
def live_control(live_id: int) -> Any:
    live = own_live(live_id)
    return _control_page(live, Form())


def _control_page(live: LiveSession, form: Form, status: int = 200) -> Any:
    products = dict(showable_products())
    showcase = [(item.product_id, products.get(item.product_id) or _title(item.product_id))
                for item in sorted(live.showcase, key=lambda i: i.position)]
    tenant = current_tenant()
    return page("seller_center/live.html", 422 if form.errors else status, area="live", live=live,
                showcase=showcase, products=list(products.items()), form=form,
                events_url=url_for("content.EventsView", live_id=live.id, last_event_id=0),
                room=lives.room_name(tenant, live.id))


def _title(product_id: int) -> str:
    try:
        product: Product = catalog.get_product(db_session(), current_tenant(), product_id)
    except catalog.CatalogNotFound:
        return _("Product #%(id)d", id=product_id)
    return title_of(product)


def _act(live_id: int, act: Any, event: str, data: Any, done_message: str) -> Any:
    """Run one host action, commit, then tell the room (only what was stored is announced)."""
    own_live(live_id)
    form = Form.posted()
    session = writer()
    with commit_or_refuse(session, form) as done:
        live = act(session)
    if not done.ok:
        return _control_page(own_live(live_id), form)
    announce(current_tenant(), live.id, event, data(live))
    flash(done_message, "success")
    return redirect(url_for("seller_center.live_control", live_id=live_id))


@blp.post("/live/<int:live_id>/start")
@live_feature
@seller_page
def start_live(live_id: int) -> Any:
    """Go live: the room opens to comments and purchases."""
    return _act(live_id, lambda s: lives.start_live(s, current_tenant(), author(), live_id, now()),
                "status", lambda live: {"status": live.status}, _("You are live."))


@blp.post("/live/<int:live_id>/end")
@live_feature
@seller_page
def end_live(live_id: int) -> Any:
    """End the stream; the replay address (if any) is what buyers watch afterwards."""
    replay = request.form.get("replay_url", "").strip() or None
    return _act(live_id, lambda s: lives.end_live(s, current_tenant(), author(), live_id, now(), replay),
                "status", lambda live: {"status": live.status, "replay_url": live.replay_url},
                _("The live session has ended."))


@blp.post("/live/<int:live_id>/showcase")
@live_feature
@seller_page
def set_showcase(live_id: int) -> Any:
    """Replace the products shown in the live (a pinned product left out is unpinned)."""
    form = Form.posted()
    return _act(live_id, lambda s: lives.set_showcase(s, current_tenant(), author(), live_id, product_ids(form), now()),
                "showcase", lambda live: {"product_ids": [i.product_id for i in live.showcase],
                                          "pinned_product_id": live.pinned_product_id},
                _("Showcase saved."))


@blp.post("/live/<int:live_id>/pin")
@live_feature
@seller_page
def pin_product(live_id: int) -> Any:
    """Pin one showcase product over the stream; an empty choice unpins."""
    raw = request.form.get("product_id", "").strip()
    product_id = int(raw) if raw.isdigit() else None
    message = _("Product pinned.") if product_id is not None else _("Product unpinned.")
    return _act(live_id, lambda s: lives.pin(s, current_tenant(), author(), live_id, product_id),
                "pin", lambda live: {"product_id": live.pinned_product_id}, message)


@blp.post("/live/<int:live_id>/answer")
@live_feature
@seller_page
def answer_question(live_id: int) -> Any:
    """Answer a viewer's question (named by its event number) for the whole room."""
    form = Form.posted()
    text = form.get("text").strip()
    question = form.get("question_id").strip()

    def act(session: Any) -> LiveSession:
        if not question.isdigit():
            raise InvalidContent(_("Choose the question you answer."), "question_id")
        if not text or len(text) > MAX_ANSWER:
            raise InvalidContent(_("Write an answer of at most %(count)d characters.", count=MAX_ANSWER), "text")
        return lives.answerable(session, current_tenant(), author(), live_id)

    answered = _act(live_id, act, "answer",
                    lambda live: {"question_id": int(question), "text": text, "host_kind": live.host_kind},
                    _("Answer sent."))
    return answered
