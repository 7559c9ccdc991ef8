"""The browser reaches the live demo marketplace: a tenant's home page, its sign-in page, and the
demo buyer signing in with a cookie that stays in that tenant."""
from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from pasar.demo.data import buyer_email
from pasar.testing.browser import Site, sign_in

pytestmark = pytest.mark.browser


def test_the_demo_buyer_signs_in_from_the_tenant_s_home_page(page: Any, site: Site) -> None:
    page.goto(site.url("uk", "/"))
    expect(page).to_have_title(re.compile("Pasar UK|United Kingdom|UK"))
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")

    sign_in(page, site, "uk", buyer_email("uk"))
    page.goto(site.url("uk", "/signin"))
    expect(page.locator(".account .who")).to_be_visible()
    expect(page.locator(".account form button[type=submit]")).to_be_visible()  # sign out

    page.goto(site.url("th", "/signin"))  # another marketplace: not signed in there
    expect(page.locator(".account .who")).to_have_count(0)


def test_a_wrong_password_keeps_the_buyer_on_the_sign_in_page_with_an_alert(page: Any, site: Site) -> None:
    page.goto(site.url("th", "/signin"))
    page.locator("#email").fill(buyer_email("th"))
    page.locator("#password").fill("not-the-password")
    page.locator("form:has(#password) button[type=submit]").click()
    expect(page.locator("[role=alert]")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/t/th/signin"))
