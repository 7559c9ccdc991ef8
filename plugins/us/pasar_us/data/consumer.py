"""Order and return rules in the US (REGIONS.md §6, all unverified there).

There is no federal cooling-off right for online purchases (the FTC Cooling-Off Rule covers
door-to-door sales), so the return window is the platform's own policy, as on TikTok Shop US.
REGIONS gives no day count: 30 days is this plugin's chosen platform default, and an operator
who wants another window changes it here. Prices are shown without sales tax (§2b) and no
prior-price rule applies. Buyers read "plus sales tax" next to a price. The row has no source
ID in REGIONS, so ``source`` stays empty.
"""
from __future__ import annotations

from pasar.contracts import ConsumerRules

from pasar_us.i18n import N_

PLATFORM_RETURN_DAYS = 30

US_CONSUMER_RULES = ConsumerRules(
    country="US",
    return_window_days=PLATFORM_RETURN_DAYS,
    return_window_basis="platform",
    price_display="exclusive",
    refund_deadline_days=None,
    prior_price_days=None,
    withdrawal_button_from=None,
    tax_label=N_("sales tax"),  # "plus sales tax" next to a price; es_US reads it in Spanish
)
