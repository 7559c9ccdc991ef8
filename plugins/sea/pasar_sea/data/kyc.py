"""What a seller gives to open a shop, per country, with the format each number has.

REGIONS does not cover seller registration, so these formats are the registries' published
number shapes (unverified here) and carry no source ID. Patterns are meant for a whole-value
match (alternatives are grouped, so ``^...$`` anchoring works too), digits only unless the
registry's own format has letters or a dash.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pasar.contracts import KycField, KycRequirements
from pasar_sea.messages import N_

REQUIREMENTS: Mapping[str, KycRequirements] = MappingProxyType(
    {
        "ID": KycRequirements(
            country="ID",
            fields=(
                KycField(
                    name="nib",
                    label=N_("Business identification number (NIB)"),
                    pattern=r"\d{13}",
                    help=N_("The 13-digit NIB issued through OSS."),
                ),
                KycField(
                    name="npwp",
                    label=N_("Taxpayer identification number (NPWP)"),
                    # 15 digits (the old format) or 16 (the NIK-based format since 2024).
                    pattern=r"\d{15,16}",
                    help=N_("15 or 16 digits, without dots or dashes."),
                ),
            ),
            documents=("business_licence", "tax_certificate", "owner_identity_card"),
        ),
        "MY": KycRequirements(
            country="MY",
            fields=(
                KycField(
                    name="ssm_registration_number",
                    label=N_("SSM registration number"),
                    # The 12-digit format since 2019: year, entity type and a serial.
                    pattern=r"\d{12}",
                    help=N_("The 12-digit number on your SSM certificate, e.g. 202001012345."),
                ),
            ),
            documents=("ssm_certificate", "owner_identity_card"),
        ),
        "TH": KycRequirements(
            country="TH",
            fields=(
                KycField(
                    name="tax_id",
                    label=N_("Tax identification number"),
                    pattern=r"\d{13}",
                    help=N_("The 13-digit tax ID of the business or of the owner."),
                ),
            ),
            documents=("company_affidavit", "owner_identity_card"),
        ),
        "VN": KycRequirements(
            country="VN",
            fields=(
                KycField(
                    name="tax_code",
                    label=N_("Tax code (MST)"),
                    # 10 digits, or 13 for a branch: the parent's 10, a dash, 3 more.
                    pattern=r"\d{10}(?:-?\d{3})?",
                    help=N_("10 digits, or 13 digits for a branch (e.g. 0123456789-001)."),
                ),
            ),
            documents=("business_registration_certificate", "owner_identity_card"),
        ),
        "PH": KycRequirements(
            country="PH",
            fields=(
                KycField(
                    name="tin",
                    label=N_("Taxpayer identification number (TIN)"),
                    # 9 digits, with the branch code up to 12.
                    pattern=r"\d{9,12}",
                    help=N_("9 to 12 digits, without dashes."),
                ),
                KycField(
                    name="business_registration",
                    label=N_("DTI or SEC registration number"),
                    pattern=r"[A-Z0-9][A-Z0-9-]{4,19}",
                    help=N_(
                        "DTI business name number for sole proprietors, SEC registration "
                        "number for partnerships and corporations."
                    ),
                ),
            ),
            documents=("dti_or_sec_certificate", "bir_certificate_of_registration"),
        ),
        "SG": KycRequirements(
            country="SG",
            fields=(
                KycField(
                    name="uen",
                    label=N_("Unique Entity Number (UEN)"),
                    # Businesses: 8 digits + letter; local companies: year + 5 digits + letter;
                    # other entities: T/S/R + 2-digit year + 2-letter type + 4 digits + letter.
                    pattern=r"(?:\d{8,9}[A-Z]|[RST]\d{2}[A-Z]{2}\d{4}[A-Z])",
                    help=N_("As issued by ACRA, e.g. 53412345D or 201912345K."),
                ),
            ),
            documents=("acra_business_profile",),
        ),
    }
)


def requirements_for(country: str) -> KycRequirements | None:
    return REQUIREMENTS.get(country)
