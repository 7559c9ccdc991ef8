"""Starting a checkout's payment at the gateway: the answer is applied in one write, and the
row the checkout just committed need not be read again."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from pasar.payments import service as payments
from pasar.payments.gateways import Providers
from pasar.payments.models import Payment
from pasar.sandbox import SandboxGateway
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.commerce_factories import TIMEOUT_CARD


def test_a_payment_started_from_the_row_in_hand_is_not_read_before_the_gateway_call(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, held_webhooks: Any, statements: Any,
    monkeypatch: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, make_product(make_seller("uk")), details={"card_number": TIMEOUT_CARD})
    assert (placed.payment["status"], placed.payment["outcome_unknown"]) == ("pending", True)
    with commerce.session("uk") as session:
        opened = session.scalar(select(Payment).where(Payment.checkout_id == placed.checkout_id))
    before_the_gateway: list[str] = []
    create = SandboxGateway.create_payment

    def noting(gateway: SandboxGateway, request: Any) -> Any:
        before_the_gateway.extend(seen)
        return create(gateway, request)

    monkeypatch.setattr(SandboxGateway, "create_payment", noting)
    providers, tenant = Providers(app.extensions["pasar.db"], app.config["PASAR"]), tenant_context(app, "uk")
    with statements() as seen:
        payments.start_payment(providers, tenant, opened.id, buyer_email=None, details={"card_number": TIMEOUT_CARD},
                               opened=opened)

    assert before_the_gateway == []
    assert commerce.payment_row("uk", placed.checkout_id).status == "captured"
    assert commerce.charges("uk", opened.reference) == 1


def test_a_card_payments_answer_is_stored_in_one_update(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, held_webhooks: Any, statements: Any,
    monkeypatch: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    after_the_gateway: list[int] = []
    create = SandboxGateway.create_payment

    def noting(gateway: SandboxGateway, request: Any) -> Any:
        answer = create(gateway, request)
        after_the_gateway.append(len(seen))  # statements sent so far
        return answer

    monkeypatch.setattr(SandboxGateway, "create_payment", noting)
    with statements() as seen:
        placed = commerce.place_order(buyer, make_product(make_seller("uk")))
    [mark] = after_the_gateway
    provider = [s for s in seen if "provider_state" in s]
    assert len(provider) == 1 and provider[0].lstrip().upper().startswith("INSERT")  # payment and key together
    answer_stored = [s for s in seen[mark:] if s.lstrip().upper().startswith("UPDATE PAYMENTS")]
    assert len(answer_stored) == 1
    payment = commerce.payment_row("uk", placed.checkout_id)
    assert (payment.status, payment.provider_ref is not None, payment.outcome_unknown) == ("authorized", True, False)
