"""What a buyer needs to finish an asynchronous payment: a virtual-account number, a QR
payload, a convenience-store payment code or a direct-debit mandate.

The values look like the real thing (a QR payload is a valid EMVCo merchant-presented TLV
string with its CRC) so storefront pages and QR renderers are exercised for real.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import moneyed

from pasar.contracts import PaymentMethod, PaymentRequest
from pasar.sandbox._common import decimal_text


@dataclass(frozen=True)
class Payee:
    """Who the buyer pays, as the instructions show it."""

    provider_ref: str
    gateway: str
    merchant: str
    method: PaymentMethod
    request: PaymentRequest


def instructions_for(payee: Payee) -> dict[str, str]:
    """The instructions for the method's kind (a reference number for kinds without a
    special form, e.g. invoices)."""
    build = _BUILDERS.get(payee.method.kind, _reference_only)
    return build(payee)


def digits(count: int) -> str:
    """``count`` random decimal digits."""
    return f"{secrets.randbelow(10**count):0{count}d}"


def _bank(payee: Payee) -> str:
    return payee.request.details.get("bank") or payee.method.name


def _virtual_account(payee: Payee) -> dict[str, str]:
    return {"va_number": "8808" + digits(12), "bank": _bank(payee), "reference": payee.provider_ref}


def _bank_transfer(payee: Payee) -> dict[str, str]:
    return {
        "account_number": digits(10),
        "bank": _bank(payee),
        "transfer_reference": payee.provider_ref,
    }


def _qr(payee: Payee) -> dict[str, str]:
    return {"qr_payload": emvco_payload(payee), "reference": payee.provider_ref}


def _otc(payee: Payee) -> dict[str, str]:
    return {"payment_code": digits(16), "reference": payee.provider_ref}


def _direct_debit(payee: Payee) -> dict[str, str]:
    return {"mandate": f"mandate_{secrets.token_hex(8)}", "reference": payee.provider_ref}


def _reference_only(payee: Payee) -> dict[str, str]:
    return {"reference": payee.provider_ref}


_BUILDERS: Mapping[str, Callable[[Payee], dict[str, str]]] = {
    "virtual_account": _virtual_account,
    "bank_transfer": _bank_transfer,
    "qr": _qr,
    "otc": _otc,
    "direct_debit": _direct_debit,
}


def emvco_payload(payee: Payee) -> str:
    """A dynamic EMVCo merchant-presented QR payload (the format of QRIS, PromptPay, DuitNow,
    VietQR, QR Ph and PayNow), ending in its CRC-16/CCITT-FALSE checksum."""
    request = payee.request
    body = "".join(
        (
            _tlv("00", "01"),  # payload format indicator
            _tlv("01", "12"),  # dynamic: one payment, one amount
            _tlv("26", _tlv("00", "COM.PASAR.SANDBOX") + _tlv("01", payee.gateway[:25])),
            _tlv("52", "5399"),  # merchant category: general merchandise
            _tlv("53", _currency_number(request.currency)),
            _tlv("54", _amount(request.amount)),
            _tlv("58", request.country[:2].upper()),
            _tlv("59", payee.merchant[:25] or "Pasar Sandbox"),
            _tlv("60", "SANDBOX"),
            _tlv("62", _tlv("05", payee.provider_ref[:25])),
        )
    )
    unsigned = body + "6304"
    return unsigned + f"{crc16_ccitt(unsigned.encode('ascii', 'replace')):04X}"


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF), as EMVCo specifies."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def _currency_number(code: str) -> str:
    """ISO 4217 numeric code, as EMVCo tag 53 wants; "000" for a code moneyed lacks."""
    currency = moneyed.CURRENCIES.get(code.upper())
    return currency.numeric if currency is not None and currency.numeric else "000"


def _amount(amount: Decimal) -> str:
    return decimal_text(amount)
