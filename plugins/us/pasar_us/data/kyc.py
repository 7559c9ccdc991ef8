"""What a seller gives to open a shop in the US. REGIONS.md has no KYC section: the fields are
the usual US business identifiers, not regional facts with a source.

* EIN: the IRS Employer Identification Number, nine digits written ``12-3456789``.
* State of incorporation (or organisation, for an LLC): a USPS state code.
* A state sales tax permit is optional: under marketplace-facilitator laws the platform
  collects sales tax on marketplace sales, so a seller needs a permit only for other sales.
* Documents: the IRS letter confirming the EIN, a Form W-9 (the payer's record for 1099-K
  reporting) and an owner's government photo ID.
"""
from __future__ import annotations

from pasar.contracts import KycField, KycRequirements

from pasar_us.data.states import STATE_NAMES
from pasar_us.i18n import N_

EIN_PATTERN = r"^\d{2}-\d{7}$"
STATE_PATTERN = "^(?:" + "|".join(sorted(STATE_NAMES)) + ")$"
SALES_TAX_PERMIT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{3,19}$"

US_KYC = KycRequirements(
    country="US",
    fields=(
        KycField(
            name="ein",
            label=N_("Employer Identification Number (EIN)"),
            pattern=EIN_PATTERN,
            help=N_("The nine-digit number the IRS assigned to your business, as 12-3456789."),
        ),
        KycField(
            name="state_of_incorporation",
            label=N_("State of incorporation"),
            pattern=STATE_PATTERN,
            help=N_(
                "The two-letter code of the state where your business is incorporated or "
                "organized, for example DE or CA."
            ),
        ),
        KycField(
            name="sales_tax_permit",
            label=N_("Sales tax permit number"),
            pattern=SALES_TAX_PERMIT_PATTERN,
            required=False,
            help=N_(
                "Optional. The marketplace collects sales tax on your marketplace orders; add "
                "your state permit if you also sell elsewhere."
            ),
        ),
    ),
    documents=("ein_confirmation_letter", "form_w9", "government_id"),
)
