"""The operator's review: the queue, approval only with every document, rejection and
suspension only with a reason, every transition logged, ``seller.approved`` in the outbox."""
from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from pasar.events.models import OutboxEvent
from pasar.sellers import service
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.sellers_factories import EXAMPLE_BANK_ACCOUNTS, PNG_BYTES


def upload_all(upload: Any, client: Any, headers: dict[str, str]) -> None:
    missing = client.get("/api/v1/seller", headers=headers).get_json()["missing_documents"]
    for kind in missing:
        assert upload(headers, kind, PNG_BYTES + kind.encode()).status_code == 201


def outbox(app: Any, tenant_code: str, kind: str, seller_id: int) -> list[OutboxEvent]:
    tenant = tenant_context(app, tenant_code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        query = select(OutboxEvent).where(OutboxEvent.kind == kind, OutboxEvent.subject_id == str(seller_id))
        return list(session.scalars(query))


def act(client: Any, headers: dict[str, str], seller_id: int, action: str, **body: Any) -> Any:
    return client.post(f"/api/v1/operator/sellers/{seller_id}/{action}", json=body or None, headers=headers)


def test_approval_is_refused_while_documents_are_missing(
    app: Any, client: Any, make_seller: Any, operator_headers: Any
) -> None:
    shop = make_seller("id", status="pending")

    answer = act(client, operator_headers("id"), shop.id, "approve")

    assert answer.status_code == 409
    assert "documents" in answer.get_json()["errors"]
    assert client.get("/api/v1/seller", headers=shop.headers).get_json()["status"] == "pending"
    assert outbox(app, "id", "seller.approved", shop.id) == []


def test_an_operator_approves_a_complete_registration(
    app: Any, client: Any, make_seller: Any, upload: Any, operator_headers: Any, assert_masked: Any
) -> None:
    shop = make_seller("id", status="pending", name="Toko Batik")
    upload_all(upload, client, shop.headers)

    answer = act(client, operator_headers("id"), shop.id, "approve")

    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "approved" and body["missing_documents"] == []
    assert body["reviewed_by"] is not None and body["reviewed_at"] is not None
    assert_masked(answer, EXAMPLE_BANK_ACCOUNTS["ID"].number)
    assert [(h["from_status"], h["to_status"], h["actor_kind"]) for h in body["history"]] == [
        (None, "pending", "user"), ("pending", "approved", "operator"),
    ]
    [event] = outbox(app, "id", "seller.approved", shop.id)
    assert event.data["seller_id"] == shop.id and event.data["name"] == "Toko Batik"
    assert event.data["reviewed_by"] == body["reviewed_by"]


def test_an_approved_shop_is_what_other_domains_may_sell_from(app: Any, make_seller: Any) -> None:
    shop = make_seller("vn")
    tenant = tenant_context(app, "vn")

    with app.extensions["pasar.db"].session(tenant.id) as session:
        seller = service.get_approved_seller(session, tenant, shop.id)
        assert seller.status == "approved"


def test_a_rejection_needs_a_reason(client: Any, make_seller: Any, operator_headers: Any) -> None:
    shop = make_seller("ph", status="pending")
    headers = operator_headers("ph")

    missing = client.post(f"/api/v1/operator/sellers/{shop.id}/reject", json={}, headers=headers)
    blank = act(client, headers, shop.id, "reject", reason="   ")

    assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]
    assert blank.status_code == 422 and "reason" in blank.get_json()["errors"]
    assert client.get("/api/v1/seller", headers=shop.headers).get_json()["status"] == "pending"


def test_the_seller_sees_why_the_shop_was_rejected(
    client: Any, make_seller: Any, operator_headers: Any, assert_masked: Any
) -> None:
    shop = make_seller("ph", status="pending")

    answer = act(client, operator_headers("ph"), shop.id, "reject", reason="The TIN does not match the BIR certificate.")

    assert answer.status_code == 200
    own = client.get("/api/v1/seller", headers=shop.headers)
    assert own.get_json()["status"] == "rejected"
    assert own.get_json()["rejection_reason"] == "The TIN does not match the BIR certificate."
    assert_masked(own, EXAMPLE_BANK_ACCOUNTS["PH"].number)


@pytest.mark.parametrize(
    ("status", "action", "body"),
    [
        ("rejected", "approve", {}),
        ("approved", "approve", {}),
        ("approved", "reject", {"reason": "too late"}),
        ("pending", "suspend", {"reason": "not yet approved"}),
        ("approved", "reinstate", {}),
        ("rejected", "reinstate", {}),
    ],
)
def test_a_review_action_that_does_not_fit_the_status_is_a_conflict(
    client: Any, make_seller: Any, operator_headers: Any, status: str, action: str, body: dict[str, str]
) -> None:
    shop = make_seller("sg", status=status)

    answer = act(client, operator_headers("sg"), shop.id, action, **body)

    assert answer.status_code == 409
    assert answer.get_json()["errors"] == {"status": [f"is {status}"]}


