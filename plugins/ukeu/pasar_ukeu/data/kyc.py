"""What a seller gives to open a shop in each market: the business register number and the VAT
number, with the formats the registers publish. REGIONS.md does not cover seller registration,
so these carry no source ID; the formats are the registers' own.

The register number is required: it identifies the business in a public register an operator
can check. A VAT number is optional where small businesses may trade without one (the UK below
the registration threshold, DE Kleinunternehmer, FR franchise en base, IE below the threshold).
It is required where it is the business's tax identity (Italy's Partita IVA, Spain's NIF) or
issued to every entrepreneur (the Dutch btw-id).
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pasar.contracts import KycField, KycRequirements

from pasar_ukeu.messages import N_

_ID_AND_ADDRESS = ("representative_id", "proof_of_address")


def _kyc(country: str, register_document: str, *fields: KycField) -> KycRequirements:
    return KycRequirements(country, fields, (register_document, *_ID_AND_ADDRESS))


KYC: Mapping[str, KycRequirements] = MappingProxyType(
    {
        "GB": _kyc(
            "GB",
            "certificate_of_incorporation",
            KycField(
                "companies_house_number",
                N_("Companies House company number"),
                r"^(?:\d{8}|[A-Z]{2}\d{6})$",
                help=N_("8 characters: 8 digits, or 2 letters and 6 digits (e.g. SC123456)."),
            ),
            KycField(
                "vat_number",
                N_("VAT registration number"),
                r"^GB\d{9}$",
                required=False,
                help=N_("GB followed by 9 digits, if the business is registered for VAT."),
            ),
        ),
        "DE": _kyc(
            "DE",
            "commercial_register_extract",
            KycField(
                "handelsregister_number",
                N_("Commercial register number (Handelsregister)"),
                r"^(?:HRA|HRB|GnR|PR|VR)\s?\d{1,6}(?:\s?[A-Z]{1,2})?$",
                help=N_("Register section and number, e.g. HRB 123456."),
            ),
            KycField(
                "register_court",
                N_("Register court"),
                r"^[A-Za-zÄÖÜäöüß .()/-]{2,80}$",
                help=N_("The local court keeping the register, e.g. Amtsgericht München."),
            ),
            KycField(
                "ust_idnr",
                N_("VAT identification number (USt-IdNr.)"),
                r"^DE\d{9}$",
                required=False,
                help=N_("DE followed by 9 digits, if the business has one."),
            ),
        ),
        "FR": _kyc(
            "FR",
            "kbis_extract",
            KycField(
                "siren_siret",
                N_("SIREN or SIRET number"),
                r"^(?:\d{9}|\d{14})$",
                help=N_("The 9-digit SIREN or the 14-digit SIRET of the establishment."),
            ),
            KycField(
                "tva_number",
                N_("Intra-community VAT number"),
                r"^FR[0-9A-HJ-NP-Z]{2}\d{9}$",
                required=False,
                help=N_("FR, a 2-character key and the 9-digit SIREN, if the business has one."),
            ),
        ),
        "ES": _kyc(
            "ES",
            "nif_certificate",
            KycField(
                "nif",
                N_("Tax identification number (NIF)"),
                r"^(?:\d{8}[A-Z]|[XYZ]\d{7}[A-Z]|[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J])$",
                help=N_(
                    "A company's NIF (a letter, 7 digits and a check character) or a sole "
                    "trader's DNI or NIE."
                ),
            ),
        ),
        "IT": _kyc(
            "IT",
            "chamber_of_commerce_certificate",
            KycField(
                "partita_iva",
                N_("VAT number (Partita IVA)"),
                r"^\d{11}$",
                help=N_("11 digits."),
            ),
            KycField(
                "sdi_code",
                N_("E-invoicing recipient code (SDI)"),
                r"^[A-Z0-9]{7}$",
                required=False,
                help=N_(
                    "7 characters; leave it empty to receive invoices by certified email (PEC)."
                ),
            ),
        ),
        "IE": _kyc(
            "IE",
            "certificate_of_incorporation",
            KycField(
                "cro_number",
                N_("Companies Registration Office (CRO) number"),
                r"^\d{1,6}$",
                help=N_("Up to 6 digits."),
            ),
            KycField(
                "vat_number",
                N_("VAT registration number"),
                r"^IE(?:\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$",
                required=False,
                help=N_("IE followed by 8 or 9 characters, if the business is registered for VAT."),
            ),
        ),
        "NL": _kyc(
            "NL",
            "kvk_extract",
            KycField(
                "kvk_number",
                N_("Chamber of Commerce (KvK) number"),
                r"^\d{8}$",
                help=N_("8 digits."),
            ),
            KycField(
                "btw_id",
                N_("VAT identification number (btw-id)"),
                r"^NL\d{9}B\d{2}$",
                help=N_("NL, 9 digits, the letter B and 2 digits, e.g. NL123456789B01."),
            ),
        ),
    }
)
