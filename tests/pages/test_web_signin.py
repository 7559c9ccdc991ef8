"""The web faces' shared plumbing: cookie sign-in per tenant, CSRF on every form, the language
switch remembered, and no open redirect after sign-in."""
from __future__ import annotations

from pasar.testing.accounts_factories import DEFAULT_PASSWORD, MakeUser
from pasar.testing.pages_factories import MakeWebClient


def test_signing_in_on_a_page_keeps_the_user_signed_in_for_that_tenant_only(web: MakeWebClient, make_user: MakeUser) -> None:
    user = make_user("th", "buyer")
    browser = web("th")
    browser.sign_in(user.email)
    assert 'action="/t/th/signout"' in browser.get("/").get_data(as_text=True)
    assert 'action="/t/uk/signout"' not in browser.client.get("/t/uk/signin").get_data(as_text=True)


def test_a_wrong_password_shows_an_error_and_no_session(web: MakeWebClient, make_user: MakeUser) -> None:
    user = make_user("uk", "buyer")
    browser = web("uk")
    response = browser.post("/signin", {"email": user.email, "password": "wrong password"})
    assert response.status_code == 401
    assert "Email or password is wrong." in response.get_data(as_text=True)


def test_a_form_without_the_csrf_token_is_refused_and_signs_nobody_in(web: MakeWebClient, make_user: MakeUser) -> None:
    user = make_user("uk", "buyer")
    browser = web("uk")
    response = browser.post("/signin", {"email": user.email, "password": "x"}, csrf=False)
    assert response.status_code == 400
    forged = browser.client.post("/t/uk/signin", data={"email": user.email, "csrf_token": "forged"})
    assert forged.status_code == 400


def test_signing_out_revokes_the_token(web: MakeWebClient, make_user: MakeUser) -> None:
    user = make_user("us", "buyer")
    browser = web("us")
    browser.sign_in(user.email)
    response = browser.post("/signout")
    assert response.status_code == 302
    assert 'action="/t/us/signout"' not in browser.get("/").get_data(as_text=True)


def test_after_sign_in_only_a_same_site_path_is_followed(web: MakeWebClient, make_user: MakeUser) -> None:
    user = make_user("uk", "buyer")
    browser = web("uk")
    token = browser.csrf()
    evil = browser.client.post("/t/uk/signin?next=https://evil.example/x",
                               data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert evil.status_code in (302, 401)
    assert "evil.example" not in evil.headers.get("Location", "")


def test_registering_a_buyer_names_the_field_at_fault(web: MakeWebClient, make_user: MakeUser) -> None:
    taken = make_user("id", "buyer")
    browser = web("id")
    response = browser.post("/register", {"name": "Sari", "email": taken.email, "password": "a-long-enough-passphrase"})
    assert response.status_code == 422
    assert 'aria-describedby="email-error"' in response.get_data(as_text=True)


def test_the_language_picked_by_link_is_remembered(web: MakeWebClient) -> None:
    browser = web("id")
    assert browser.get("/?lang=en_ID").status_code == 200
    cookie = browser.client.get_cookie("pasar_locale", path="/t/id")
    assert cookie is not None and cookie.value == "en_ID"
    assert '<html lang="en-ID">' in browser.get("/signin").get_data(as_text=True)
