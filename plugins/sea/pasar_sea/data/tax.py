"""Consumer-tax rates per country and kernel tax category, with the dates they are in force.

Every served country answers every category of ``pasar.contracts.TAX_CATEGORIES``. A country
has dated periods (``valid_from``/``valid_to``, both inclusive) and a *statutory* table that
answers any date no period covers — so a date before or after every known period still gets the
rate the law states (TH 10% after the 7% decree lapses, VN 10% after the 8% cut ends).

The kernel's ``food`` category is groceries. Where REGIONS says basic or unprocessed foodstuffs
are exempt (ID basic necessities such as rice [S12]; PH basic unprocessed food and TH
unprocessed agricultural products, both unverified; MY's 0% list of chicken, fish, vegetables,
rice, flour, sugar, bread, milk, cooking oil [S19][S20]) ``food`` maps to that exemption.
Processed, packaged or prepared food is not a basic necessity: sellers must list it as
``standard``.

Cross-border rules that move the tax to the marketplace (MY LVG, SG OVR, PH digital services,
ID consignment imports) are :class:`MarketplaceRule` values; thresholds are per item where the
rule says so (REGIONS pitfall 7: SG S$400 and MY RM 500 are per item).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Literal

from pasar.contracts import TAX_CATEGORIES

ONE = Fraction(1)


@dataclass(frozen=True)
class Rate:
    """One tax treatment: the nominal rate, the share of the price it is levied on, and why.

    ``dpp_factor`` is Indonesia's *Dasar Pengenaan Pajak* (PMK 131/2024): 12% is levied on
    11/12 of the selling price for everything except PPnBM goods, so the effective rate is 11%
    without ever writing 11% down (REGIONS pitfall 6).
    """

    tax: str  # "PPN", "VAT", "GST", "sales tax", "service tax"
    nominal: Decimal
    treatment: str  # e.g. "standard", "exempt: basic necessities", "temporary reduced rate"
    source: tuple[str, ...]
    dpp_factor: Fraction = ONE

    @property
    def effective(self) -> Decimal:
        """The rate on the price net of tax: ``nominal × dpp_factor`` computed exactly."""
        return self.nominal * self.dpp_factor.numerator / self.dpp_factor.denominator

    def describe(self) -> str:
        """E.g. ``"PPN 12% × DPP 11/12"`` or ``"VAT 7%"``."""
        percent = f"{(self.nominal * 100).normalize():f}%"
        if self.dpp_factor == ONE:
            return f"{self.tax} {percent}"
        return f"{self.tax} {percent} × DPP {self.dpp_factor}"


@dataclass(frozen=True)
class RatePeriod:
    """The rates of every category between two dates (inclusive; ``None`` = open)."""

    valid_from: date | None
    valid_to: date | None
    rates: Mapping[str, Rate]

    def covers(self, on: date) -> bool:
        after_start = self.valid_from is None or on >= self.valid_from
        before_end = self.valid_to is None or on <= self.valid_to
        return after_start and before_end


@dataclass(frozen=True)
class Schedule:
    """A country's dated periods and the statutory table that answers any other date."""

    country: str
    periods: tuple[RatePeriod, ...]
    statutory: Mapping[str, Rate]

    def rates_on(self, on: date) -> Mapping[str, Rate]:
        period = next((p for p in self.periods if p.covers(on)), None)
        return self.statutory if period is None else period.rates


@dataclass(frozen=True)
class MarketplaceRule:
    """A rule that makes the marketplace collect the tax on cross-border sales.

    ``scope`` says which lines it looks at: ``imported_goods`` (physical goods shipped from
    outside the country) or ``foreign_digital`` (digital products from a seller established
    abroad). A line in scope but above ``max_unit_price`` (per item), or bought by a business
    when the rule is B2C only, is not taxed at checkout: ``outside_rule`` says where it is taxed
    instead (at the border, or reverse-charged by the buyer).
    """

    country: str
    name: str
    scope: Literal["imported_goods", "foreign_digital"]
    source: tuple[str, ...]
    valid_from: date | None = None
    max_unit_price: Decimal | None = None
    b2c_only: bool = False
    rate: Rate | None = None  # None: the destination's own rate for the category
    outside_rule: str = ""
    excluded_categories: frozenset[str] = field(default_factory=frozenset)

    def in_force(self, on: date) -> bool:
        return self.valid_from is None or on >= self.valid_from


def _table(default: Rate, **overrides: Rate) -> Mapping[str, Rate]:
    """A rate for every kernel category: ``default`` unless overridden by category name."""
    unknown = set(overrides) - set(TAX_CATEGORIES)
    if unknown:
        raise ValueError(f"not kernel tax categories: {sorted(unknown)}")
    return MappingProxyType({c: overrides.get(c, default) for c in TAX_CATEGORIES})


