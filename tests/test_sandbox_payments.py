"""The sandbox payment gateway behaves like a real provider, flow by flow."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from pasar.contracts import (
    PaymentFlow,
    PaymentGateway,
    PaymentMethod,
    PaymentRequest,
    ProviderContext,
    ProviderUnavailable,
    WebhookError,
)
from pasar.sandbox import SandboxGateway, signing
from pasar.sandbox._instructions import crc16_ccitt
from pasar.sandbox.testing import FakeClock, WebhookRecorder, memory_context


def method(
    code: str,
    kind: str,
    flow: PaymentFlow,
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
) -> PaymentMethod:
    name = code.replace("_", " ").title()
    return PaymentMethod(
        code, name, kind, flow, ("ID",), ("IDR",), min_amount=min_amount, max_amount=max_amount
    )


METHODS = {
    m.code: m
    for m in (
        method("test_card", "card", "direct", min_amount=Decimal(10000)),
        method("test_wallet", "wallet", "redirect", max_amount=Decimal(2000000)),
        method("test_va", "virtual_account", "async"),
        method("test_qr", "qr", "async"),
        method("test_otc", "otc", "async"),
        method("test_debit", "direct_debit", "async"),
        method("test_cod", "cod", "on_delivery", max_amount=Decimal(5000000)),
    )
}

GOOD_CARD = "4242424242424242"


@dataclass
class Sandbox:
    gateway: SandboxGateway
    webhooks: WebhookRecorder
    clock: FakeClock
    context: ProviderContext


@pytest.fixture
def sandbox() -> Sandbox:
    context, webhooks, clock = memory_context()
    gateway = SandboxGateway(
        code="testpay", provider_name="Test Pay", methods=METHODS, context=context
    )
    return Sandbox(gateway, webhooks, clock, context)


def pay(
    method_code: str, amount: str = "150000", key: str = "key-1", **details: str
) -> PaymentRequest:
    return PaymentRequest(
        reference="pay_1",
        amount=Decimal(amount),
        currency="IDR",
        method=method_code,
        country="ID",
        return_url="https://shop.test/checkout/return?step=3",
        idempotency_key=key,
        details=details,
    )


def card(number: str = GOOD_CARD, **details: str) -> PaymentRequest:
    return pay("test_card", card_number=number, **details)


def data_of(sandbox: Sandbox, event_type: str) -> list[dict[str, Any]]:
    return [body["data"] for body in sandbox.webhooks.of_type(event_type)]


# -- the protocol and the store ---------------------------------------------------------------


def test_gateway_satisfies_the_payment_gateway_protocol(sandbox: Sandbox) -> None:
    assert isinstance(sandbox.gateway, PaymentGateway)
    assert sandbox.gateway.code == "testpay"


def test_state_lives_in_the_store_so_another_process_sees_it(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(pay("test_va"))
    worker_side = SandboxGateway(
        code="testpay", provider_name="Test Pay", methods=METHODS, context=sandbox.context
    )

    assert worker_side.simulate_paid(intent.provider_ref).status == "captured"
    assert sandbox.gateway.query_status(intent.provider_ref).status == "captured"


def test_provider_ref_starts_with_the_gateway_code(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(pay("test_va"))

    assert re.fullmatch(r"testpay_[0-9a-f]{16}", intent.provider_ref)


def test_unknown_ref_is_a_key_error(sandbox: Sandbox) -> None:
    with pytest.raises(KeyError):
        sandbox.gateway.query_status("testpay_missing")


# -- validation and idempotency ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        (pay("bitcoin"), "unknown payment method 'bitcoin'"),
        (replace(pay("test_va"), currency="USD"), "does not accept USD"),
        (replace(pay("test_va"), country="TH"), "not offered in TH"),
        (pay("test_card", "9000", card_number=GOOD_CARD), "below the test_card minimum"),
        (pay("test_wallet", "2000001"), "above the test_wallet maximum"),
        (pay("test_va", "0"), "must be positive"),
    ],
)
def test_a_request_the_provider_would_refuse_raises_and_stores_nothing(
    sandbox: Sandbox, request_: PaymentRequest, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        sandbox.gateway.create_payment(request_)

    assert sandbox.webhooks.sent == []
    assert sandbox.context.store.data == {}  # type: ignore[attr-defined]


def test_the_same_idempotency_key_returns_the_same_payment_and_one_webhook(
    sandbox: Sandbox,
) -> None:
    first = sandbox.gateway.create_payment(card())
    second = sandbox.gateway.create_payment(card())

    assert second.provider_ref == first.provider_ref
    assert second.status == "captured"  # the stored payment as it is now
    assert sandbox.webhooks.types() == ["payment.captured"]


def test_a_retried_virtual_account_keeps_its_number(sandbox: Sandbox) -> None:
    first = sandbox.gateway.create_payment(pay("test_va"))
    second = sandbox.gateway.create_payment(pay("test_va"))

    assert second == first


def test_a_reused_key_with_other_parameters_is_refused(sandbox: Sandbox) -> None:
    sandbox.gateway.create_payment(pay("test_va"))

    with pytest.raises(ValueError, match="already used for a different payment"):
        sandbox.gateway.create_payment(pay("test_va", amount="99000"))


def test_a_new_key_makes_a_new_payment(sandbox: Sandbox) -> None:
    first = sandbox.gateway.create_payment(pay("test_va"))
    second = sandbox.gateway.create_payment(pay("test_va", key="key-2"))

    assert second.provider_ref != first.provider_ref


def test_a_retry_without_the_card_number_finds_the_payment_made_with_its_key(sandbox: Sandbox) -> None:
    first = sandbox.gateway.create_payment(card())

    retried = sandbox.gateway.create_payment(pay("test_card"))  # card numbers are never stored

    assert retried.provider_ref == first.provider_ref
    assert len(sandbox.webhooks.of_type("payment.captured")) == 1


def test_a_start_that_loses_the_race_for_its_key_answers_with_the_winners_payment(sandbox: Sandbox) -> None:
    store = sandbox.context.store
    competitor = SandboxGateway(code="testpay", provider_name="Test Pay", methods=METHODS, context=sandbox.context)
    winner: list[Any] = []
    real_add = store.add  # type: ignore[attr-defined]
    raced = [False]

    def add_after_a_concurrent_start(records: dict[str, Any]) -> bool:
        if not raced[0]:  # the other request with the same key stores its payment first
            raced[0] = True
            winner.append(competitor.create_payment(card()))
        return bool(real_add(records))

    store.add = add_after_a_concurrent_start  # type: ignore[attr-defined]
    answer = sandbox.gateway.create_payment(card())

    assert answer.provider_ref == winner[0].provider_ref
    payments = [key for key in store.data if ":payment:" in key]  # type: ignore[attr-defined]
    assert payments == [f"sandbox:test:payments:testpay:payment:{answer.provider_ref}"]
    assert len(sandbox.webhooks.of_type("payment.captured")) == 1


class GetPutStore:
    """A store with only the protocol's ``get`` and ``put``."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        return json.loads(json.dumps(self.data[key])) if key in self.data else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        self.data[key] = json.loads(json.dumps(value))


