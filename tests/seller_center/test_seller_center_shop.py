"""Seller center: opening a shop with its KYC documents, who may enter, and the shop's page."""
from __future__ import annotations

import io
import re
from typing import Any

from sqlalchemy import select

from pasar.sellers import service as sellers
from pasar.sellers.models import Seller
from pasar.sellers.storage import DocumentStore, uploads_root
from pasar.testing.accounts_factories import DEFAULT_PASSWORD, MakeUser
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.pages_factories import MakeWebClient
from pasar.testing.sellers_factories import EXAMPLE_BANK_ACCOUNTS, EXAMPLE_KYC, PDF_BYTES, PNG_BYTES


def registration_form(app: Any, code: str, name: str = "Toko Web") -> tuple[dict[str, Any], tuple[str, ...]]:
    """A valid registration form for ``code`` with every document the marketplace asks for."""
    tenant = tenant_context(app, code)
    account = EXAMPLE_BANK_ACCOUNTS[tenant.country]
    form: dict[str, Any] = {
        "name": name, "legal_name": f"{name} Holdings", "business_type": "company",
        "bank_account.holder": account.holder, "bank_account.number": account.number,
        "bank_account.bank_code": account.bank_code or "",
        **{f"kyc.{key}": value for key, value in EXAMPLE_KYC[tenant.country].items()},
    }
    documents = sellers.kyc_requirements(tenant).documents
    for number, kind in enumerate(documents):
        form[f"document.{kind}"] = (io.BytesIO(PDF_BYTES + str(number).encode()), f"{kind}.pdf")
    return form, documents


def shop_of(app: Any, code: str, user_id: int) -> Seller | None:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        shop = sellers.seller_of_user(session, tenant, user_id)
        if shop is not None:
            session.expunge(shop)
            shop.documents  # noqa: B018 - loaded with the shop (selectin) before it is detached
        return shop


def test_registering_with_kyc_documents_opens_a_pending_shop_and_stores_the_files(
    app: Any, web: MakeWebClient, make_user: MakeUser,
) -> None:
    user = make_user("id", "buyer")
    browser = web("id")
    browser.sign_in(user.email)
    form, documents = registration_form(app, "id")
    response = browser.post("/seller/register", form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith("/t/id/seller/")
    shop = shop_of(app, "id", user.id)
    assert shop is not None and shop.status == "pending" and shop.name == "Toko Web"
    assert sorted(d.kind for d in shop.documents) == sorted(documents)
    store = DocumentStore(uploads_root(app.config["PASAR"]))
    assert all(store.path(d.path).read_bytes().startswith(b"%PDF-") for d in shop.documents)
    dashboard = browser.get("/seller/?lang=en_ID").get_data(as_text=True)
    assert "Waiting for review" in dashboard and "Every document the marketplace asks for is here." in dashboard


def test_a_refused_field_is_marked_and_nothing_is_stored(app: Any, web: MakeWebClient, make_user: MakeUser) -> None:
    user = make_user("uk", "buyer")
    browser = web("uk")
    browser.sign_in(user.email)
    form, documents = registration_form(app, "uk")
    form["kyc.companies_house_number"] = "not a number"
    form[f"document.{documents[0]}"] = (io.BytesIO(b"<html>not a scan</html>"), "licence.pdf")
    response = browser.post("/seller/register", form, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    field = re.search(r'<input id="kyc-companies_house_number"[^>]*>', page)
    assert field is not None and 'aria-invalid="true"' in field.group(0)
    assert re.search(r'aria-describedby="[^"]*kyc-companies_house_number-error"', field.group(0))
    assert 'id="kyc-companies_house_number-error"' in page
    assert shop_of(app, "uk", user.id) is None


def test_a_bad_document_is_named_after_its_field(app: Any, web: MakeWebClient, make_user: MakeUser) -> None:
    user = make_user("uk", "buyer")
    browser = web("uk")
    browser.sign_in(user.email)
    form, documents = registration_form(app, "uk")
    form[f"document.{documents[0]}"] = (io.BytesIO(b"<html>not a scan</html>"), "licence.pdf")
    response = browser.post("/seller/register", form, content_type="multipart/form-data")
    assert response.status_code == 422
    assert f'id="document-{documents[0]}-error"' in response.get_data(as_text=True)
    assert shop_of(app, "uk", user.id) is None


def test_signed_out_visitors_are_sent_to_sign_in_and_back(web: MakeWebClient, make_user: MakeUser) -> None:
    user = make_user("uk", "buyer")
    browser = web("uk")
    response = browser.get("/seller/register")
    assert response.status_code == 302
    signin = response.headers["Location"]
    assert signin.startswith("/t/uk/signin?next=")
    back = browser.client.post(signin, data={"email": user.email, "password": DEFAULT_PASSWORD,
                                             "csrf_token": browser.csrf()})
    assert back.headers["Location"] == "/t/uk/seller/register"
    assert 'id="seller-register-form"' in browser.get("/seller/register").get_data(as_text=True)


def test_a_user_without_a_shop_is_offered_to_open_one_but_gets_no_seller_page(
    web: MakeWebClient, make_user: MakeUser,
) -> None:
    user = make_user("uk", "buyer")
    browser = web("uk")
    browser.sign_in(user.email)
    assert browser.get("/seller/").headers["Location"].endswith("/t/uk/seller/register")
    for path in ("/seller/products", "/seller/orders", "/seller/money", "/seller/inventory"):
        assert browser.get(path).status_code == 403, path
    assert browser.post("/seller/products/new", {"texts.en_GB.title": "x"}).status_code == 403


def test_a_missing_document_is_uploaded_from_the_shop_page(
    app: Any, make_seller: Any, seller_web: Any,
) -> None:
    shop = make_seller("th", status="pending")
    browser = seller_web(shop)
    page = browser.get("/seller/").get_data(as_text=True)
    kind = sellers.kyc_requirements(tenant_context(app, "th")).documents[0]
    assert f'data-test="upload-{kind}"' in page
    response = browser.post("/seller/documents", {"kind": kind, "file": (io.BytesIO(PNG_BYTES), "scan.png")},
                            content_type="multipart/form-data")
    assert response.status_code == 302
    tenant = tenant_context(app, "th")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        stored = session.scalar(select(Seller).where(Seller.id == shop.id))
        assert stored is not None and [d.kind for d in stored.documents] == [kind]
    assert f'data-test="upload-{kind}"' not in browser.get("/seller/").get_data(as_text=True)


def test_the_ship_from_address_is_saved(app: Any, make_seller: Any, seller_web: Any) -> None:
    shop = make_seller("uk")
    browser = seller_web(shop)
    response = browser.post("/seller/settings/address", {
        "address.name": "Example Shop", "address.line1": "1 High Street", "address.city": "Leeds",
        "address.postal_code": "LS1 1AA"})
    assert response.status_code == 302
    assert 'value="1 High Street"' in browser.get("/seller/settings").get_data(as_text=True)