# --- Indonesia -------------------------------------------------------------------------------
# PMK 131/2024, in force 1 Jan 2025: PPN 12% on DPP = 11/12 of the price (11% effective) for
# everything except PPnBM luxury goods, which pay 12% on the full price [S11][S12][S13].
# REGIONS has no earlier rates, so dates before 2025 fall back to this same regime.
_ID_SOURCE = ("S11", "S12", "S13")
_ID_STANDARD = Rate("PPN", Decimal("0.12"), "standard", _ID_SOURCE, dpp_factor=Fraction(11, 12))
_ID_RATES = _table(
    _ID_STANDARD,
    food=Rate("PPN", Decimal(0), "exempt: basic necessities", ("S12",)),
    luxury=Rate("PPN", Decimal("0.12"), "PPnBM goods, full base", _ID_SOURCE),
)
ID_SCHEDULE = Schedule(
    country="ID",
    periods=(RatePeriod(date(2025, 1, 1), None, _ID_RATES),),
    statutory=_ID_RATES,
)

# --- Malaysia --------------------------------------------------------------------------------
# SST is not a VAT: sales tax is single-stage (manufacturer/importer) and embedded in the shelf
# price; the marketplace quote shows the sales tax the price carries. Expanded schedule in
# force 1 Jul 2025 [S19][S20]: 0% for basic food, medicine, books/journals/newspapers; 5% for
# e.g. smartphones, silk, imported fruit; 10% (the general rate) for other goods, e.g. leather
# goods, alcohol, antique art. The 5% goods have no kernel category of their own, so they are
# quoted at the general rate. Digital products are a service: service tax 8% [S19].
# REGIONS has no pre-expansion table, so earlier dates use the same one.
_MY_SOURCE = ("S19", "S20")
_MY_RATES = _table(
    Rate("sales tax", Decimal("0.10"), "general rate", _MY_SOURCE),
    books=Rate("sales tax", Decimal(0), "exempt: books, journals, newspapers", _MY_SOURCE),
    food=Rate("sales tax", Decimal(0), "exempt: basic foodstuffs", _MY_SOURCE),
    medicine=Rate("sales tax", Decimal(0), "exempt: medicine", _MY_SOURCE),
    digital=Rate("service tax", Decimal("0.08"), "digital services", ("S19",)),
)
MY_SCHEDULE = Schedule(
    country="MY",
    periods=(RatePeriod(date(2025, 7, 1), None, _MY_RATES),),
    statutory=_MY_RATES,
)

# --- Thailand --------------------------------------------------------------------------------
# VAT 7% (6.3% + 0.7% local) by royal decree up to and including 30 Sep 2026; the statutory
# rate of 10% applies from 1 Oct 2026 and to any date the decree does not cover [S24][S25].
# Unprocessed agricultural products and newspapers/textbooks are exempt (unverified).
_TH_SOURCE = ("S24", "S25")
_TH_FOOD_EXEMPT = Rate("VAT", Decimal(0), "exempt: unprocessed agricultural products", ())
_TH_BOOKS_EXEMPT = Rate("VAT", Decimal(0), "exempt: newspapers and textbooks", ())
TH_SCHEDULE = Schedule(
    country="TH",
    periods=(
        RatePeriod(
            None,
            date(2026, 9, 30),
            _table(
                Rate("VAT", Decimal("0.07"), "reduced by royal decree", _TH_SOURCE),
                food=_TH_FOOD_EXEMPT,
                books=_TH_BOOKS_EXEMPT,
            ),
        ),
    ),
    statutory=_table(
        Rate("VAT", Decimal("0.10"), "statutory rate", _TH_SOURCE),
        food=_TH_FOOD_EXEMPT,
        books=_TH_BOOKS_EXEMPT,
    ),
)

# --- Vietnam ---------------------------------------------------------------------------------
# VAT 10%, cut to 8% from 1 Jul 2025 to 31 Dec 2026 for goods normally at 10%. SCT (special
# consumption tax) goods are excluded from the cut, so ``luxury`` stays at 10%; telecoms,
# finance, real estate, metals and mining are excluded too but are not kernel categories
# [S28][S29][S30]. The 5% band and exemptions exist but their detail is unverified, so no
# kernel category is mapped to them.
_VN_SOURCE = ("S28", "S29", "S30")
_VN_STANDARD = Rate("VAT", Decimal("0.10"), "standard", _VN_SOURCE)
VN_SCHEDULE = Schedule(
    country="VN",
    periods=(
        RatePeriod(
            date(2025, 7, 1),
            date(2026, 12, 31),
            _table(
                Rate("VAT", Decimal("0.08"), "temporary 2-point cut", _VN_SOURCE),
                luxury=Rate("VAT", Decimal("0.10"), "SCT goods, excluded from the cut", _VN_SOURCE),
            ),
        ),
    ),
    statutory=_table(_VN_STANDARD),
)

