"""The browser reaches the live demo marketplace: a tenant's home page, its sign-in page, and the
demo buyer signing in with a cookie that stays in that tenant, and Thai drawn in a font that has
Thai glyphs (not boxes)."""
from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from pasar.demo.data import buyer_email
from pasar.testing.browser import Site, sign_in, thai_font_families

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


def test_the_thai_storefront_draws_thai_with_a_font_that_has_thai_glyphs(page: Any, site: Site) -> None:
    """Without a Thai font Chromium draws Thai as boxes (the text is in the page, the picture is
    wrong): ask Chromium which installed font it drew a Thai text with, through DevTools."""
    families = thai_font_families()
    if not families:
        pytest.skip("no font covering Thai is installed (ensure_thai_fonts needs root and apt)")
    page.goto(site.url("th", "/?lang=th_TH"))
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^th"))
    marked = page.evaluate("""() => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (/[\\u0E01-\\u0E5B]/.test(node.data) && node.parentElement.offsetParent !== null) {
                node.parentElement.setAttribute("data-thai-probe", "");
                return node.data.trim();
            }
        }
        return null;
    }""")
    assert marked, "the Thai storefront shows no Thai text"
    devtools = page.context.new_cdp_session(page)
    root = devtools.send("DOM.getDocument")["root"]["nodeId"]
    node = devtools.send("DOM.querySelector", {"nodeId": root, "selector": "[data-thai-probe]"})["nodeId"]
    devtools.send("CSS.enable")
    drawn = devtools.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    assert {font["familyName"] for font in drawn} & families, (marked, drawn)
