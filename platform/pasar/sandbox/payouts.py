"""A sandbox payout provider that behaves like a real bank-transfer API.

It checks account details the way the country's banks format them, accepts a payout as
``pending`` and confirms it later by a signed webhook: ``payout.paid``, or ``payout.failed``
when the receiving account turns out to be closed (a number ending in ``0000``), which is the
failure a marketplace meets most often after an account was validated.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import uuid4

from pasar.contracts import (
    BankAccount,
    PayoutRequest,
    PayoutResult,
    ProviderContext,
    WebhookEvent,
)
from pasar.sandbox._common import (
    Records,
    decimal_text,
    emit,
    field_decimal,
    field_text,
    iso,
    read_event,
)

CLOSED_ACCOUNT_SUFFIX = "0000"

Record = dict[str, Any]


class SandboxPayoutProvider:
    """A ``PayoutProvider`` paying out in one country and currency."""

    def __init__(
        self,
        *,
        code: str,
        country: str,
        currency: str,
        context: ProviderContext,
        account_pattern: str,
        bank_code_pattern: str | None = None,
        account_label: str = "account number",
    ) -> None:
        self.code = code
        self.country = country
        self.currency = currency
        self.context = context
        self.account_pattern = re.compile(account_pattern)
        self.bank_code_pattern = re.compile(bank_code_pattern) if bank_code_pattern else None
        self.account_label = account_label
        self._records = Records(context, f"payouts:{code}")

    def validate_account(self, account: BankAccount) -> list[str]:
        """Problems with the account details, each naming its field (empty: valid)."""
        problems = []
        if not account.holder.strip():
            problems.append("holder: the account holder's name is required")
        if not self.account_pattern.fullmatch(_compact(account.number)):
            problems.append(f"number: {account.number!r} is not a valid {self.account_label}")
        problems.extend(self._bank_code_problems(account.bank_code))
        if account.country and account.country != self.country:
            problems.append(f"country: {self.code} pays out to {self.country} accounts only")
        return problems

    def create_payout(self, request: PayoutRequest) -> PayoutResult:
        """Send money to a seller; ``pending`` now, settled by webhook. The same
        ``idempotency_key`` returns the same payout and never pays twice."""
        seen = self._records.get("payout-key", request.idempotency_key)
        if seen is not None:
            return self._replay(seen, request)
        self._check(request)
        record = self._new_record(request)
        self._records.put("payout", record["provider_ref"], record)
        self._records.put(
            "payout-key", request.idempotency_key, {"provider_ref": record["provider_ref"]}
        )
        answer = _result(record)
        self._settle(record, _compact(request.account.number))
        return answer

    def query_status(self, provider_ref: str) -> PayoutResult:
        """The payout as the bank knows it now (``KeyError`` if it never existed)."""
        return _result(self._records.load("payout", provider_ref))

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> WebhookEvent:
        """Check the signature and freshness of a payout webhook, then parse it."""
        envelope = read_event(self.context, headers, body)
        data = envelope.data
        return WebhookEvent(
            event_id=envelope.event_id,
            type=envelope.type,
            provider_ref=field_text(data, "provider_ref"),
            status=field_text(data, "status"),
            occurred_at=envelope.created,
            amount=field_decimal(data, "amount"),
            currency=field_text(data, "currency"),
            data=dict(data),
        )

    def _bank_code_problems(self, bank_code: str | None) -> list[str]:
        if self.bank_code_pattern is None:
            return []
        if not bank_code:
            return ["bank_code: the bank code is required"]
        if not self.bank_code_pattern.fullmatch(bank_code.strip()):
            return [f"bank_code: {bank_code!r} is not a valid bank code"]
        return []

    def _check(self, request: PayoutRequest) -> None:
        problems = self.validate_account(request.account)
        if problems:
            raise ValueError("; ".join(problems))
        if request.currency != self.currency:
            raise ValueError(f"{self.code} pays out in {self.currency}, not {request.currency}")
        if request.amount <= 0:
            raise ValueError(f"payout amount must be positive, got {request.amount}")

    def _replay(self, seen: Record, request: PayoutRequest) -> PayoutResult:
        record = self._records.load("payout", seen["provider_ref"])
        same_amount = Decimal(record["amount"]) == request.amount
        if record["reference"] != request.reference or not same_amount:
            raise ValueError(
                f"idempotency key {request.idempotency_key!r} was already used for another payout"
            )
        return _result(record)

    def _new_record(self, request: PayoutRequest) -> Record:
        return {
            "provider_ref": f"{self.code}_po_{uuid4().hex[:16]}",
            "reference": request.reference,
            "amount": decimal_text(request.amount),
            "currency": request.currency,
            "account_last4": _compact(request.account.number)[-4:],
            "status": "pending",
            "failure_reason": None,
            "created": iso(self.context.clock()),
        }

    def _settle(self, record: Record, number: str) -> None:
        """The bank's answer: a closed account bounces, any other is credited."""
        if number.endswith(CLOSED_ACCOUNT_SUFFIX):
            record.update(status="failed", failure_reason="account_closed")
        else:
            record["status"] = "paid"
        self._records.put("payout", record["provider_ref"], record)
        data = {key: record[key] for key in ("provider_ref", "reference", "status", "amount")}
        data.update(currency=record["currency"], failure_reason=record["failure_reason"])
        emit(
            self.context,
            endpoint="payouts",
            provider=self.code,
            type=f"payout.{record['status']}",
            data=data,
        )


def _compact(number: str) -> str:
    """Account numbers are often written in groups (IBANs in fours): compare without spaces."""
    return number.replace(" ", "").strip()


def _result(record: Record) -> PayoutResult:
    return PayoutResult(
        provider_ref=record["provider_ref"],
        status=record["status"],
        amount=Decimal(record["amount"]),
        currency=record["currency"],
        failure_reason=record["failure_reason"],
    )