# --- Philippines -----------------------------------------------------------------------------
# VAT 12% [S35]. Books and basic unprocessed food are VAT-exempt under NIRC s. 109
# (unverified).
_PH_RATES = _table(
    Rate("VAT", Decimal("0.12"), "standard", ("S35",)),
    books=Rate("VAT", Decimal(0), "exempt: books", ()),
    food=Rate("VAT", Decimal(0), "exempt: basic unprocessed food", ()),
)
PH_SCHEDULE = Schedule(country="PH", periods=(), statutory=_PH_RATES)

# --- Singapore -------------------------------------------------------------------------------
# GST 9% since 1 Jan 2024, no reduced rates for goods; prices must be shown GST-inclusive
# [S40][S41]. REGIONS gives no earlier rate, so earlier dates use 9% too.
_SG_RATES = _table(Rate("GST", Decimal("0.09"), "standard", ("S40", "S41")))
SG_SCHEDULE = Schedule(
    country="SG",
    periods=(RatePeriod(date(2024, 1, 1), None, _SG_RATES),),
    statutory=_SG_RATES,
)

SCHEDULES: Mapping[str, Schedule] = MappingProxyType(
    {
        schedule.country: schedule
        for schedule in (
            ID_SCHEDULE, MY_SCHEDULE, TH_SCHEDULE, VN_SCHEDULE, PH_SCHEDULE, SG_SCHEDULE
        )
    }
)

# --- Cross-border rules that make the marketplace collect ------------------------------------
MARKETPLACE_RULES: tuple[MarketplaceRule, ...] = (
    # PMK 96/2023: for consignment goods bought through a PPMSE marketplace, the marketplace is
    # the importer, so it owes the import PPN [S17]. No value threshold for the tax itself.
    MarketplaceRule(
        country="ID",
        name="ID PMK 96/2023: the marketplace is the importer of consignment goods",
        scope="imported_goods",
        source=("S17",),
    ),
    # LVG sales tax 10% from 1 Jan 2024 on goods of at most RM 500 per item sold online and
    # brought in by land, sea or air; charged on the sale value without shipping and insurance;
    # the registered marketplace collects. Tobacco, e-cigarettes and liquor are excluded but
    # have no kernel category [S21][S22][S23].
    MarketplaceRule(
        country="MY",
        name="MY LVG sales tax 10% on imported goods ≤ RM 500 per item",
        scope="imported_goods",
        source=("S21", "S22", "S23"),
        valid_from=date(2024, 1, 1),
        max_unit_price=Decimal(500),
        rate=Rate("LVG sales tax", Decimal("0.10"), "low-value goods", ("S21", "S22", "S23")),
        outside_rule="MY import sales tax at customs: item above RM 500",
    ),
    # OVR from 1 Jan 2023: B2C goods of at most S$400 per item imported by air or post; the
    # electronic-marketplace operator is the deemed supplier and charges GST at checkout.
    # Dearer items pay import GST at the border [S43][S44][S45].
    MarketplaceRule(
        country="SG",
        name="SG OVR: marketplace deemed supplier of imported goods ≤ S$400 per item",
        scope="imported_goods",
        source=("S43", "S44", "S45"),
        valid_from=date(2023, 1, 1),
        max_unit_price=Decimal(400),
        b2c_only=True,
        outside_rule="SG import GST at the border: item above S$400 or business buyer",
    ),
    # OVR also covers B2C remote services sold through a marketplace by overseas vendors
    # [S43][S44][S45]; REGIONS dates only the 2023 extension, so that date is used.
    MarketplaceRule(
        country="SG",
        name="SG OVR: marketplace deemed supplier of remote digital services",
        scope="foreign_digital",
        source=("S43", "S44", "S45"),
        valid_from=date(2023, 1, 1),
        b2c_only=True,
        outside_rule="SG GST on imported services: reverse-charged by the business buyer",
    ),
    # RA 12023 / RR 3-2025: VAT 12% on digital services of non-resident providers, for which an
    # online marketplace is liable, from 1-2 Jun 2025 [S35][S36][S37].
    MarketplaceRule(
        country="PH",
        name="PH RA 12023: marketplace liable for VAT on non-resident digital services",
        scope="foreign_digital",
        source=("S35", "S36", "S37"),
        valid_from=date(2025, 6, 1),
        b2c_only=True,
        outside_rule="PH VAT on digital services: reverse-charged by the business buyer",
    ),
)
