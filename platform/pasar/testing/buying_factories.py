"""Helpers for tests of the storefront's buying pages (loaded with ``-p``).

    def test_cash_on_delivery(shopper, make_seller, make_product):
        buyer = shopper("id")                        # a signed-in browser session on /t/id
        buyer.add(make_product(make_seller("id"), price="150000"))   # POST /cart/add
        page = buyer.place("cod")                    # the checkout page's form, as a browser sends it

``place`` fills the address of the tenant's country (``commerce_factories.EXAMPLE_ADDRESSES``),
asks the checkout page for its quote, picks the payment method, and presses "Place order" with
the Idempotency-Key the page carried; it answers the final page (redirects followed, except to
another host such as the sandbox payment page).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from pasar.testing.commerce_factories import EXAMPLE_ADDRESSES, TEST_CARD
from pasar.testing.pages_factories import WebClient

_KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


@dataclass
class Shopper:
    """A signed-in buyer's browser session on one tenant's buying pages."""

    browser: WebClient
    user: Any
    country: str

    def add(self, product: Any, quantity: int = 1, **extra: Any) -> Any:
        variant_id = product if isinstance(product, int) else product.variant_id
        answer = self.browser.post("/cart/add", {"variant_id": variant_id, "quantity": quantity, **extra})
        assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
        return answer

    def address(self, **overrides: str) -> dict[str, str]:
        return {**EXAMPLE_ADDRESSES[self.country], **overrides}

    def review(self, method: str | None = None, **overrides: str) -> Any:
        """POST the checkout form with the address (and method): the page with the quote."""
        form = self.address(**overrides)
        if method:
            form["payment_method"] = method
        return self.browser.post("/checkout", form)

    def key_of(self, page: Any) -> str:
        found = _KEY.search(page.get_data(as_text=True))
        assert found, "the checkout page carries an Idempotency-Key"
        return found.group(1)

    def place(self, method: str, *, follow: bool = True, **overrides: str) -> Any:
        """Review, then press "Place order" with the key the reviewed page carries."""
        reviewed = self.review(method, **overrides)
        assert reviewed.status_code == 200, reviewed.get_data(as_text=True)[:2000]
        return self.submit(method, self.key_of(reviewed), follow=follow, **overrides)

    def submit(self, method: str, key: str, *, follow: bool = False, **overrides: str) -> Any:
        """Press "Place order" on a page that carried ``key`` (again, for a double submit);
        ``follow`` follows a redirect to this host (not to a payment provider's page)."""
        form: dict[str, Any] = {**self.address(**overrides), "payment_method": method, "idempotency_key": key}
        if method == "card":
            form.setdefault("card_number", TEST_CARD)
        placed = self.browser.post("/checkout/place", form)
        if not follow or placed.status_code != 303:
            return placed
        location = placed.headers["Location"]
        if location.startswith("http"):  # another host: the payment provider's page
            return placed
        return self.browser.client.get(location)


MakeShopper = Callable[[str], Shopper]


@pytest.fixture()
def shopper(app: Any, web: Callable[[str], WebClient], make_user: Any) -> Iterator[MakeShopper]:
    """``shopper("th")``: a new buyer signed in on the tenant's pages. Eager tasks (webhooks,
    the outbox) run against this app."""
    from celery._state import _set_task_join_will_block

    from pasar.testing.accounts_factories import tenant_context
    from pasar.worker import use_app

    use_app(app)

    def make(code: str) -> Shopper:
        user = make_user(code, "buyer")
        browser = web(code)
        browser.sign_in(user.email)
        return Shopper(browser, user, tenant_context(app, code).country)

    yield make
    _set_task_join_will_block(False)
