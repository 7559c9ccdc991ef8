"""How sellers' bank accounts look in each market, for payouts.

EU sellers are paid by SEPA credit transfer to an IBAN, whose length and layout are fixed per
country by the IBAN registry (ISO 13616); the two check digits after the country code are
verified separately (mod 97). UK sellers are paid by Faster Payments to a six-digit sort code
plus an eight-digit account number. These formats are banking standards, not REGIONS facts.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class AccountFormat:
    provider: str  # sandbox payout provider code
    account_pattern: str
    account_label: str
    bank_code_pattern: str | None = None  # the UK sort code; IBANs carry their bank inside
    iban: bool = True


FORMATS: Mapping[str, AccountFormat] = MappingProxyType(
    {
        "GB": AccountFormat(
            "sandbox_faster_payments", r"\d{8}", "account number", r"\d{6}", iban=False
        ),
        "DE": AccountFormat("sandbox_sepa_de", r"DE\d{20}", "IBAN"),
        # bank (5) + branch (5) digits, account (11, letters allowed), RIB key (2 digits)
        "FR": AccountFormat("sandbox_sepa_fr", r"FR\d{12}[0-9A-Z]{11}\d{2}", "IBAN"),
        "ES": AccountFormat("sandbox_sepa_es", r"ES\d{22}", "IBAN"),
        # CIN letter, ABI (5) + CAB (5) digits, account (12, letters allowed)
        "IT": AccountFormat("sandbox_sepa_it", r"IT\d{2}[A-Z]\d{10}[0-9A-Z]{12}", "IBAN"),
        # bank (4 letters of the BIC), sort code (6) and account (8) digits
        "IE": AccountFormat("sandbox_sepa_ie", r"IE\d{2}[A-Z]{4}\d{14}", "IBAN"),
        "NL": AccountFormat("sandbox_sepa_nl", r"NL\d{2}[A-Z]{4}\d{10}", "IBAN"),
    }
)


def iban_checksum_valid(iban: str) -> bool:
    """ISO 13616 / ISO 7064 mod 97-10: move the first four characters to the end, turn letters
    into numbers (A=10 ... Z=35); a valid IBAN leaves remainder 1."""
    compact = iban.replace(" ", "").upper()
    if len(compact) < 5 or not (compact.isascii() and compact.isalnum()):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1
