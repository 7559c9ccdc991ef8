"""The interactive API docs are served by the app itself: Swagger UI from an installed package,
every asset a local URL, nothing fetched from a CDN (or the online validator)."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import pytest

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("page", ["/api/v1/docs", "/t/th/api/v1/docs"])
def test_the_docs_page_loads_with_only_local_assets(app: Any, page: str) -> None:
    client = app.test_client()

    answer = client.get(page)

    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "SwaggerUIBundle" in html
    assets = ASSET.findall(html)
    assert {url.rsplit("/", 1)[-1] for url in assets} >= {
        "swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"}
    for url in assets:
        assert not re.match(r"^([a-z][a-z0-9+.-]*:)?//", url), f"{url} is not a local URL"
        with client.get(urljoin(page, url)) as served:
            assert served.status_code == 200, url
            assert len(served.data) > 1000
    spec = re.search(r'url: "([^"]+)"', html)
    assert spec is not None and not spec.group(1).startswith(("http:", "https:", "//"))
    assert client.get(spec.group(1)).get_json()["openapi"].startswith("3.1")


def test_the_online_validator_is_switched_off(app: Any) -> None:
    html = app.test_client().get("/api/v1/docs").get_data(as_text=True)
    assert '"validatorUrl": null' in html
