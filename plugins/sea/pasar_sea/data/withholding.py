"""Income tax (and VN VAT) a marketplace withholds from sellers' turnover (REGIONS §2a,
pitfall 8). Each rule says from when it applies, to which sellers, and what exempts them.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from pasar.contracts import WithholdingContext


@dataclass(frozen=True)
class WithholdingRule:
    """One levy: ``rate`` is effective on the gross turnover (tax excluded)."""

    country: str
    name: str
    rule: str
    rate: Decimal
    valid_from: date
    source: tuple[str, ...]
    applies: Callable[[WithholdingContext], bool]


def _id_pph22_applies(context: WithholdingContext) -> bool:
    """Domestic sellers, unless turnover ≤ IDR 500 M *and* the seller filed the statement."""
    small = context.annual_turnover <= Decimal(500_000_000)
    return context.seller_resident and not (small and context.exemption_statement)


def _ph_applies(context: WithholdingContext) -> bool:
    """Sellers whose gross remittances this year exceed PHP 500,000."""
    return context.annual_turnover > Decimal(500_000)


def _vn_small_seller(context: WithholdingContext) -> bool:
    """Household and individual sellers; a business files its own returns."""
    return context.seller_kind in ("household", "individual")


def _vn_resident(context: WithholdingContext) -> bool:
    return _vn_small_seller(context) and context.seller_resident


def _vn_non_resident(context: WithholdingContext) -> bool:
    return _vn_small_seller(context) and not context.seller_resident


_VN_SOURCE = ("S31", "S32")
_VN_FROM = date(2025, 7, 1)

RULES: Mapping[str, tuple[WithholdingRule, ...]] = MappingProxyType(
    {
        # PMK 37/2025 from 14 Jul 2025: appointed marketplaces withhold PPh 22 of 0.5% of a
        # domestic seller's gross turnover (VAT/PPnBM excluded); turnover ≤ IDR 500 M is exempt
        # with a statement (thresholds from PER-15/PJ/2025) [S14][S15].
        "ID": (
            WithholdingRule(
                country="ID",
                name="PPh 22",
                rule="ID PMK 37/2025: PPh 22 0.5% of gross turnover",
                rate=Decimal("0.005"),
                valid_from=date(2025, 7, 14),
                source=("S14", "S15"),
                applies=_id_pph22_applies,
            ),
        ),
        # RR 16-2023 (effective Jan 2024; the day is not given, so the 1st): 1% on half of the
        # gross remittances, 0.5% effective, for sellers above PHP 500,000 a year [S38][S39].
        "PH": (
            WithholdingRule(
                country="PH",
                name="Creditable withholding tax",
                rule="PH RR 16-2023: 1% of ½ of gross remittances",
                rate=Decimal("0.005"),
                valid_from=date(2024, 1, 1),
                source=("S38", "S39"),
                applies=_ph_applies,
            ),
        ),
        # Decree 117/2025 from 1 Jul 2025: platforms with a payment function withhold per
        # transaction for household and individual sellers of goods: VAT 1% and PIT 0.5%
        # (resident) or 1% (non-resident). Household exemption thresholds are unverified, so
        # none is applied [S31][S32].
        "VN": (
            WithholdingRule(
                country="VN",
                name="VAT",
                rule="VN Decree 117/2025: VAT 1% on goods (household/individual seller)",
                rate=Decimal("0.01"),
                valid_from=_VN_FROM,
                source=_VN_SOURCE,
                applies=_vn_small_seller,
            ),
            WithholdingRule(
                country="VN",
                name="PIT",
                rule="VN Decree 117/2025: PIT 0.5% on goods (resident seller)",
                rate=Decimal("0.005"),
                valid_from=_VN_FROM,
                source=_VN_SOURCE,
                applies=_vn_resident,
            ),
            WithholdingRule(
                country="VN",
                name="PIT",
                rule="VN Decree 117/2025: PIT 1% on goods (non-resident seller)",
                rate=Decimal("0.01"),
                valid_from=_VN_FROM,
                source=_VN_SOURCE,
                applies=_vn_non_resident,
            ),
        ),
    }
)


def rules_applying(context: WithholdingContext) -> tuple[WithholdingRule, ...]:
    """The rules in force on ``context.on`` that apply to this seller."""
    return tuple(
        rule
        for rule in RULES.get(context.country, ())
        if context.on >= rule.valid_from and rule.applies(context)
    )
