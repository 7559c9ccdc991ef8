"""Who owes the VAT when a marketplace sells for a third party (REGIONS §2a UK row, §2c).

UK [S48][S49][S50]: since 2021-01-01 an online marketplace is the deemed supplier for
consignments of at most £135 (intrinsic value of the whole consignment) shipped from outside
the UK, and for goods of any value already in the UK sold by overseas sellers. A business
buyer with a UK VAT number accounts for the VAT itself (reverse charge). The £135 customs-duty
relief is to end by March 2029 [S51][S52]; that is customs duty, not VAT, and has no fixed
date yet, so it is not modelled.

EU (VAT Directive Art. 14a, REGIONS §2c; "well established" though REGIONS found no source
page): a marketplace is the deemed supplier for distance sales of goods imported in
consignments of at most €150 (IOSS) and for supplies inside the EU by non-EU sellers. Art. 14a
covers supplies to consumers only, so a business buyer never triggers it. From 2026-07-01 a
flat €3 customs duty per tariff subheading applies to parcels under €150 sent direct to EU
consumers [S64][S65][S66]; it is customs duty, not VAT, so it is named in the rule and left
out of the VAT amounts. Its end (about 2028-07-01, when the EU Customs Data Hub arrives) is
only approximate, so it has no end date here.

Intra-EU distance sales (an EU seller shipping from another member state) pay destination VAT
through OSS above €10,000 a year (unverified in REGIONS); the tax context carries no seller
turnover, so such baskets are taxed at the destination rate with the seller liable.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pasar_ukeu.data.countries import EU_MEMBER_STATES


@dataclass(frozen=True)
class DeemedSupplierRule:
    """A VAT area's marketplace rule: the import threshold per consignment and the rule texts."""

    area: frozenset[str]  # countries inside the VAT area
    currency: str
    consignment_threshold: Decimal  # imports at or below it: the marketplace owes the VAT
    import_rule: str
    overseas_seller_rule: str
    business_buyer_reverse_charge: str | None  # None: a business buyer changes nothing
    source: tuple[str, ...]


@dataclass(frozen=True)
class LowValueDuty:
    """A flat customs duty on low-value parcels; named in the rule, never added to VAT."""

    amount: Decimal
    currency: str
    below: Decimal  # applies to parcels whose value is under this
    valid_from: date
    note: str
    source: tuple[str, ...]

    def applies(self, on: date, consignment: Decimal) -> bool:
        return on >= self.valid_from and consignment < self.below


UK_RULE = DeemedSupplierRule(
    area=frozenset({"GB"}),
    currency="GBP",
    consignment_threshold=Decimal("135"),
    import_rule=(
        "UK online marketplace deemed supplier: imported consignment of £135 or less, "
        "VAT charged at the point of sale"
    ),
    overseas_seller_rule=(
        "UK online marketplace deemed supplier: goods in the UK sold by an overseas seller "
        "(any value)"
    ),
    business_buyer_reverse_charge=(
        "UK VAT reverse charge: the business buyer accounts for the VAT with its UK VAT number"
    ),
    source=("S48", "S49", "S50"),
)

EU_RULE = DeemedSupplierRule(
    area=EU_MEMBER_STATES,
    currency="EUR",
    consignment_threshold=Decimal("150"),
    import_rule=(
        "EU deemed supplier (VAT Directive Art. 14a(1)): imported consignment of €150 or less, "
        "destination VAT collected through IOSS"
    ),
    overseas_seller_rule=(
        "EU deemed supplier (VAT Directive Art. 14a(2)): non-EU seller, goods supplied within "
        "the EU"
    ),
    business_buyer_reverse_charge=None,
    source=(),  # REGIONS §2c: well established, no source page found
)

EU_LOW_VALUE_DUTY = LowValueDuty(
    amount=Decimal("3"),
    currency="EUR",
    below=Decimal("150"),
    valid_from=date(2026, 7, 1),
    note=(
        "from 2026-07-01 a €3 EU customs duty per tariff subheading also applies "
        "(customs duty, not VAT: not included in these amounts)"
    ),
    source=("S64", "S65", "S66"),
)
