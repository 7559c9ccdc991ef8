"""The carriers' tracking webhooks: verified, applied once, never backwards."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import func, select

from pasar.clock import now
from pasar.providers import tenant_secret
from pasar.sandbox import signing
from pasar.sandbox._common import encode, iso
from pasar.shipping.models import TrackingEvent
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.fulfilment_factories import deliver


def webhook(tracking: str, status: str, *, at: datetime, event_id: str, secret: bytes) -> tuple[bytes, dict[str, str]]:
    """A tracking webhook signed the way the sandbox carriers sign theirs."""
    data = {"tracking_number": tracking, "status": status, "location": "Leeds, GB",
            "occurred_at": iso(at), "cod_collected": None}
    body = encode({"id": event_id, "type": "tracking.updated", "created": iso(now()), "data": data})
    return body, {**signing.signed_headers(secret, body, event_id, now()), "X-Pasar-Tenant": "uk"}


def labelled(client: Any, make_seller: Any, make_product: Any, make_order: Any) -> tuple[Any, dict[str, Any]]:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    label = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={}, headers=seller.headers).get_json()
    return order, label


def events_stored(app: Any, shipment_id: int) -> int:
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        query = select(func.count(TrackingEvent.id)).where(TrackingEvent.shipment_id == shipment_id)
        return int(session.scalar(query) or 0)


def order_status(client: Any, order: Any) -> str:
    return client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()["status"]


SECRET = tenant_secret("test-webhook-secret", "uk")


def unique(prefix: str) -> str:
    """Event ids are unique per carrier and tenant across the whole test run."""
    return f"{prefix}_{uuid4().hex}"


def test_a_bad_signature_is_refused_and_changes_nothing(app: Any, client: Any, make_seller: Any,
                                                        make_product: Any, make_order: Any) -> None:
    order, label = labelled(client, make_seller, make_product, make_order)
    body, headers = webhook(label["tracking_number"], "picked_up", at=now(), event_id=unique("evt_forged"),
                            secret=b"not the tenant's secret")
    answer = client.post(f"/api/v1/webhooks/shipping/{label['carrier']}", data=body, headers=headers)
    assert answer.status_code == 400
    assert answer.mimetype == "application/problem+json"
    assert events_stored(app, label["id"]) == 1  # only the label's own scan
    assert order_status(client, order) == "ready_to_ship"


def test_a_redelivered_event_is_applied_once(app: Any, client: Any, make_seller: Any, make_product: Any,
                                             make_order: Any) -> None:
    order, label = labelled(client, make_seller, make_product, make_order)
    body, headers = webhook(label["tracking_number"], "picked_up", at=now(), event_id=unique("evt_twice"), secret=SECRET)
    url = f"/api/v1/webhooks/shipping/{label['carrier']}"
    first, again = client.post(url, data=body, headers=headers), client.post(url, data=body, headers=headers)
    assert first.get_json() == {"outcome": "applied", "order_id": order.id}
    assert again.get_json() == {"outcome": "duplicate", "order_id": order.id}
    assert events_stored(app, label["id"]) == 2
    assert order_status(client, order) == "shipped"


def test_an_event_older_than_the_last_applied_is_kept_but_moves_nothing(client: Any, make_seller: Any,
                                                                       make_product: Any, make_order: Any) -> None:
    order, label = labelled(client, make_seller, make_product, make_order)
    url = f"/api/v1/webhooks/shipping/{label['carrier']}"
    later = now() + timedelta(minutes=5)
    body, headers = webhook(label["tracking_number"], "in_transit", at=later, event_id=unique("evt_new"),
                            secret=SECRET)
    assert client.post(url, data=body, headers=headers).get_json()["outcome"] == "applied"
    body, headers = webhook(label["tracking_number"], "picked_up", at=later - timedelta(minutes=1),
                            event_id=unique("evt_old"), secret=SECRET)
    answer = client.post(url, data=body, headers=headers)
    assert answer.get_json()["outcome"] == "stale"
    shipment = client.get(f"/api/v1/seller/orders/{order.id}/shipment", headers=order.seller.headers).get_json()
    assert shipment["status"] == "in_transit"
    assert [s["status"] for s in shipment["timeline"]] == ["label_created", "picked_up", "in_transit"]


def test_an_unknown_parcel_or_carrier_is_not_found(client: Any) -> None:
    body, headers = webhook("RM999999999999", "picked_up", at=now(), event_id=unique("evt_unknown"), secret=SECRET)
    assert client.post("/api/v1/webhooks/shipping/royal_mail", data=body, headers=headers).status_code == 404
    assert client.post("/api/v1/webhooks/shipping/jnt_id", data=body, headers=headers).status_code == 404


def test_delivery_sets_the_return_deadline_from_the_regions_window(client: Any, make_seller: Any,
                                                                    make_product: Any, make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    deliver(client, order)
    detail = client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()
    delivered = datetime.fromisoformat(detail["delivered_at"])
    deadline = datetime.fromisoformat(detail["return_window"]["deadline"])
    assert deadline - delivered == timedelta(days=14)  # UK: 14-day statutory cancellation [S108]
    assert detail["shipment"]["timeline"][-1]["status"] == "delivered"
    assert delivered.tzinfo is not None and delivered <= datetime.now(UTC)