def test_suspension_and_reinstatement_are_logged_with_actor_and_reason(
    app: Any, client: Any, make_seller: Any, operator_headers: Any
) -> None:
    shop = make_seller("us")
    headers = operator_headers("us")

    no_reason = client.post(f"/api/v1/operator/sellers/{shop.id}/suspend", json={}, headers=headers)
    suspended = act(client, headers, shop.id, "suspend", reason="Chargebacks above 1%")
    tenant = tenant_context(app, "us")
    with app.extensions["pasar.db"].session(tenant.id) as session, pytest.raises(service.SellerNotApproved):
        service.get_approved_seller(session, tenant, shop.id)
    reinstated = act(client, headers, shop.id, "reinstate")

    assert no_reason.status_code == 422
    assert suspended.get_json()["status"] == "suspended"
    assert suspended.get_json()["rejection_reason"] == "Chargebacks above 1%"
    body = reinstated.get_json()
    assert body["status"] == "approved" and body["rejection_reason"] is None
    assert [(h["from_status"], h["to_status"], h["reason"]) for h in body["history"]] == [
        (None, "pending", None),
        ("pending", "approved", None),
        ("approved", "suspended", "Chargebacks above 1%"),
        ("suspended", "approved", None),
    ]
    assert len(outbox(app, "us", "seller.suspended", shop.id)) == 1
    assert len(outbox(app, "us", "seller.reinstated", shop.id)) == 1


@pytest.mark.parametrize("action", ["approve", "reject", "suspend", "reinstate"])
def test_only_operators_review(client: Any, make_seller: Any, login: Any, action: str) -> None:
    shop = make_seller("my", status="pending")
    _buyer, buyer_headers = login("my", "buyer")

    own = act(client, shop.headers, shop.id, action, reason="self-service")
    buyer = act(client, buyer_headers, shop.id, action, reason="drive-by")
    anonymous = act(client, {"X-Pasar-Tenant": "my"}, shop.id, action, reason="nobody")

    assert (own.status_code, buyer.status_code, anonymous.status_code) == (403, 403, 401)
    assert client.get("/api/v1/seller", headers=shop.headers).get_json()["status"] == "pending"


def test_an_operator_of_another_marketplace_is_not_let_in(
    client: Any, make_seller: Any, operator_login: Any
) -> None:
    shop = make_seller("it", status="pending")
    headers = {**operator_login(("de",)), "X-Pasar-Tenant": "it"}

    assert client.get(f"/api/v1/operator/sellers/{shop.id}", headers=headers).status_code == 401


def test_another_tenants_shop_is_not_found(client: Any, make_seller: Any, operator_headers: Any) -> None:
    shop = make_seller("it", status="pending")
    elsewhere = operator_headers("es")

    assert client.get(f"/api/v1/operator/sellers/{shop.id}", headers=elsewhere).status_code == 404
    assert act(client, elsewhere, shop.id, "reject", reason="wrong tenant").status_code == 404
    assert act(client, elsewhere, shop.id, "approve").status_code == 404


def test_the_review_queue_lists_pending_shops_oldest_first(
    client: Any, make_seller: Any, operator_headers: Any, assert_masked: Any
) -> None:
    first = make_seller("ie", status="pending")
    approved = make_seller("ie")
    second = make_seller("ie", status="pending")

    answer = client.get("/api/v1/operator/sellers?status=pending&page_size=100", headers=operator_headers("ie"))

    assert answer.status_code == 200
    ids = [shop["id"] for shop in answer.get_json()]
    assert {shop["status"] for shop in answer.get_json()} == {"pending"}
    assert approved.id not in ids and ids.index(first.id) < ids.index(second.id)
    assert "X-Pagination" in answer.headers
    assert_masked(answer, EXAMPLE_BANK_ACCOUNTS["IE"].number)


def test_the_queue_refuses_an_unknown_status(client: Any, operator_headers: Any) -> None:
    answer = client.get("/api/v1/operator/sellers?status=everything", headers=operator_headers("ie"))

    assert answer.status_code == 422
    assert "query.status" in answer.get_json()["errors"]


def test_an_operator_sees_one_shop_with_kyc_and_history(
    client: Any, make_seller: Any, operator_headers: Any, assert_masked: Any
) -> None:
    shop = make_seller("fr", status="rejected")

    answer = client.get(f"/api/v1/operator/sellers/{shop.id}", headers=operator_headers("fr"))

    body = answer.get_json()
    assert answer.status_code == 200
    assert body["kyc"] == {"siren_siret": "552100554"} and body["owner_user_id"] == shop.user_id
    assert [h["to_status"] for h in body["history"]] == ["pending", "rejected"]
    assert_masked(answer, EXAMPLE_BANK_ACCOUNTS["FR"].number)


def test_two_operators_reinstating_at_once_reinstate_once(app: Any, make_seller: Any) -> None:
    """Both may read "suspended"; the conditional UPDATE lets exactly one of them through."""
    shop = make_seller("th", status="suspended")
    tenant = tenant_context(app, "th")
    db = app.extensions["pasar.db"]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def reinstate(operator_id: int) -> None:
        barrier.wait()
        try:
            with db.session(tenant.id, write=True) as session:
                service.reinstate(session, tenant, shop.id, operator_id)
            outcomes.append("reinstated")
        except service.InvalidTransition:
            outcomes.append("conflict")

    threads = [threading.Thread(target=reinstate, args=(n,)) for n in (101, 102)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["conflict", "reinstated"]
    assert len(outbox(app, "th", "seller.reinstated", shop.id)) == 1
