"""How sellers' bank accounts look in each country, for the sandbox payout providers.

REGIONS has no banking formats; these are the usual domestic shapes (unverified here) and
serve to refuse obvious typos before money moves: the account number and the bank
identifier a domestic transfer needs.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pasar_sea.messages import N_

_BIC = r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?"


@dataclass(frozen=True)
class AccountFormat:
    account_pattern: str
    bank_code_pattern: str
    account_label: str


FORMATS: Mapping[str, AccountFormat] = MappingProxyType(
    {
        # 10 (BCA, BNI) to 15 (BRI) digits; 3-digit bank code used by SKN/BI-FAST (BCA 014).
        "ID": AccountFormat(r"\d{10,15}", r"\d{3}", N_("bank account number")),
        # 10 to 16 digits; banks are identified by SWIFT BIC for DuitNow/IBG transfers.
        "MY": AccountFormat(r"\d{10,16}", _BIC, N_("bank account number")),
        # 10 digits at most banks, 12 at a few; 3-digit bank code (Kasikornbank 004).
        "TH": AccountFormat(r"\d{10,12}", r"\d{3}", N_("bank account number")),
        # 6 to 19 digits; 6-digit NAPAS bank BIN (Vietcombank 970436).
        "VN": AccountFormat(r"\d{6,19}", r"\d{6}", N_("bank account number")),
        # 10 to 16 digits; SWIFT BIC for InstaPay/PESONet.
        "PH": AccountFormat(r"\d{10,16}", _BIC, N_("bank account number")),
        # 7 to 14 digits; 4-digit bank code (DBS 7171).
        "SG": AccountFormat(r"\d{7,14}", r"\d{4}", N_("bank account number")),
    }
)


def payout_code(country: str) -> str:
    return f"sandbox_payouts_{country.lower()}"
