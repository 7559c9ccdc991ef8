"""What the sellers tests share: uploads kept out of the checkout, and small request helpers."""
from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart


@pytest.fixture()
def var_dir(app: Any) -> Path:
    """The folder holding the test app's ``uploads`` (its settings point it at a temporary
    folder, never into the checkout)."""
    return Path(app.config["PASAR"].extra["uploads_dir"]).parent


@pytest.fixture()
def upload(client: Any) -> Callable[..., TestResponse]:
    """``upload(headers, kind, data, filename="scan.png", content_type=None)`` posts a document.

    The multipart body is encoded in memory: the test client would spool a large one to a
    temporary file that nothing closes (a ResourceWarning, an error under this suite's filters).
    """

    def post(headers: dict[str, str], kind: str, data: bytes, filename: str = "scan.png",
             content_type: str | None = None) -> TestResponse:
        file = FileStorage(io.BytesIO(data), filename=filename, content_type=content_type)
        boundary, body = encode_multipart(MultiDict({"kind": kind, "file": file}))
        return client.post("/api/v1/seller/documents", data=body, headers=headers,
                           content_type=f"multipart/form-data; boundary={boundary}")

    return post


@pytest.fixture()
def operator_headers(operator_login: Callable[..., dict[str, str]]) -> Callable[[str], dict[str, str]]:
    """``operator_headers("uk")``: an all-tenant operator's headers acting in that tenant."""
    base = operator_login(("*",))
    return lambda tenant_code: {**base, "X-Pasar-Tenant": tenant_code}


@pytest.fixture()
def assert_masked() -> Callable[[TestResponse, str], None]:
    """``assert_masked(response, number)``: the answer never contains the full account number,
    and every ``bank_account`` in it shows at most the last four characters."""

    def check(response: TestResponse, number: str) -> None:
        assert number not in response.get_data(as_text=True)
        body = response.get_json()
        for shop in body if isinstance(body, list) else [body]:
            shown = shop["bank_account"]["number"]
            assert shown.startswith("•••• ") and len(shown) <= len("•••• ") + 4
        if isinstance(body, dict):
            assert body["bank_account"]["number"] == "•••• " + number[-4:]

    return check
