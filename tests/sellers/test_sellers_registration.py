"""Opening a shop: KYC checked against the region plugin, the bank account against the payout
provider, one shop per user, and nothing a client may not set."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from pasar.sellers.models import Seller
from pasar.testing.sellers_factories import EXAMPLE_BANK_ACCOUNTS, registration_body

ALL_TENANTS = {
    "id": "ID", "my": "MY", "th": "TH", "vn": "VN", "ph": "PH", "sg": "SG", "uk": "GB",
    "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "ie": "IE", "nl": "NL", "us": "US",
}


def test_kyc_requirements_are_public_and_come_from_the_region_plugin(client: Any) -> None:
    answer = client.get("/api/v1/kyc-requirements", headers={"X-Pasar-Tenant": "id", "Accept-Language": "en"})

    assert answer.status_code == 200
    body = answer.get_json()
    assert body["country"] == "ID"
    assert [f["name"] for f in body["fields"]] == ["nib", "npwp"]
    assert body["fields"][0]["pattern"] == r"\d{13}" and body["fields"][0]["required"] is True
    assert body["documents"] == ["business_licence", "tax_certificate", "owner_identity_card"]
    assert body["business_types"] == ["company", "individual", "household"]


def test_kyc_requirements_of_the_us_name_the_ein(client: Any) -> None:
    body = client.get("/api/v1/kyc-requirements", headers={"X-Pasar-Tenant": "us"}).get_json()

    fields = {f["name"]: f for f in body["fields"]}
    assert fields["ein"]["required"] is True and fields["ein"]["label"].startswith("Employer Identification")
    assert fields["sales_tax_permit"]["required"] is False
    assert "form_w9" in body["documents"]


@pytest.mark.parametrize(
    ("tenant", "country", "kyc"),
    [
        ("id", "ID", {"nib": "9120001234567", "npwp": "0123456789012345"}),
        ("uk", "GB", {"companies_house_number": "12345678", "vat_number": "GB987654321"}),
        ("us", "US", {"ein": "98-7654321", "state_of_incorporation": "CA"}),
    ],
)
def test_a_buyer_registers_a_shop_with_the_kyc_of_their_country(
    client: Any, login: Any, assert_masked: Any, tenant: str, country: str, kyc: dict[str, str]
) -> None:
    principal, headers = login(tenant, "buyer")

    answer = client.post("/api/v1/sellers", json=registration_body(country, kyc=kyc), headers=headers)

    assert answer.status_code == 201, answer.get_json()
    shop = answer.get_json()
    assert shop["status"] == "pending" and shop["country"] == country
    assert shop["kyc"] == kyc
    assert_masked(answer, EXAMPLE_BANK_ACCOUNTS[country].number)
    own = client.get("/api/v1/seller", headers=headers)  # the same token now holds "seller"
    assert own.status_code == 200 and own.get_json()["id"] == shop["id"]
    assert_masked(own, EXAMPLE_BANK_ACCOUNTS[country].number)


@pytest.mark.parametrize("tenant", sorted(ALL_TENANTS))
def test_every_reference_tenant_takes_a_registration(client: Any, login: Any, tenant: str) -> None:
    _principal, headers = login(tenant, "buyer")

    answer = client.post("/api/v1/sellers", json=registration_body(ALL_TENANTS[tenant]), headers=headers)

    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["bank_account"]["country"] == ALL_TENANTS[tenant]


def test_registration_stores_the_owner_and_logs_the_first_status(app: Any, client: Any, login: Any) -> None:
    principal, headers = login("th", "buyer")

    shop = client.post("/api/v1/sellers", json=registration_body("TH"), headers=headers).get_json()

    with app.extensions["pasar.db"].session(principal.tenant_id) as session:
        seller = session.get(Seller, shop["id"])
        assert seller is not None and seller.owner_user_id == principal.id
        assert seller.bank_number == EXAMPLE_BANK_ACCOUNTS["TH"].number  # kept whole for payouts
        assert [(c.from_status, c.to_status, c.actor_kind, c.actor_id) for c in seller.status_changes] == [
            (None, "pending", "user", principal.id)
        ]


@pytest.mark.parametrize(
    ("tenant", "country", "kyc", "field"),
    [
        ("id", "ID", {"nib": "12345", "npwp": "012345678901234"}, "kyc.nib"),
        ("id", "ID", {"nib": "9120001234567"}, "kyc.npwp"),
        ("uk", "GB", {"companies_house_number": "SC123456", "vat_number": "GB12"}, "kyc.vat_number"),
        ("uk", "GB", {"vat_number": "GB123456789"}, "kyc.companies_house_number"),
        ("us", "US", {"ein": "123456789", "state_of_incorporation": "DE"}, "kyc.ein"),
        ("us", "US", {"ein": "12-3456789", "state_of_incorporation": "XX"}, "kyc.state_of_incorporation"),
    ],
)
def test_a_kyc_value_the_plugin_refuses_is_a_422_naming_the_field(
    client: Any, login: Any, tenant: str, country: str, kyc: dict[str, str], field: str
) -> None:
    _principal, headers = login(tenant, "buyer")

    answer = client.post("/api/v1/sellers", json=registration_body(country, kyc=kyc), headers=headers)

    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert list(answer.get_json()["errors"]) == [field]


def test_a_kyc_field_the_plugin_does_not_ask_for_is_refused(client: Any, login: Any) -> None:
    _principal, headers = login("uk", "buyer")
    kyc = {"companies_house_number": "SC123456", "ssn": "078-05-1120"}

    answer = client.post("/api/v1/sellers", json=registration_body("GB", kyc=kyc), headers=headers)

    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["kyc.ssn"]


@pytest.mark.parametrize(
    ("tenant", "country", "account", "field"),
    [
        ("de", "DE", {"holder": "Beispiel GmbH", "number": "DE00370400440532013000"}, "bank_account.number"),
        ("uk", "GB", {"holder": "Example Ltd", "number": "12345678"}, "bank_account.bank_code"),
        ("us", "US", {"holder": "Example LLC", "number": "123456789", "bank_code": "011000016"}, "bank_account.bank_code"),
        ("id", "ID", {"holder": "PT Contoh", "number": "12-34", "bank_code": "014"}, "bank_account.number"),
        ("uk", "GB", {"holder": "Example Ltd", "number": "12345678", "bank_code": "123456", "country": "FR"},
         "bank_account.country"),
        ("uk", "GB", {"holder": "   ", "number": "12345678", "bank_code": "123456"}, "bank_account.holder"),
    ],
)
def test_a_bank_account_the_payout_provider_refuses_is_a_422_naming_the_field(
    client: Any, login: Any, tenant: str, country: str, account: dict[str, str], field: str
) -> None:
    _principal, headers = login(tenant, "buyer")

    answer = client.post("/api/v1/sellers", json=registration_body(country, bank_account=account), headers=headers)

    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]


def test_a_refused_registration_creates_no_shop_and_no_role(client: Any, login: Any) -> None:
    _principal, headers = login("id", "buyer")

    client.post("/api/v1/sellers", json=registration_body("ID", kyc={"nib": "1"}), headers=headers)

    assert client.get("/api/v1/seller", headers=headers).status_code == 403


def test_a_user_may_own_only_one_shop(client: Any, login: Any) -> None:
    _principal, headers = login("my", "buyer")
    first = client.post("/api/v1/sellers", json=registration_body("MY"), headers=headers)

    second = client.post("/api/v1/sellers", json=registration_body("MY", name="Second"), headers=headers)

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.mimetype == "application/problem+json"


def test_a_shops_staff_member_cannot_open_a_second_shop(client: Any, login: Any, make_seller: Any) -> None:
    shop = make_seller("my")
    _staff, headers = login("my", "buyer", "seller", seller_id=shop.id)

    answer = client.post("/api/v1/sellers", json=registration_body("MY"), headers=headers)

    assert answer.status_code == 409
    assert client.get("/api/v1/seller", headers=headers).get_json()["id"] == shop.id


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"status": "approved"}, "status"),
        ({"tenant_id": 1}, "tenant_id"),
        ({"reviewed_by": 1}, "reviewed_by"),
        ({"owner_user_id": 1}, "owner_user_id"),
        ({"country": "SG"}, "country"),
    ],
)
def test_a_registration_cannot_set_what_only_the_platform_sets(
    app: Any, client: Any, login: Any, extra: dict[str, Any], field: str
) -> None:
    principal, headers = login("sg", "buyer")

    answer = client.post("/api/v1/sellers", json={**registration_body("SG"), **extra}, headers=headers)

    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]
    with app.extensions["pasar.db"].session(principal.tenant_id) as session:
        owned = session.scalar(select(func.count()).select_from(Seller).where(Seller.owner_user_id == principal.id))
    assert owned == 0


def test_the_nested_bank_account_refuses_unknown_fields_too(client: Any, login: Any) -> None:
    _principal, headers = login("sg", "buyer")
    body = registration_body("SG")
    body["bank_account"]["verified"] = True

    answer = client.post("/api/v1/sellers", json=body, headers=headers)

    assert answer.status_code == 422
    assert "bank_account.verified" in answer.get_json()["errors"]


def test_registering_needs_a_signed_in_buyer(client: Any, operator_headers: Any) -> None:
    anonymous = client.post("/api/v1/sellers", json=registration_body("GB"), headers={"X-Pasar-Tenant": "uk"})
    operator = client.post("/api/v1/sellers", json=registration_body("GB"), headers=operator_headers("uk"))

    assert anonymous.status_code == 401
    assert operator.status_code == 403


def test_a_buyer_without_a_shop_has_no_seller_page(client: Any, login: Any) -> None:
    _principal, headers = login("uk", "buyer")

    assert client.get("/api/v1/seller", headers=headers).status_code == 403


def test_the_owner_replaces_the_bank_account_and_sees_it_masked(
    client: Any, make_seller: Any, assert_masked: Any
) -> None:
    shop = make_seller("nl", status="pending")
    new = {"holder": "Voorbeeld BV", "number": "NL02ABNA0123456789"}

    answer = client.put("/api/v1/seller/bank-account", json=new, headers=shop.headers)

    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["bank_account"]["holder"] == "Voorbeeld BV"
    assert_masked(answer, new["number"])
    assert_masked(client.get("/api/v1/seller", headers=shop.headers), new["number"])


def test_a_bad_replacement_account_is_refused_naming_the_field(client: Any, make_seller: Any) -> None:
    shop = make_seller("nl", status="approved")

    answer = client.put("/api/v1/seller/bank-account", json={"holder": "X", "number": "NL00ABNA0123456789"},
                        headers=shop.headers)

    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["number"]
    unchanged = client.get("/api/v1/seller", headers=shop.headers).get_json()
    assert unchanged["bank_account"]["number"] == "•••• " + EXAMPLE_BANK_ACCOUNTS["NL"].number[-4:]


def test_the_bank_account_body_cannot_carry_other_fields(client: Any, make_seller: Any) -> None:
    shop = make_seller("nl", status="pending")
    body = {"holder": "Voorbeeld BV", "number": "NL02ABNA0123456789", "status": "approved"}

    answer = client.put("/api/v1/seller/bank-account", json=body, headers=shop.headers)

    assert answer.status_code == 422
    assert "status" in answer.get_json()["errors"]
