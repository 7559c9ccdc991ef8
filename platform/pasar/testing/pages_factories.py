"""Helpers for tests of the web faces: a browser-like client session that signs in through the
sign-in page and posts forms with the page's CSRF token (loaded with ``-p``)."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from pasar.testing.accounts_factories import DEFAULT_PASSWORD

_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class WebClient:
    """A Flask test client used like a browser on one tenant's pages (``/t/<code>/...``).

    Other web faces with their own addresses and sign-in page (the operator console) subclass
    it and change :meth:`url` and :attr:`signin_path`: CSRF and signing in work the same."""

    #: The page whose form signs in (also where :meth:`csrf` reads a token by default).
    signin_path = "/signin"

    def __init__(self, client: Any, tenant: str) -> None:
        self.client, self.tenant = client, tenant

    def url(self, path: str) -> str:
        return f"/t/{self.tenant}{path}"

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(self.url(path), **kwargs)

    def csrf(self, path: str | None = None) -> str:
        """The CSRF token a page of this session carries (what a browser form would send)."""
        path = path or self.signin_path
        found = _CSRF_META.search(self.get(path).get_data(as_text=True))
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any) -> Any:
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.csrf()
        return self.client.post(self.url(path), data=form, **kwargs)

    def sign_in(self, email: str, password: str = DEFAULT_PASSWORD) -> Any:
        response = self.post(self.signin_path, {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response


MakeWebClient = Callable[[str], WebClient]


@pytest.fixture()
def web(app: Any) -> MakeWebClient:
    """``web("th")``: a fresh browser-like session on a tenant's pages (own cookie jar)."""
    return lambda tenant: WebClient(app.test_client(), tenant)
