"""Which language a buyer gets, and that kernel and plugin catalogs both translate."""
from __future__ import annotations

from typing import Any

import pytest

from pasar.i18n import best_locale


@pytest.mark.parametrize(("offered", "choice", "accept", "expected"), [
    (("ms_MY", "en_MY"), None, [("en-GB", 1.0)], "en_MY"),
    (("ms_MY", "en_MY"), None, [("ms", 0.8), ("en", 0.5)], "ms_MY"),
    (("ms_MY", "en_MY"), "en_MY", [("ms", 1.0)], "en_MY"),
    (("th_TH",), "de_DE", [("de", 1.0)], "th_TH"),
    (("en_US", "es_US"), None, [("es-MX", 1.0)], "es_US"),
    (("fil_PH", "en_PH"), None, [], "fil_PH"),
])
def test_best_locale_stays_within_the_tenants_locales(
    offered: tuple[str, ...], choice: str | None, accept: list[tuple[str, float]], expected: str
) -> None:
    assert best_locale(offered, choice, accept) == expected


def page(client: Any, code: str, path: str = "/", **headers: str) -> str:
    response = client.get(f"/t/{code}{path}", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_storefront_speaks_the_tenants_default_language(client: Any) -> None:
    assert "วิธีการชำระเงิน" in page(client, "th")


def test_accept_language_picks_among_the_tenants_locales(client: Any) -> None:
    assert "Kaedah pembayaran" in page(client, "my", **{"Accept-Language": "ms-MY"})
    assert "Payment methods" in page(client, "my", **{"Accept-Language": "en-GB,en;q=0.8"})


def test_an_explicit_choice_wins_over_accept_language(client: Any) -> None:
    response = client.get("/t/us/?lang=es_US", headers={"Accept-Language": "en-US"})
    assert "Métodos de pago" in response.get_data(as_text=True)


def test_plurals_follow_the_language_even_behind_plugins_without_its_catalog(client: Any) -> None:
    # Thai has one plural form; the us and ukeu plugins have no Thai catalog to lend theirs.
    th = page(client, "th")
    assert "คืนสินค้าได้ภายใน 7 วัน" in th and "Returns within" not in th


def test_plugin_catalogs_translate_plugin_strings(client: Any) -> None:
    assert "เก็บเงินปลายทาง" in page(client, "th")


def test_money_is_formatted_as_locals_write_it(client: Any) -> None:
    # The storefront's "about this marketplace" page shows a sample price.
    assert "Rp\xa01.234.567" in page(client, "id", "/about")
    assert "1.234.567\xa0₫" in page(client, "vn", "/about")
    assert "1.234.567,00\xa0€" in page(client, "de", "/about")
