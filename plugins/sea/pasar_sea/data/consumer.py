"""Return windows and price display per country (REGIONS §6).

No served country has a statutory online cooling-off except Thailand's Direct Sales and Direct
Marketing Act, so the others use the platform norm. Every market shows tax-inclusive prices
(pitfall 4; Singapore by law [S41]). The tax's short name is what buyers read next to a price:
VAT (Indonesia's PPN, Thailand, Vietnam, the Philippines), Malaysia's SST, Singapore's GST.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from pasar.contracts import ConsumerRules

from pasar_sea.messages import N_

RULES: Mapping[str, ConsumerRules] = MappingProxyType(
    {
        # Return/refund request up to 6 days after receipt (TikTok Shop by Tokopedia) [S118].
        "ID": ConsumerRules(
            country="ID",
            return_window_days=6,
            return_window_basis="platform",
            price_display="inclusive",
            tax_label=N_("VAT"),
            source=("S118",),
        ),
        # Direct Sales and Direct Marketing Act B.E. 2545: cancel within 7 days of receipt, the
        # seller refunds within 15 days (the law exists; the day counts are unverified); the
        # platform's window is 7 days too [S119][S120][S121].
        "TH": ConsumerRules(
            country="TH",
            return_window_days=7,
            return_window_basis="statutory",
            price_display="inclusive",
            tax_label=N_("VAT"),
            refund_deadline_days=15,
            source=("S119", "S120", "S121"),
        ),
        # 15 days after delivery, the current platform policy (an older page said 6) [S122].
        "VN": ConsumerRules(
            country="VN",
            return_window_days=15,
            return_window_basis="platform",
            price_display="inclusive",
            tax_label=N_("VAT"),
            source=("S122",),
        ),
        # MY, PH, SG: no statutory cooling-off found; 7 days is the platform norm (unverified).
        "MY": ConsumerRules(
            country="MY",
            return_window_days=7,
            return_window_basis="platform",
            price_display="inclusive",
            tax_label=N_("SST"),
        ),
        "PH": ConsumerRules(
            country="PH",
            return_window_days=7,
            return_window_basis="platform",
            price_display="inclusive",
            tax_label=N_("VAT"),
        ),
        "SG": ConsumerRules(
            country="SG",
            return_window_days=7,
            return_window_basis="platform",
            price_display="inclusive",
            tax_label=N_("GST"),
            source=("S41", "S42"),
        ),
    }
)


def rules_for(country: str, on: date) -> ConsumerRules | None:
    """The rules on ``on``. None of these markets has a dated change in REGIONS, so every
    date gets the same answer; the parameter is where a future change would be decided."""
    return RULES.get(country)