def test_a_store_with_only_get_and_put_keeps_starts_idempotent(sandbox: Sandbox) -> None:
    context = replace(sandbox.context, store=GetPutStore())
    gateway = SandboxGateway(code="testpay", provider_name="Test Pay", methods=METHODS, context=context)

    first = gateway.create_payment(card())
    again = gateway.create_payment(card())

    assert (first.status, again.status, again.provider_ref) == ("authorized", "captured", first.provider_ref)
    assert len([key for key in context.store.data if ":payment:" in key]) == 1  # type: ignore[attr-defined]


# -- direct flow: cards -----------------------------------------------------------------------


def test_a_good_card_is_authorised_at_once_and_captured_by_webhook(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(card())

    assert intent.status == "authorized"
    assert sandbox.gateway.query_status(intent.provider_ref).status == "captured"
    [captured] = data_of(sandbox, "payment.captured")
    assert captured == {
        "provider_ref": intent.provider_ref,
        "reference": "pay_1",
        "status": "captured",
        "amount": "150000",
        "currency": "IDR",
        "method": "test_card",
    }


def test_payment_webhooks_go_to_the_payments_endpoint_of_the_method(sandbox: Sandbox) -> None:
    sandbox.gateway.create_payment(card())

    webhook = sandbox.webhooks.last()
    assert webhook.endpoint == "payments"
    assert webhook.provider == "test_card"
    signing.verify(b"sandbox-secret", webhook.headers, webhook.body, sandbox.clock())


def test_webhook_bodies_are_compact_sorted_utf8_json(sandbox: Sandbox) -> None:
    sandbox.gateway.create_payment(card())

    body = sandbox.webhooks.last().body
    payload = json.loads(body)
    assert body == json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    assert re.fullmatch(r"evt_[0-9a-f]{32}", payload["id"])
    assert payload["created"] == sandbox.clock().isoformat()


def test_any_luhn_valid_number_is_approved(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(card("5555 5555 5555 4444"))

    assert intent.status == "authorized"


@pytest.mark.parametrize(
    ("number", "reason"),
    [("4000000000000002", "card_declined"), ("4000000000009995", "insufficient_funds")],
)
def test_decline_test_cards_fail_with_their_reason(
    sandbox: Sandbox, number: str, reason: str
) -> None:
    intent = sandbox.gateway.create_payment(card(number))

    assert (intent.status, intent.failure_reason) == ("failed", reason)
    assert [d["failure_reason"] for d in data_of(sandbox, "payment.failed")] == [reason]
    assert sandbox.webhooks.of_type("payment.captured") == []


@pytest.mark.parametrize("number", ["4242424242424241", "4242-abcd", "", "42"])
def test_a_card_number_that_is_not_one_is_a_value_error(sandbox: Sandbox, number: str) -> None:
    with pytest.raises(ValueError, match="card_number"):
        sandbox.gateway.create_payment(card(number))

    assert sandbox.webhooks.sent == []


def test_a_timeout_records_and_captures_the_payment_but_the_call_fails(sandbox: Sandbox) -> None:
    with pytest.raises(ProviderUnavailable):
        sandbox.gateway.create_payment(card("4000000000003063"))

    [captured] = data_of(sandbox, "payment.captured")
    assert sandbox.gateway.query_status(captured["provider_ref"]).status == "captured"


def test_retrying_a_timed_out_payment_with_its_key_returns_the_outcome_without_charging_again(
    sandbox: Sandbox,
) -> None:
    with pytest.raises(ProviderUnavailable):
        sandbox.gateway.create_payment(card("4000000000003063"))

    retried = sandbox.gateway.create_payment(card("4000000000003063"))

    assert retried.status == "captured"
    assert len(sandbox.webhooks.of_type("payment.captured")) == 1


def test_manual_capture_waits_for_capture(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(card(capture="manual"))

    assert sandbox.gateway.query_status(intent.provider_ref).status == "authorized"
    assert sandbox.webhooks.sent == []
    captured = sandbox.gateway.capture(intent.provider_ref)
    assert (captured.status, captured.amount) == ("captured", Decimal(150000))
    assert len(sandbox.webhooks.of_type("payment.captured")) == 1


def test_a_partial_capture_charges_only_the_captured_amount(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(card(capture="manual"))

    captured = sandbox.gateway.capture(intent.provider_ref, Decimal(100000))

    assert captured.amount == Decimal(100000)
    assert [d["amount"] for d in data_of(sandbox, "payment.captured")] == ["100000"]


def test_capturing_more_than_authorised_is_refused(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(card(capture="manual"))

    with pytest.raises(ValueError, match="at most 150000"):
        sandbox.gateway.capture(intent.provider_ref, Decimal(150001))


def test_capturing_again_returns_the_capture_without_a_second_webhook(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(card())

    again = sandbox.gateway.capture(intent.provider_ref)

    assert again.status == "captured"
    assert len(sandbox.webhooks.sent) == 1


def test_only_an_authorised_payment_can_be_captured(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(pay("test_va"))

    with pytest.raises(ValueError, match="is pending, not authorized: it cannot be captured"):
        sandbox.gateway.capture(intent.provider_ref)


# -- redirect flow ----------------------------------------------------------------------------


def test_a_wallet_payment_needs_the_buyer_on_the_redirect_page(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(pay("test_wallet"))

    assert intent.status == "requires_action"
    assert intent.redirect_url == (
        f"http://test.localhost:5000/sandbox/test/pay/{intent.provider_ref}"
    )
    assert sandbox.webhooks.sent == []


def test_approving_captures_and_sends_the_buyer_back_with_the_outcome(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(pay("test_wallet")).provider_ref

    assert sandbox.gateway.approve(ref).status == "captured"

    url = urlsplit(sandbox.gateway.return_url_for(ref))
    assert (url.netloc, url.path) == ("shop.test", "/checkout/return")
    assert parse_qs(url.query) == {"step": ["3"], "payment": ["pay_1"], "status": ["captured"]}
    assert len(sandbox.webhooks.of_type("payment.captured")) == 1


def test_declining_fails_the_payment_and_it_cannot_be_approved_after(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(pay("test_wallet")).provider_ref

    assert sandbox.gateway.decline(ref).status == "failed"
    assert "status=failed" in sandbox.gateway.return_url_for(ref)
    assert len(sandbox.webhooks.of_type("payment.failed")) == 1
    with pytest.raises(ValueError, match="is failed, not requires_action"):
        sandbox.gateway.approve(ref)


def test_the_redirect_page_data_names_provider_method_and_amount(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(pay("test_wallet")).provider_ref

    page = sandbox.gateway.page_data(ref)

    assert page["provider"] == "Test Pay"
    assert page["method"] == "Test Wallet"
    assert (page["amount"], page["currency"], page["reference"]) == ("150000", "IDR", "pay_1")


def test_sandbox_controls_refuse_a_payment_of_another_flow(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(pay("test_va")).provider_ref

    with pytest.raises(ValueError, match="async flow, not redirect"):
        sandbox.gateway.approve(ref)


# -- async flow -------------------------------------------------------------------------------


def test_a_virtual_account_is_pending_with_its_number_until_paid(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(pay("test_va", bank="Test Bank"))

    assert intent.status == "pending"
    assert intent.expires_at == sandbox.clock() + timedelta(hours=24)
    assert re.fullmatch(r"\d{16}", intent.instructions["va_number"])
    assert intent.instructions["bank"] == "Test Bank"
    assert sandbox.gateway.simulate_paid(intent.provider_ref).status == "captured"
    assert len(sandbox.webhooks.of_type("payment.captured")) == 1


def test_an_unpaid_virtual_account_expires_once(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(pay("test_va")).provider_ref
    sandbox.clock.advance(timedelta(hours=24))

    assert sandbox.gateway.query_status(ref).status == "expired"
    assert sandbox.gateway.query_status(ref).status == "expired"
    assert [d["provider_ref"] for d in data_of(sandbox, "payment.expired")] == [ref]


def test_paying_an_expired_virtual_account_is_refused(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(pay("test_va")).provider_ref
    sandbox.clock.advance(timedelta(hours=25))

    with pytest.raises(ValueError, match="expired"):
        sandbox.gateway.simulate_paid(ref)

    assert sandbox.webhooks.types() == ["payment.expired"]


def test_a_virtual_account_paid_just_before_its_deadline_is_captured(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(pay("test_va")).provider_ref
    sandbox.clock.advance(timedelta(hours=24) - timedelta(seconds=1))

    assert sandbox.gateway.simulate_paid(ref).status == "captured"
    sandbox.clock.advance(timedelta(hours=1))
    assert sandbox.gateway.query_status(ref).status == "captured"


def test_a_qr_payment_expires_sooner_and_carries_an_emvco_payload(sandbox: Sandbox) -> None:
    intent = sandbox.gateway.create_payment(pay("test_qr"))

    payload = intent.instructions["qr_payload"]
    assert intent.expires_at == sandbox.clock() + timedelta(minutes=15)
    assert payload.startswith("000201010212")
    assert "5303360" in payload and "5406150000" in payload  # IDR (360), amount
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == f"{crc16_ccitt(payload[:-4].encode()):04X}"


def test_the_qr_checksum_is_crc16_ccitt_false() -> None:
    assert crc16_ccitt(b"123456789") == 0x29B1  # the algorithm's published check value


def test_counter_and_direct_debit_payments_get_their_instructions(sandbox: Sandbox) -> None:
    otc = sandbox.gateway.create_payment(pay("test_otc"))
    debit = sandbox.gateway.create_payment(pay("test_debit", key="key-2"))

    assert re.fullmatch(r"\d{16}", otc.instructions["payment_code"])
    assert debit.instructions["mandate"].startswith("mandate_")
    assert otc.expires_at == sandbox.clock() + timedelta(hours=24)


def test_expiry_windows_are_configurable(sandbox: Sandbox) -> None:
    gateway = SandboxGateway(
        code="short",
        provider_name="Short",
        methods=METHODS,
        context=sandbox.context,
        va_expiry=timedelta(hours=1),
        qr_expiry=timedelta(minutes=5),
    )

    va = gateway.create_payment(pay("test_va"))
    qr = gateway.create_payment(pay("test_qr", key="key-2"))

    assert va.expires_at == sandbox.clock() + timedelta(hours=1)
    assert qr.expires_at == sandbox.clock() + timedelta(minutes=5)


# -- cash on delivery -------------------------------------------------------------------------


def test_cash_on_delivery_waits_for_the_courier_and_captures_what_was_collected(
    sandbox: Sandbox,
) -> None:
    intent = sandbox.gateway.create_payment(pay("test_cod"))

    assert intent.status == "pending"
    collected = sandbox.gateway.collect_on_delivery(intent.provider_ref, Decimal(150000))
    assert (collected.status, collected.amount) == ("captured", Decimal(150000))
    assert [d["amount"] for d in data_of(sandbox, "payment.captured")] == ["150000"]


def test_a_cash_on_delivery_payment_is_not_refunded_through_the_gateway(
    sandbox: Sandbox,
) -> None:
    ref = sandbox.gateway.create_payment(pay("test_cod")).provider_ref
    sandbox.gateway.collect_on_delivery(ref, Decimal(150000))

    with pytest.raises(ValueError, match="cash-on-delivery refunds are paid out"):
        sandbox.gateway.refund(ref, Decimal(1000), "refund-1")


def test_a_refused_parcel_cancels_its_cash_on_delivery_payment(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(pay("test_cod")).provider_ref

    assert sandbox.gateway.cancel(ref).status == "cancelled"
    assert sandbox.gateway.cancel(ref).status == "cancelled"
    assert sandbox.webhooks.types() == ["payment.cancelled"]
    with pytest.raises(ValueError, match="is cancelled, not pending"):
        sandbox.gateway.collect_on_delivery(ref, Decimal(150000))


def test_a_captured_payment_cannot_be_cancelled(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(card()).provider_ref

    with pytest.raises(ValueError, match="cannot be cancelled"):
        sandbox.gateway.cancel(ref)


# -- refunds ----------------------------------------------------------------------------------


def test_partial_then_full_refund_update_the_status_and_confirm_by_webhook(
    sandbox: Sandbox,
) -> None:
    ref = sandbox.gateway.create_payment(card()).provider_ref

    first = sandbox.gateway.refund(ref, Decimal(50000), "refund-1")
    assert first.status == "pending"
    assert sandbox.gateway.query_status(ref).status == "partially_refunded"
    sandbox.gateway.refund(ref, Decimal(100000), "refund-2")
    assert sandbox.gateway.query_status(ref).status == "refunded"

    events = data_of(sandbox, "refund.succeeded")
    assert [(e["refunded_amount"], e["status"]) for e in events] == [
        ("50000", "partially_refunded"),
        ("100000", "refunded"),
    ]
    assert events[0]["refund_ref"] == first.refund_ref


def test_refunding_more_than_was_captured_is_refused(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(card()).provider_ref
    sandbox.gateway.refund(ref, Decimal(100000), "refund-1")

    with pytest.raises(ValueError, match="at most 50000"):
        sandbox.gateway.refund(ref, Decimal(50001), "refund-2")


def test_the_same_refund_key_returns_the_same_refund_once(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(card()).provider_ref

    first = sandbox.gateway.refund(ref, Decimal(50000), "refund-1")
    second = sandbox.gateway.refund(ref, Decimal(50000), "refund-1")

    assert second.refund_ref == first.refund_ref
    assert second.status == "succeeded"
    assert len(sandbox.webhooks.of_type("refund.succeeded")) == 1
    assert sandbox.gateway.query_status(ref).status == "partially_refunded"


def test_a_payment_that_was_not_captured_cannot_be_refunded(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(pay("test_va")).provider_ref

    with pytest.raises(ValueError, match="nothing to refund"):
        sandbox.gateway.refund(ref, Decimal(1000), "refund-1")


# -- webhook verification ---------------------------------------------------------------------


def test_verify_webhook_parses_a_genuine_event(sandbox: Sandbox) -> None:
    ref = sandbox.gateway.create_payment(card()).provider_ref
    webhook = sandbox.webhooks.last()

    event = sandbox.gateway.verify_webhook(webhook.headers, webhook.body)

    assert event.type == "payment.captured"
    assert event.event_id == json.loads(webhook.body)["id"]
    assert (event.provider_ref, event.status) == (ref, "captured")
    assert (event.amount, event.currency) == (Decimal(150000), "IDR")
    assert event.occurred_at == sandbox.clock()
    assert event.data["reference"] == "pay_1"


def test_verify_webhook_refuses_a_tampered_body(sandbox: Sandbox) -> None:
    sandbox.gateway.create_payment(card())
    webhook = sandbox.webhooks.last()

    with pytest.raises(WebhookError):
        sandbox.gateway.verify_webhook(webhook.headers, webhook.body.replace(b"150000", b"1"))


def test_verify_webhook_refuses_a_stale_delivery(sandbox: Sandbox) -> None:
    sandbox.gateway.create_payment(card())
    webhook = sandbox.webhooks.last()
    sandbox.clock.advance(timedelta(minutes=6))

    with pytest.raises(WebhookError, match="too old"):
        sandbox.gateway.verify_webhook(webhook.headers, webhook.body)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"id": "evt_1", "type": "payment.captured", "created": "2025-01-15T09:00:00+00:00"}',
         "data"),
        (b'{"id": "evt_1", "type": "x", "created": "yesterday", "data": {}}', "created"),
        (b'{"id": "evt_1", "type": "x", "created": "2025-01-15T09:00:00+00:00", '
         b'"data": {"provider_ref": "r", "status": "captured", "amount": "lots"}}', "decimal"),
    ],
)
def test_verify_webhook_refuses_a_signed_but_malformed_body(
    sandbox: Sandbox, body: bytes, problem: str
) -> None:
    headers = signing.signed_headers(b"sandbox-secret", body, "evt_1", sandbox.clock())

    with pytest.raises(WebhookError, match=problem):
        sandbox.gateway.verify_webhook(headers, body)


def test_verify_webhook_refuses_an_event_id_header_that_differs_from_the_body(
    sandbox: Sandbox,
) -> None:
    sandbox.gateway.create_payment(card())
    webhook = sandbox.webhooks.last()
    headers = {**webhook.headers, signing.EVENT_ID_HEADER: "evt_other"}

    with pytest.raises(WebhookError, match="does not match the body's id"):
        sandbox.gateway.verify_webhook(headers, webhook.body)
