"""The sellers service and storage without HTTP: what other domains call, and the small rules."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pasar.config import Settings
from pasar.contracts import BankAccount, KycField, KycRequirements
from pasar.sellers import service
from pasar.sellers.storage import DocumentStore, clean_filename, sniff_content_type, uploads_root
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.sellers_factories import EXAMPLE_BANK_ACCOUNTS, PDF_BYTES, PNG_BYTES

REQUIREMENTS = KycRequirements(
    "XX",
    (KycField("reg", "Register number", r"\d{4}"), KycField("vat", "VAT number", r"^V\d{3}$", required=False)),
    ("licence",),
)


def test_bank_account_for_an_approved_shop_is_the_full_account(app: Any, make_seller: Any) -> None:
    shop = make_seller("uk")
    tenant = tenant_context(app, "uk")

    with app.extensions["pasar.db"].session(tenant.id) as session:
        account = service.bank_account_for(session, tenant, "seller", shop.id)

    expected = EXAMPLE_BANK_ACCOUNTS["GB"]
    assert account == BankAccount(expected.holder, expected.number, expected.bank_code, "GB")


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_payouts_to_a_shop_that_may_not_sell_are_held(app: Any, make_seller: Any, status: str) -> None:
    shop = make_seller("uk", status=status)
    tenant = tenant_context(app, "uk")

    with app.extensions["pasar.db"].session(tenant.id) as session:
        assert service.bank_account_for(session, tenant, "seller", shop.id) is None


def test_bank_account_for_knows_only_shops_of_its_own_tenant(app: Any, make_seller: Any) -> None:
    shop = make_seller("uk")
    elsewhere = tenant_context(app, "ie")

    with app.extensions["pasar.db"].session(elsewhere.id) as session:
        assert service.bank_account_for(session, elsewhere, "seller", shop.id) is None
        assert service.bank_account_for(session, elsewhere, "creator", shop.id) is None


def test_get_approved_seller_tells_not_found_from_not_approved(app: Any, make_seller: Any) -> None:
    pending = make_seller("es", status="pending")
    tenant, other = tenant_context(app, "es"), tenant_context(app, "it")

    with app.extensions["pasar.db"].session(tenant.id) as session:
        with pytest.raises(service.SellerNotApproved) as refused:
            service.get_approved_seller(session, tenant, pending.id)
        with pytest.raises(service.SellerNotFound):
            service.get_approved_seller(session, tenant, 10**9)
    with app.extensions["pasar.db"].session(other.id) as session, pytest.raises(service.SellerNotFound):
        service.get_approved_seller(session, other, pending.id)
    assert refused.value.status == "pending" and str(refused.value) == "seller is not approved"


def test_make_seller_gives_the_owner_a_seller_token(client: Any, make_seller: Any) -> None:
    shop = make_seller("sg", status="approved", name="Kopi Corner")

    own = client.get("/api/v1/seller", headers=shop.headers).get_json()

    assert (own["id"], own["name"], own["status"]) == (shop.id, "Kopi Corner", "approved")
    assert shop.tenant == "sg" and shop.headers["X-Pasar-Tenant"] == "sg"


@pytest.mark.parametrize(
    ("number", "masked"),
    [("DE89370400440532013000", "•••• 3000"), ("31926819", "•••• 6819"), ("GB29 NWBK 6016 1331 9268 19", "•••• 6819"),
     ("4567", "•••• 67"), ("1", "••••")],
)
def test_an_account_number_is_masked_to_its_last_digits(number: str, masked: str) -> None:
    assert service.mask_number(number) == masked


def test_kyc_problems_name_each_field_at_fault() -> None:
    problems = service.kyc_problems(REQUIREMENTS, {"reg": "12", "vat": "X1", "extra": "1"})

    assert sorted(problems) == ["kyc.extra", "kyc.reg", "kyc.vat"]
    assert service.kyc_problems(REQUIREMENTS, {"reg": "1234"}) == {}
    assert service.kyc_problems(REQUIREMENTS, {"vat": "V123"}) == {"kyc.reg": ["Register number is required"]}


def test_bank_problems_are_keyed_by_the_providers_field_names() -> None:
    class Provider:
        code = "test"

        def validate_account(self, account: BankAccount) -> list[str]:
            return ["number: too short", "bank_code: unknown bank", "the bank is closed today"]

    problems = service.bank_problems(Provider(), BankAccount("A", "1"), "bank_account")  # type: ignore[arg-type]

    assert problems == {"bank_account.number": ["too short"], "bank_account.bank_code": ["unknown bank"],
                        "bank_account": ["the bank is closed today"]}
    unprefixed = service.bank_problems(Provider(), BankAccount("A", "1"), "")  # type: ignore[arg-type]
    assert sorted(unprefixed) == ["_schema", "bank_code", "number"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(PNG_BYTES, "image/png"), (PDF_BYTES, "application/pdf"), (b"\xff\xd8\xff\xdb", "image/jpeg"),
     (b"GIF89a", None), (b"%PD", None), (b"", None), (b"PK\x03\x04 docx", None)],
)
def test_the_content_type_comes_from_the_magic_bytes(data: bytes, content_type: str | None) -> None:
    assert sniff_content_type(data) == content_type


def test_a_client_filename_never_becomes_a_path() -> None:
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("C:\\Users\\me\\scan.pdf") == "scan.pdf"
    assert clean_filename("") == "document"


def test_the_store_writes_once_and_refuses_paths_outside_its_root(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    relative = DocumentStore.relative_path("uk", 7, "ab" * 32)

    store.save(relative, b"first")
    store.save(relative, b"second")  # same name = same content by construction: not rewritten

    assert (tmp_path / "uk" / "7" / ("ab" * 32)).read_bytes() == b"first"
    with pytest.raises(ValueError):
        store.path("../outside")


def test_the_uploads_directory_follows_the_settings_then_the_var_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PASAR_VAR_DIR", str(tmp_path / "var"))
    assert uploads_root(Settings(extra={"uploads_dir": str(tmp_path / "docs")})) == tmp_path / "docs"
    assert uploads_root(Settings()) == tmp_path / "var" / "uploads"
