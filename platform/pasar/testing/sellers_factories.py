"""Factory fixtures for the sellers domain's tests (and for tests of domains built on it).

``make_seller("uk")`` opens a shop through the real service — KYC values valid for the
tenant's country, a bank account its payout provider accepts, every required document — and
takes it to the status asked for through the real review transitions, so a shop made here is
exactly what a seller and an operator would have produced.
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pasar.accounts.models import Operator
from pasar.accounts.service import add_operator
from pasar.contracts import BankAccount
from pasar.sellers import service
from pasar.sellers.storage import DocumentStore
from pasar.tenancy.service import TenantContext
from pasar.testing.accounts_factories import default_password_hash, logins_for, tenant_context

#: KYC values each region plugin's patterns accept (see the plugins' ``data/kyc.py``).
EXAMPLE_KYC: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "ID": {"nib": "9120001234567", "npwp": "012345678901234"},
    "MY": {"ssm_registration_number": "202001012345"},
    "TH": {"tax_id": "0105558000001"},
    "VN": {"tax_code": "0123456789"},
    "PH": {"tin": "123456789", "business_registration": "CS201912345"},
    "SG": {"uen": "201912345K"},
    "GB": {"companies_house_number": "SC123456", "vat_number": "GB123456789"},
    "DE": {"handelsregister_number": "HRB 123456", "register_court": "Amtsgericht München"},
    "FR": {"siren_siret": "552100554"},
    "ES": {"nif": "B12345674"},
    "IT": {"partita_iva": "12345678901"},
    "IE": {"cro_number": "123456"},
    "NL": {"kvk_number": "12345678", "btw_id": "NL123456789B01"},
    "US": {"ein": "12-3456789", "state_of_incorporation": "DE"},
})

#: Bank accounts each country's sandbox payout provider accepts (valid IBAN check digits, a
#: routing number that passes the ABA check). None ends in 0000, the sandbox's closed account.
EXAMPLE_BANK_ACCOUNTS: Mapping[str, BankAccount] = MappingProxyType({
    "ID": BankAccount("PT Toko Contoh", "5271009384", "014"),
    "MY": BankAccount("Kedai Contoh Sdn Bhd", "5641203398", "MBBEMYKL"),
    "TH": BankAccount("Example Shop Co., Ltd.", "4067112358", "004"),
    "VN": BankAccount("Cửa hàng Ví dụ", "1029384756", "970436"),
    "PH": BankAccount("Example Shop Inc.", "3048571926", "BOPIPHMM"),
    "SG": BankAccount("Example Shop Pte Ltd", "7219034856", "7171"),
    "GB": BankAccount("Example Shop Ltd", "31926819", "402715"),
    "DE": BankAccount("Beispiel GmbH", "DE89370400440532013000"),
    "FR": BankAccount("Exemple SARL", "FR1420041010050500013M02606"),
    "ES": BankAccount("Ejemplo SL", "ES9121000418450200051332"),
    "IT": BankAccount("Esempio Srl", "IT60X0542811101000000123456"),
    "IE": BankAccount("Example Shop Ltd", "IE29AIBK93115212345678"),
    "NL": BankAccount("Voorbeeld BV", "NL91ABNA0417164300"),
    "US": BankAccount("Example Shop LLC", "4099876543", "011000015"),
})

#: The smallest valid PNG signature plus filler: what an accepted scan starts with.
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

STATUSES = ("pending", "approved", "rejected", "suspended")


@dataclass(frozen=True)
class SellerHandle:
    """A shop made for a test: its id, its owner and the owner's auth headers."""

    id: int
    user_id: int
    headers: dict[str, str]
    tenant: str  # tenant code


def registration_body(country: str, name: str = "Example Shop", **overrides: Any) -> dict[str, Any]:
    """A ``POST /api/v1/sellers`` body valid in ``country``."""
    account = EXAMPLE_BANK_ACCOUNTS[country]
    body: dict[str, Any] = {
        "name": name,
        "legal_name": f"{name} Holdings",
        "business_type": "company",
        "kyc": dict(EXAMPLE_KYC[country]),
        "bank_account": {"holder": account.holder, "number": account.number},
    }
    if account.bank_code:
        body["bank_account"]["bank_code"] = account.bank_code
    body.update(overrides)
    return body


class MakeSeller(Protocol):
    def __call__(self, tenant_code: str, status: str = "approved", name: str | None = None) -> SellerHandle: ...


def sellers_for(app: Any, uploads: Path) -> MakeSeller:
    """A ``make_seller`` for ``app`` (tests with their own ``make_app()`` app use this);
    documents go under ``uploads``."""
    login = logins_for(app)
    counter = itertools.count(1)

    def make(tenant_code: str, status: str = "approved", name: str | None = None) -> SellerHandle:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
        principal, headers = login(tenant_code, "buyer")
        shop = name or f"Shop {next(counter)} of user {principal.id}"
        seller_id = _open_shop(app, tenant_code, principal.id, shop, status, uploads)
        return SellerHandle(id=seller_id, user_id=principal.id, headers=dict(headers), tenant=tenant_code)

    return make


@pytest.fixture()
def make_seller(app: Any, tmp_path_factory: pytest.TempPathFactory) -> MakeSeller:
    """``make_seller(tenant_code, status="approved", name=None) -> SellerHandle``."""
    return sellers_for(app, tmp_path_factory.mktemp("seller-uploads"))


def _open_shop(app: Any, tenant_code: str, user_id: int, name: str, status: str, uploads: Path) -> int:
    db = app.extensions["pasar.db"]
    tenant = tenant_context(app, tenant_code)
    operator_id = _operator_id(app) if status != "pending" else 0  # before the write below
    with db.session(tenant.id, write=True) as session:
        payouts = service.payouts_for(db, app.config["PASAR"], tenant)
        data = service.Registration(
            name=name, legal_name=f"{name} Holdings", business_type="company",
            kyc=EXAMPLE_KYC[tenant.country], bank_account=EXAMPLE_BANK_ACCOUNTS[tenant.country],
        )
        seller = service.register_seller(session, tenant, user_id, data, payouts)
        if status != "pending":
            _review(session, tenant, seller.id, status, DocumentStore(uploads), operator_id)
        return seller.id


def _review(
    session: Session, tenant: TenantContext, seller_id: int, status: str, store: DocumentStore, operator_id: int
) -> None:
    if status == "rejected":
        service.reject(session, tenant, seller_id, operator_id, "made rejected by a test factory")
        return
    for kind in service.kyc_requirements(tenant).documents:
        service.upload_document(session, tenant, seller_id, kind, f"{kind}.png", PNG_BYTES + kind.encode(), store)
    service.approve(session, tenant, seller_id, operator_id)
    if status == "suspended":
        service.suspend(session, tenant, seller_id, operator_id, "made suspended by a test factory")


_FACTORY_OPERATOR = "sellers-factory-reviewer@example.test"


def _operator_id(app: Any) -> int:
    """The operator who reviews factory-made shops (created once per database)."""
    db = app.extensions["pasar.db"]
    with db.session(write=True) as session:
        found = session.scalar(select(Operator.id).where(Operator.email == _FACTORY_OPERATOR))
        if found is not None:
            return int(found)
        operator = add_operator(session, email=_FACTORY_OPERATOR, name="Factory reviewer",
                                password_hash=default_password_hash(), tenant_codes=["*"])
        return operator.id
