"""Ledger API: each seller and creator sees only their own books; operators see the totals."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from moneyed import Money

from pasar.ledger import postings
from pasar.ledger.models import Payout, PayoutBatch
from pasar.testing.ledger_factories import tenant_context, unique_owner_id, unique_ref


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


def sell(app: Any, seller_id: int, amount: str, *, creator: int | None = None, commission: str = "0") -> str:
    """A captured, completed order in the shared app's ``uk`` tenant; returns its reference."""
    tenant = tenant_context(app, "uk")
    order = unique_ref("api-order")
    affiliate = [(creator, gbp("5"))] if creator else []
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        postings.payment_captured(session, tenant, f"pay-{order}", gbp(amount))
        postings.order_completed(
            session, tenant, order, seller_id, gbp(amount), gbp(commission), gbp("0"), gbp("0"), gbp("0"), affiliate,
        )
    return order


def record_payout(app: Any, seller_id: int, amount_minor: int) -> str:
    """A payout row as a batch leaves it (the provider is not involved in these tests)."""
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        batch = PayoutBatch(reference=unique_ref("api-batch"), provider="sandbox_faster_payments", currency="GBP")
        reference = unique_ref("api-payout")
        batch.payouts.append(Payout(
            owner_type="seller", owner_id=seller_id, reference=reference, idempotency_key=f"key-{reference}",
            amount_minor=amount_minor, currency="GBP", provider="sandbox_faster_payments", status="processing",
        ))
        session.add(batch)
    return reference


@pytest.fixture()
def seller(login: Any) -> tuple[int, dict[str, str]]:
    seller_id = unique_owner_id()
    _principal, headers = login("uk", "seller", seller_id=seller_id)
    return seller_id, headers


def test_a_seller_reads_their_own_statement(app: Any, client: Any, seller: tuple[int, dict[str, str]]) -> None:
    seller_id, headers = seller
    order = sell(app, seller_id, "40", commission="2")
    response = client.get("/api/v1/seller/statement", headers=headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["owner_type"], body["owner_id"], body["currency"]) == ("seller", seller_id, "GBP")
    assert body["opening"] == "0.00"
    assert [(line["kind"], line["reference"], line["amount"], line["balance"]) for line in body["lines"]] == [
        ("order_completed", order, "38.00", "38.00"),
    ]
    assert body["closing"] == "38.00"


def test_another_sellers_sales_never_show_in_a_statement(
    app: Any, client: Any, login: Any, seller: tuple[int, dict[str, str]]
) -> None:
    seller_id, headers = seller
    other = unique_owner_id()
    sell(app, other, "99")
    sell(app, seller_id, "10")
    body = client.get("/api/v1/seller/statement", headers=headers).json
    assert body["closing"] == "10.00"
    assert all(line["amount"] != "99.00" for line in body["lines"])
    _principal, other_headers = login("uk", "seller", seller_id=other)
    assert client.get("/api/v1/seller/statement", headers=other_headers).json["closing"] == "99.00"


def test_a_statement_cannot_be_pointed_at_another_seller(
    app: Any, client: Any, seller: tuple[int, dict[str, str]]
) -> None:
    """The owner comes from the token; a smuggled ``seller_id`` changes nothing."""
    seller_id, headers = seller
    other = unique_owner_id()
    sell(app, other, "77")
    response = client.get(f"/api/v1/seller/statement?seller_id={other}&owner_id={other}", headers=headers)
    assert response.status_code == 200
    assert (response.json["owner_id"], response.json["closing"], response.json["lines"]) == (seller_id, "0.00", [])


def test_a_statement_needs_a_seller_token(client: Any, login: Any) -> None:
    assert client.get("/api/v1/seller/statement", headers={"X-Pasar-Tenant": "uk"}).status_code == 401
    _principal, buyer = login("uk", "buyer")
    assert client.get("/api/v1/seller/statement", headers=buyer).status_code == 403


def test_a_seller_token_of_another_marketplace_is_not_valid_here(client: Any, login: Any) -> None:
    _principal, headers = login("de", "seller", seller_id=unique_owner_id())
    response = client.get("/api/v1/seller/statement", headers={**headers, "X-Pasar-Tenant": "uk"})
    assert response.status_code == 401


def test_a_seller_login_without_a_shop_has_no_statement(client: Any, login: Any) -> None:
    _principal, headers = login("uk", "seller")
    response = client.get("/api/v1/seller/statement", headers=headers)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_a_period_ending_before_it_starts_names_the_field(client: Any, seller: tuple[int, dict[str, str]]) -> None:
    _seller_id, headers = seller
    response = client.get("/api/v1/seller/statement?from=2025-03-02&to=2025-03-01", headers=headers)
    assert response.status_code == 422
    assert response.json["errors"] == {"query.from": ["must not be after to"]}


def test_a_period_in_the_past_shows_nothing_of_today(app: Any, client: Any, seller: tuple[int, dict[str, str]]) -> None:
    seller_id, headers = seller
    sell(app, seller_id, "12")
    body = client.get("/api/v1/seller/statement?from=2020-01-01&to=2020-01-31", headers=headers).json
    assert (body["from"], body["to"], body["lines"], body["closing"]) == ("2020-01-01", "2020-01-31", [], "0.00")


def test_a_seller_lists_only_their_own_payouts(app: Any, client: Any, seller: tuple[int, dict[str, str]]) -> None:
    seller_id, headers = seller
    mine = record_payout(app, seller_id, 2500)
    record_payout(app, unique_owner_id(), 9900)
    body = client.get("/api/v1/seller/payouts", headers=headers).json
    assert [(p["reference"], p["amount"], p["status"]) for p in body] == [(mine, "25.00", "processing")]


def test_a_creator_reads_their_commission_statement(app: Any, client: Any, login: Any) -> None:
    creator_id = unique_owner_id()
    sell(app, unique_owner_id(), "50", creator=creator_id)
    _principal, headers = login("uk", "creator", creator_id=creator_id)
    body = client.get("/api/v1/creator/statement", headers=headers).json
    assert (body["owner_type"], body["closing"]) == ("creator", "5.00")
    assert client.get("/api/v1/seller/statement", headers=headers).status_code == 403


def test_an_operator_sees_a_trial_balance_that_nets_to_zero(app: Any, client: Any, operator_login: Any) -> None:
    sell(app, unique_owner_id(), "30", commission="3")
    headers = operator_login(tenants=("uk",)) | {"X-Pasar-Tenant": "uk"}
    response = client.get("/api/v1/operator/ledger/trial-balance", headers=headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["balanced"] is True
    assert {(c["currency"], c["net"]) for c in body["currencies"]} == {("GBP", "0.00")}
    revenue = next(a for a in body["accounts"] if a["code"] == "platform_revenue")
    assert revenue["kind"] == "revenue" and Decimal(revenue["credit"]) >= Decimal("3.00")


def test_the_trial_balance_is_for_operators_of_that_marketplace_only(
    client: Any, operator_login: Any, seller: tuple[int, dict[str, str]]
) -> None:
    _seller_id, headers = seller
    assert client.get("/api/v1/operator/ledger/trial-balance", headers=headers).status_code == 403
    elsewhere = operator_login(tenants=("de",)) | {"X-Pasar-Tenant": "uk"}
    assert client.get("/api/v1/operator/ledger/trial-balance", headers=elsewhere).status_code == 401
