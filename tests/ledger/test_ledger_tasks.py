"""The daily payout task end to end: a real shop, the tenant's sandbox provider with its
database-backed context, and the provider's signed webhook POSTed to the kernel's endpoint."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from moneyed import Money
from sqlalchemy import select

from pasar.contracts import PayoutRequest
from pasar.ledger import postings, service
from pasar.ledger.models import Payout, PayoutBatch
from pasar.ledger.tasks import bank_accounts, minimum_payout, run_payouts
from pasar.providers import provider_context
from pasar.testing.ledger_factories import Books, bank_account
from pasar.testing.sellers_factories import sellers_for

WEBHOOK = "/api/v1/webhooks/payouts/sandbox_faster_payments"


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


def earn(books: Books, seller_id: int, amount: str) -> None:
    with books.session() as session:
        postings.payment_captured(session, books.tenant, f"pay-task-{seller_id}", gbp(amount))
        postings.order_completed(
            session, books.tenant, f"o-task-{seller_id}", seller_id, gbp(amount), gbp("5"), gbp("0"), gbp("0"),
            gbp("0"),
        )


def test_the_daily_task_pays_a_shop_and_the_webhook_settles_it(books: Books, tmp_path: Path) -> None:
    shop = sellers_for(books.app, tmp_path)("uk")
    earn(books, shop.id, "100")
    results = run_payouts.delay(reference="2025-01-15").get()
    assert results["uk"] == "2025-01-15 completed: 1 paid"
    with books.session() as session:
        payout = session.scalar(select(Payout))
        assert payout is not None
        assert (payout.owner_id, payout.amount_minor, payout.status) == (shop.id, 9500, "paid")
        assert payout.provider == "sandbox_faster_payments" and payout.provider_ref
        assert service.balance(session, books.tenant, f"seller_payable:{shop.id}", "GBP") == gbp("0")
        assert service.balance(session, books.tenant, "payout_clearing", "GBP") == gbp("0")


def test_running_the_task_twice_a_day_pays_once(books: Books, tmp_path: Path) -> None:
    shop = sellers_for(books.app, tmp_path)("uk")
    earn(books, shop.id, "40")
    run_payouts.delay(reference="2025-01-16").get()
    results = run_payouts.delay(reference="2025-01-16").get()
    assert results["uk"] == "2025-01-16 completed: 1 paid"
    with books.session() as session:
        assert len(session.scalars(select(Payout)).all()) == 1
        assert session.scalar(select(PayoutBatch.reference)) == "2025-01-16"


def test_a_suspended_shop_is_owed_but_not_paid(books: Books, tmp_path: Path) -> None:
    shop = sellers_for(books.app, tmp_path)("uk", status="suspended")
    earn(books, shop.id, "30")
    results = run_payouts.delay(reference="2025-01-17").get()
    assert results["uk"] == "2025-01-17 completed: 1 skipped"
    with books.session() as session:
        assert service.balance(session, books.tenant, f"seller_payable:{shop.id}", "GBP") == gbp("-25")


def test_bank_accounts_come_from_the_sellers_domain(books: Books, tmp_path: Path) -> None:
    shop = sellers_for(books.app, tmp_path)("uk")
    with books.session() as session:
        lookup = bank_accounts(session, books.tenant)
        account = lookup("seller", shop.id)
        assert account is not None and account.number == "31926819"
        assert lookup("creator", shop.id) is None


def test_the_payout_minimum_comes_from_the_tenant_settings(books: Books) -> None:
    assert minimum_payout(books.tenant) is None


def test_a_webhook_for_another_provider_is_not_found(books: Books) -> None:
    client = books.app.test_client()
    response = client.post("/api/v1/webhooks/payouts/sandbox_sepa_de", data=b"{}", headers={"X-Pasar-Tenant": "uk"})
    assert response.status_code == 404


def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(books: Books) -> None:
    client = books.app.test_client()
    response = client.post(WEBHOOK, data=b'{"type": "payout.paid"}', headers={"X-Pasar-Tenant": "uk"})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_the_webhook_answers_for_a_real_payout(books: Books, tmp_path: Path, monkeypatch: Any) -> None:
    """Webhooks captured instead of delivered, then POSTed by hand: the endpoint applies them
    and a repeat delivery is harmless."""
    sent: list[Any] = []
    monkeypatch.setattr("pasar.providers.queue_webhook", lambda code: sent.append)
    shop = sellers_for(books.app, tmp_path)("uk")
    earn(books, shop.id, "60")
    run_payouts.delay(reference="2025-01-18").get()
    [webhook] = sent
    client = books.app.test_client()
    for _attempt in range(2):
        response = client.post(WEBHOOK, data=webhook.body, headers={**webhook.headers, "X-Pasar-Tenant": "uk"})
        assert response.status_code == 200, response.json
        assert response.json["status"] == "paid"
    with books.session() as session:
        assert service.balance(session, books.tenant, "payout_clearing", "GBP") == gbp("0")


def test_a_signed_webhook_for_a_payout_the_ledger_did_not_make_is_refused_by_name(
    books: Books, caplog: Any,
) -> None:
    """Payments pays cash-on-delivery refunds through the same provider; their webhooks reach
    this endpoint too and are refused (404 naming the reference, logged) without touching the
    books, and so is any signed reference this marketplace never sent."""
    sent: list[Any] = []
    provider = books.tenant.hooks.payout_provider(
        "GB", provider_context(books.db, books.app.config["PASAR"], books.tenant, send=sent.append)
    )
    provider.create_payout(PayoutRequest("refund-77", Decimal("12.00"), "GBP", bank_account(), "key-refund-77"))
    provider.create_payout(PayoutRequest("never-ours", Decimal("3.00"), "GBP", bank_account(), "key-never-ours"))
    client = books.app.test_client()
    for webhook, reference in zip(sent, ("refund-77", "never-ours"), strict=True):
        with caplog.at_level("WARNING", logger="pasar.ledger.api"):
            response = client.post(WEBHOOK, data=webhook.body, headers={**webhook.headers, "X-Pasar-Tenant": "uk"})
        assert response.status_code == 404, response.json
        assert response.mimetype == "application/problem+json"
        assert reference in response.json["errors"]["reference"][0]
        assert any(reference in record.getMessage() for record in caplog.records)
    with books.session() as session:
        assert session.scalar(select(Payout)) is None
        assert service.balance(session, books.tenant, "payout_clearing", "GBP") == gbp("0")
