"""A sandbox payment gateway that behaves like a real one.

It answers the way card processors, wallets, virtual-account banks and COD couriers do: a card
is authorised at once but its capture is confirmed by webhook, a wallet needs the buyer's
approval on a redirect page, a virtual account or QR stays pending until paid or expired, cash
is collected on delivery. Every state change is stored in ``ProviderContext.store`` and
announced with a signed webhook, so the kernel must handle asynchronous confirmation,
duplicates and timeouts exactly as it would with Stripe or Xendit.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from uuid import uuid4

from pasar.contracts import (
    PaymentIntent,
    PaymentMethod,
    PaymentRequest,
    ProviderContext,
    ProviderUnavailable,
    RefundResult,
    WebhookEvent,
)
from pasar.sandbox import _cards
from pasar.sandbox._common import (
    Records,
    decimal_text,
    emit,
    field_decimal,
    field_text,
    iso,
    parse_iso,
    read_event,
)
from pasar.sandbox._instructions import Payee, instructions_for
from pasar.sandbox._payment_records import (
    Record,
    check_request,
    fingerprint,
    require_flow,
    require_status,
    to_intent,
    to_refund_result,
)

COD_REFUND_MESSAGE = "cash-on-delivery refunds are paid out to a bank account or wallet"

_CANCELLABLE = ("requires_action", "pending", "authorized")


@dataclass(frozen=True)
class _Start:
    """A new payment's first answer, the event announcing it (if any) once stored, and
    whether the call then times out (the timeout test card)."""

    answer: PaymentIntent
    event: str | None = None
    times_out: bool = False
_REFUNDABLE = ("captured", "partially_refunded")


class SandboxGateway:
    """A ``PaymentGateway`` for the methods a region plugin offers, driven by their flow.

    Besides the protocol it has the controls a sandbox needs to play the buyer's or the
    courier's part: ``approve``/``decline`` (redirect page), ``simulate_paid`` (the buyer paid
    the virtual account or scanned the QR) and ``collect_on_delivery`` (the courier took cash).
    """

    def __init__(
        self,
        *,
        code: str,
        provider_name: str,
        methods: Mapping[str, PaymentMethod],
        context: ProviderContext,
        va_expiry: timedelta = timedelta(hours=24),
        qr_expiry: timedelta = timedelta(minutes=15),
    ) -> None:
        self.code = code
        self.provider_name = provider_name
        self.methods = dict(methods)
        self.context = context
        self.va_expiry = va_expiry
        self.qr_expiry = qr_expiry
        self._records = Records(context, f"payments:{code}")

    # -- PaymentGateway -------------------------------------------------------------------

    def create_payment(self, request: PaymentRequest) -> PaymentIntent:
        """Start a payment; a repeated ``idempotency_key`` returns the stored payment as it
        is now and changes nothing.

        The new payment and its key are stored together in one write that fails when the key
        is taken, so the usual first request costs one write and no read, and two concurrent
        requests with one key never make two payments: the loser answers with the winner's.

        Raises:
            ValueError: unknown method, unsupported currency or country, amount out of the
                method's limits, a bad card number, or a reused key with other parameters.
            ProviderUnavailable: the timeout test card; the payment exists all the same.
        """
        try:
            method = self._method_for(request)
            record = self._new_record(request, method)
            start = self._starters()[method.flow](record, request)
        except ValueError:
            # A retry need not repeat what only the first request carried (a card number is
            # never stored): the payment made with this key answers it.
            replayed = self._replay(request)
            if replayed is not None:
                return replayed
            raise
        if not self._save_new(record, request):
            replayed = self._replay(request)
            if replayed is None:  # the taken key vanished meanwhile: the caller retries
                raise ProviderUnavailable(f"{self.provider_name} could not store the payment; try again")
            return replayed
        if start.event is not None:
            self._announce(record, start.event)
        if start.times_out:
            raise ProviderUnavailable(f"{self.provider_name} did not answer in time")
        return start.answer

    def capture(self, provider_ref: str, amount: Decimal | None = None) -> PaymentIntent:
        """Capture an authorised card payment, all of it or less (the rest is released)."""
        record = self._load(provider_ref)
        if record["status"] == "captured" and amount in (None, Decimal(record["amount"])):
            return to_intent(record)
        require_status(record, "authorized", "captured")
        authorized = Decimal(record["authorized_amount"])
        amount = authorized if amount is None else amount
        if not Decimal(0) < amount <= authorized:
            raise ValueError(f"capture amount {amount} must be above 0 and at most {authorized}")
        return self._change(
            record, "payment.captured", status="captured", amount=decimal_text(amount)
        )

    def cancel(self, provider_ref: str) -> PaymentIntent:
        """Cancel a payment that has not been captured; cancelling twice is harmless."""
        record = self._load(provider_ref)
        if record["status"] == "cancelled":
            return to_intent(record)
        if record["status"] not in _CANCELLABLE:
            raise ValueError(
                f"payment {provider_ref} is {record['status']}: it cannot be cancelled"
            )
        return self._change(record, "payment.cancelled", status="cancelled")

    def refund(self, provider_ref: str, amount: Decimal, idempotency_key: str) -> RefundResult:
        """Refund part or all of a captured payment; answers ``pending`` and confirms with a
        ``refund.succeeded`` webhook. The same key returns the same refund."""
        replayed = self._records.get("refund-key", idempotency_key)
        if replayed is not None:
            return self._replay_refund(replayed, provider_ref, amount)
        record = self._load(provider_ref)
        self._check_refundable(record, amount)
        refund = self._store_refund(record, amount, idempotency_key)
        answer = to_refund_result(refund)
        self._settle_refund(record, refund)
        return answer

    def query_status(self, provider_ref: str) -> PaymentIntent:
        """The payment as the provider knows it now (``KeyError`` if it never existed)."""
        return to_intent(self._load(provider_ref))

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        """Check the signature and freshness of a payment webhook, then parse it."""
        envelope = read_event(self.context, headers, body)
        data = envelope.data
        currency = data.get("currency")
        return WebhookEvent(
            event_id=envelope.event_id,
            type=envelope.type,
            provider_ref=field_text(data, "provider_ref"),
            status=field_text(data, "status"),
            occurred_at=envelope.created,
            amount=field_decimal(data, "amount"),
            currency=currency if isinstance(currency, str) else None,
            data=dict(data),
        )

    # -- sandbox controls -----------------------------------------------------------------

    def approve(self, provider_ref: str) -> PaymentIntent:
        """The buyer approved on the redirect page: the payment is captured."""
        record = self._load(provider_ref)
        require_flow(record, "redirect")
        require_status(record, "requires_action", "approved")
        return self._change(record, "payment.captured", status="captured")

    def decline(self, provider_ref: str) -> PaymentIntent:
        """The buyer declined (or the wallet refused) on the redirect page."""
        record = self._load(provider_ref)
        require_flow(record, "redirect")
        require_status(record, "requires_action", "declined")
        return self._change(
            record, "payment.failed", status="failed", failure_reason="declined_by_buyer"
        )

    def simulate_paid(self, provider_ref: str) -> PaymentIntent:
        """The buyer paid the virtual account, scanned the QR or paid at the counter."""
        record = self._load(provider_ref)
        require_flow(record, "async")
        if record["status"] == "expired":
            raise ValueError(f"payment {provider_ref} expired at {record['expires_at']}")
        require_status(record, "pending", "paid")
        return self._change(record, "payment.captured", status="captured")

    def collect_on_delivery(self, provider_ref: str, amount: Decimal) -> PaymentIntent:
        """The courier collected ``amount`` in cash (it may differ from the order total by
        cash rounding); the payment is captured for what was collected."""
        record = self._load(provider_ref)
        require_flow(record, "on_delivery")
        require_status(record, "pending", "collected")
        if amount <= 0:
            raise ValueError(f"collected amount must be positive, got {amount}")
        return self._change(
            record, "payment.captured", status="captured", amount=decimal_text(amount)
        )

    def return_url_for(self, provider_ref: str) -> str:
        """Where the redirect page sends the buyer back, telling the shop the outcome."""
        record = self._load(provider_ref)
        parts = urlsplit(record["return_url"])
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("payment", "status")]
        query += [("payment", record["reference"]), ("status", record["status"])]
        return urlunsplit(parts._replace(query=urlencode(query)))

    def page_data(self, provider_ref: str) -> dict[str, str]:
        """What the sandbox redirect page shows the buyer before they approve or decline."""
        record = self._load(provider_ref)
        method = self.methods.get(record["method"])
        return {
            "provider": self.provider_name,
            "method": method.name if method else record["method"],
            "provider_ref": provider_ref,
            "reference": record["reference"],
            "amount": record["amount"],
            "currency": record["currency"],
            "status": record["status"],
        }

    # -- creating -------------------------------------------------------------------------

    def _starters(self) -> Mapping[str, Callable[[Record, PaymentRequest], _Start]]:
        return {
            "direct": self._start_direct,
            "redirect": self._start_redirect,
            "async": self._start_async,
            "on_delivery": self._start_on_delivery,
        }

    def _replay(self, request: PaymentRequest) -> PaymentIntent | None:
        seen = self._records.get("payment-key", request.idempotency_key)
        if seen is None:
            return None
        if seen["fingerprint"] != fingerprint(request):
            raise ValueError(
                f"idempotency key {request.idempotency_key!r} was already used for a different "
                "payment request"
            )
        return to_intent(self._load(seen["provider_ref"]))

    def _method_for(self, request: PaymentRequest) -> PaymentMethod:
        method = self.methods.get(request.method)
        if method is None:
            known = ", ".join(sorted(self.methods)) or "none"
            raise ValueError(f"unknown payment method {request.method!r} (this gateway: {known})")
        check_request(method, request)
        return method

    def _new_record(self, request: PaymentRequest, method: PaymentMethod) -> Record:
        return {
            "provider_ref": f"{self.code}_{uuid4().hex[:16]}",
            "reference": request.reference,
            "method": method.code,
            "kind": method.kind,
            "flow": method.flow,
            "amount": decimal_text(request.amount),
            "authorized_amount": decimal_text(request.amount),
            "refunded_amount": "0",
            "currency": request.currency,
            "status": "pending",
            "created": iso(self.context.clock()),
            "return_url": request.return_url,
            "redirect_url": None,
            "instructions": {},
            "expires_at": None,
            "failure_reason": None,
        }

    def _save_new(self, record: Record, request: PaymentRequest) -> bool:
        """Store the payment and the key that finds it again on a retry, in one write; False
        (nothing stored) when the key is taken."""
        return self._records.add({
            ("payment", record["provider_ref"]): record,
            ("payment-key", request.idempotency_key): {
                "provider_ref": record["provider_ref"], "fingerprint": fingerprint(request),
            },
        })

    # A starter fills in a new record as the provider would (nothing is stored yet) and says
    # what to answer and which event to announce once it is stored.

    def _start_direct(self, record: Record, request: PaymentRequest) -> _Start:
        """Authorise a card at once; it is captured right after unless capture is manual —
        the answer says *authorized*, the capture comes by webhook."""
        card = _cards.normalise(request.details.get("card_number"))
        result = _cards.outcome(card)
        record["card_last4"] = card[-4:]  # like a real processor, never store the full number
        if not result.approved:
            record.update(status="failed", failure_reason=result.failure_reason)
            return _Start(to_intent(record), "payment.failed")
        record["status"] = "authorized"
        answer = to_intent(record)
        if request.details.get("capture") == "manual":
            return _Start(answer, None, result.times_out)
        record["status"] = "captured"
        return _Start(answer, "payment.captured", result.times_out)

    def _start_redirect(self, record: Record, request: PaymentRequest) -> _Start:
        ref = record["provider_ref"]
        base = self.context.base_url.rstrip("/")
        record.update(
            status="requires_action",
            redirect_url=f"{base}/sandbox/{self.context.tenant}/pay/{ref}",
        )
        return _Start(to_intent(record))

    def _start_async(self, record: Record, request: PaymentRequest) -> _Start:
        method = self.methods[record["method"]]
        expiry = self.qr_expiry if method.kind == "qr" else self.va_expiry
        payee = Payee(record["provider_ref"], self.code, self.provider_name, method, request)
        record.update(
            instructions=instructions_for(payee),
            expires_at=iso(self.context.clock() + expiry),
        )
        return _Start(to_intent(record))

    def _start_on_delivery(self, record: Record, request: PaymentRequest) -> _Start:
        record["instructions"] = {"reference": record["provider_ref"]}
        return _Start(to_intent(record))

    # -- changing -------------------------------------------------------------------------

    def _load(self, provider_ref: str) -> Record:
        """The stored payment, first expiring it if its deadline has passed."""
        record = self._records.load("payment", provider_ref)
        if record["status"] == "pending" and record["expires_at"] is not None:
            if self.context.clock() >= parse_iso(record["expires_at"]):
                self._change(record, "payment.expired", status="expired")
        return record

    def _change(self, record: Record, event: str, **changes: Any) -> PaymentIntent:
        """Apply a state change, store it, and announce it by webhook."""
        record.update(changes)
        self._records.put("payment", record["provider_ref"], record)
        return self._announce(record, event)

    def _announce(self, record: Record, event: str, **extra: str) -> PaymentIntent:
        data = {key: record[key] for key in ("provider_ref", "reference", "status", "currency")}
        data.update(amount=record["amount"], method=record["method"], **extra)
        if record["failure_reason"]:
            data["failure_reason"] = record["failure_reason"]
        emit(self.context, endpoint="payments", provider=record["method"], type=event, data=data)
        return to_intent(record)

    # -- refunds --------------------------------------------------------------------------

    def _replay_refund(self, seen: Record, provider_ref: str, amount: Decimal) -> RefundResult:
        refund = self._records.load("refund", seen["refund_ref"])
        if refund["provider_ref"] != provider_ref or Decimal(refund["amount"]) != amount:
            raise ValueError("idempotency key was already used for a different refund")
        return to_refund_result(refund)

    def _check_refundable(self, record: Record, amount: Decimal) -> None:
        if record["flow"] == "on_delivery":
            raise ValueError(COD_REFUND_MESSAGE)
        if record["status"] not in _REFUNDABLE:
            raise ValueError(
                f"payment {record['provider_ref']} is {record['status']}: nothing to refund"
            )
        remaining = Decimal(record["amount"]) - Decimal(record["refunded_amount"])
        if not Decimal(0) < amount <= remaining:
            raise ValueError(f"refund amount {amount} must be above 0 and at most {remaining}")

    def _store_refund(self, record: Record, amount: Decimal, key: str) -> Record:
        refund = {
            "refund_ref": f"{self.code}_rf_{uuid4().hex[:16]}",
            "provider_ref": record["provider_ref"],
            "amount": decimal_text(amount),
            "status": "pending",
        }
        self._records.put("refund", refund["refund_ref"], refund)
        self._records.put("refund-key", key, {"refund_ref": refund["refund_ref"]})
        return refund

    def _settle_refund(self, record: Record, refund: Record) -> None:
        """The money went back: update the payment and the refund, then confirm by webhook."""
        total = Decimal(record["refunded_amount"]) + Decimal(refund["amount"])
        full = total == Decimal(record["amount"])
        record.update(
            refunded_amount=decimal_text(total),
            status="refunded" if full else "partially_refunded",
        )
        self._records.put("payment", record["provider_ref"], record)
        refund["status"] = "succeeded"
        self._records.put("refund", refund["refund_ref"], refund)
        self._announce(
            record,
            "refund.succeeded",
            refund_ref=refund["refund_ref"],
            refunded_amount=refund["amount"],
            total_refunded=record["refunded_amount"],
        )
