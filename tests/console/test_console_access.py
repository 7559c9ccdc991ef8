"""Who gets into the console: operators only, each only into the tenants their codes allow."""
from __future__ import annotations

from typing import Any

from pasar.testing.accounts_factories import DEFAULT_PASSWORD
from pasar.testing.console_factories import ConsoleClient


def test_signed_out_visitors_are_sent_to_the_operator_sign_in(app: Any) -> None:
    answer = app.test_client().get("/console/")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/console/signin?next=")


def test_an_operator_signs_in_and_sees_the_tenants_overview(app: Any, make_operator: Any) -> None:
    operator = make_operator(("*",))
    browser = ConsoleClient(app.test_client())

    signed_in = browser.sign_in(operator.email)
    page = browser.get("/console/")

    assert signed_in.headers["Location"] == "/console/"
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert operator.name in html and 'data-test="console-signout"' in html
    for code in ("id", "uk", "us", "de", "th"):
        assert f'data-test="tenant-{code}"' in html
    assert "Asia/Jakarta" in html and "IDR" in html and "Europe/London" in html


def test_a_wrong_password_is_refused_on_the_page(app: Any, make_operator: Any) -> None:
    operator = make_operator(("*",))
    browser = ConsoleClient(app.test_client())

    answer = browser.post("/console/signin", {"email": operator.email, "password": DEFAULT_PASSWORD + "x"})

    assert answer.status_code == 401
    assert 'id="signin-error"' in answer.get_data(as_text=True)
    assert browser.get("/console/").status_code == 302


def test_a_buyers_cookie_does_not_open_the_console(app: Any, web: Any, make_user: Any) -> None:
    buyer = make_user("th", "buyer")
    shop = web("th")
    shop.sign_in(buyer.email)

    tenantless = shop.client.get("/console/")
    under_tenant = shop.get("/console/")

    assert tenantless.status_code == 302 and "/console/signin" in tenantless.headers["Location"]
    assert under_tenant.status_code == 403


def test_a_user_of_a_tenant_cannot_sign_in_as_operator(app: Any, make_user: Any) -> None:
    seller = make_user("th", "seller")
    answer = ConsoleClient(app.test_client()).post(
        "/console/signin", {"email": seller.email, "password": DEFAULT_PASSWORD})
    assert answer.status_code == 401


def test_an_operator_limited_to_some_tenants_sees_only_those(console: Any, make_seller: Any) -> None:
    ops = console(tenants=("th", "vn"))
    shop = make_seller("uk", status="pending")

    home = ops.get("/console/").get_data(as_text=True)

    assert 'data-test="tenant-th"' in home and 'data-test="tenant-vn"' in home
    assert 'data-test="tenant-uk"' not in home and 'data-test="tenant-id"' not in home
    for path in ("/console/tenants/uk/", "/console/tenants/uk/kyc", "/console/tenants/uk/moderation",
                 "/console/tenants/uk/features", "/console/tenants/nosuch/kyc"):
        assert ops.get(path).status_code == 404, path
    assert ops.post(f"/console/tenants/uk/kyc/{shop.id}/approve").status_code == 404
    assert ops.post("/console/tenants/uk/features", {"feature": "ads", "enabled": "off",
                                                      "reason": "x"}).status_code == 404
    assert ops.get("/console/tenants/th/kyc").status_code == 200


def test_forms_without_the_csrf_token_change_nothing(console: Any, make_seller: Any) -> None:
    ops = console(tenants=("th",))
    shop = make_seller("th", status="pending")

    answer = ops.post(f"/console/tenants/th/kyc/{shop.id}/reject", {"reason": "forged"}, csrf=False)

    assert answer.status_code == 400
    assert f'data-test="kyc-seller-{shop.id}"' in ops.get("/console/tenants/th/kyc").get_data(as_text=True)


def test_signing_out_ends_the_operator_session(console: Any) -> None:
    ops = console(tenants=("*",))
    assert ops.get("/console/").status_code == 200

    answer = ops.post("/console/signout")

    assert answer.status_code == 302 and answer.headers["Location"] == "/console/signin"
    assert ops.get("/console/").status_code == 302
