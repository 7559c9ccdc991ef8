"""Consumer-law rules for orders and returns (REGIONS §6).

EU: Consumer Rights Directive 2011/83 Art. 9-16 gives 14 days to withdraw, counted from the
day the consumer takes physical possession of the goods, and the trader refunds within 14 days
of the withdrawal [S108][S109][S110][S114]. Omnibus Art. 6a of the Price Indication Directive
(in force since 2022-05-28) makes an announced price reduction show the lowest price of at
least the 30 days before it [S115][S116][S117]. From 2026-06-19 online traders need a
withdrawal button (Art. 11a, Directive 2023/2673) [S111][S112][S113]. Prices include VAT
[S55].

UK: the Consumer Contracts Regulations 2013 give the same 14 days [S108]; the 14-day refund
deadline is in REGIONS as "unverified detail". The UK has no statutory prior-price rule.
"""
from __future__ import annotations

from datetime import date

from pasar.contracts import ConsumerRules

from pasar_ukeu.data.countries import EU_SERVED
from pasar_ukeu.messages import N_

WITHDRAWAL_DAYS = 14
REFUND_DEADLINE_DAYS = 14
#: The tax's short name next to a price, translated by the catalogs (German "MwSt.", French
#: "TVA", Spanish and Italian "IVA", Dutch "btw"); the UK and every EU country call it VAT.
TAX_LABEL = N_("VAT")
PRIOR_PRICE_DAYS = 30
OMNIBUS_APPLIES_FROM = date(2022, 5, 28)
WITHDRAWAL_BUTTON_FROM = date(2026, 6, 19)

_EU_SOURCE = (
    "S55", "S108", "S109", "S110", "S111", "S112", "S113", "S114", "S115", "S116", "S117",
)


def rules_for(country: str, on: date) -> ConsumerRules | None:
    """The rules in force in ``country`` on ``on``; ``None`` for a country not served."""
    if country == "GB":
        return ConsumerRules(
            country="GB",
            return_window_days=WITHDRAWAL_DAYS,
            return_window_basis="statutory",
            price_display="inclusive",
            tax_label=TAX_LABEL,
            refund_deadline_days=REFUND_DEADLINE_DAYS,
            source=("S108",),
        )
    if country in EU_SERVED:
        return ConsumerRules(
            country=country,
            return_window_days=WITHDRAWAL_DAYS,
            return_window_basis="statutory",
            price_display="inclusive",
            tax_label=TAX_LABEL,
            refund_deadline_days=REFUND_DEADLINE_DAYS,
            prior_price_days=PRIOR_PRICE_DAYS if on >= OMNIBUS_APPLIES_FROM else None,
            withdrawal_button_from=WITHDRAWAL_BUTTON_FROM,
            source=_EU_SOURCE,
        )
    return None
