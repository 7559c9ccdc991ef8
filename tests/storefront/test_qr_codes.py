"""QR payments show a scannable QR code, not only its payload: the confirmation page and the
sandbox payment page draw the payload as an inline SVG whose modules are exactly the payload's
QR code, with the payload's text kept beside it for copying and for screen readers."""
from __future__ import annotations

import html
import re
from typing import Any

import segno

from pasar.qr import qr_svg
from pasar.testing.buying_factories import MakeShopper

_SVG = re.compile(r"<svg\b[^>]*\bclass=\"qr-code\".*?</svg>", re.S)
_PAYLOAD = re.compile(r'data-test="qr-payload">([^<]+)<')
_MOVE = re.compile(r"([Mmh])(-?\d+(?:\.\d+)?)(?: (-?\d+(?:\.\d+)?))?")


def drawn_modules(svg: str) -> list[list[bool]]:
    """The dark modules an SVG drawn by segno shows, quiet zone included, read back from its
    paths (one ``h`` stroke per run of dark modules, on the row's middle line) as a scanner sees
    the grid."""
    background = re.search(r'fill="#fff" d="M0 0h(\d+)v', svg)
    strokes = re.search(r'stroke="#000" d="([^"]+)"', svg)
    assert background and strokes, svg[:300]
    size = int(background.group(1))
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, first, second in _MOVE.findall(strokes.group(1)):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            for column in range(int(x), int(x) + int(first)):
                grid[int(y)][column] = True
            x += int(first)
    return grid


def qr_modules(payload: str) -> list[list[bool]]:
    """The modules of ``payload``'s QR code (error correction M, four-module quiet zone), as
    segno encodes it independently of the page."""
    code = segno.make(payload, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=4)]


def shown_qr(page: str) -> tuple[str, list[list[bool]]]:
    """The payload's text and the modules of the QR code a page shows."""
    svg, payload = _SVG.search(page), _PAYLOAD.search(page)
    assert svg is not None and payload is not None, page[:3000]
    return html.unescape(payload.group(1)), drawn_modules(svg.group(0))


def test_the_svg_draws_exactly_the_payload_s_qr_code() -> None:
    payload = "00020101021229370016A000000677010111011300668123456785802TH5303764540535.006304ABCD"
    assert drawn_modules(qr_svg(payload)) == qr_modules(payload)
    assert drawn_modules(qr_svg(payload)) != qr_modules(payload + "0")


def test_an_unlabelled_code_is_hidden_from_screen_readers_and_a_labelled_one_is_a_named_image() -> None:
    assert str(qr_svg("000201")).startswith('<svg aria-hidden="true" focusable="false" ')
    labelled = qr_svg("000201", "Pay <ACME> & co")
    assert labelled.startswith('<svg role="img" ') and "<title>Pay &lt;ACME&gt; &amp; co</title>" in labelled


def test_a_payload_is_only_drawn_never_written_into_the_markup() -> None:
    svg = qr_svg('"><script>alert(1)</script>')
    assert "script" not in svg and "alert" not in svg
    assert drawn_modules(svg) == qr_modules('"><script>alert(1)</script>')


def test_promptpay_s_confirmation_and_sandbox_pages_draw_the_qr_code_above_its_text(
        shopper: MakeShopper, make_seller: Any, make_product: Any) -> None:
    buyer = shopper("th")
    buyer.add(make_product(make_seller("th"), price="350"))
    confirmation = buyer.place("promptpay")
    page = confirmation.get_data(as_text=True)
    assert confirmation.status_code == 200, page[:2000]
    payload, modules = shown_qr(page)
    assert payload.startswith("000201") and modules == qr_modules(payload)
    assert page.index('class="qr-code"') < page.index('data-test="qr-payload"')  # the picture, then the text

    sandbox = re.search(r'href="([^"]+)" data-test="sandbox-pay"', page)
    assert sandbox is not None
    shown = buyer.browser.client.get(html.unescape(sandbox.group(1))).get_data(as_text=True)
    svg = _SVG.search(shown)
    assert svg is not None and f"<code>{payload}</code>" in shown
    assert drawn_modules(svg.group(0)) == qr_modules(payload)


def test_methods_without_a_qr_payload_draw_no_qr_code(shopper: MakeShopper, make_seller: Any,
                                                     make_product: Any) -> None:
    buyer = shopper("id")
    buyer.add(make_product(make_seller("id"), price="150000"))
    page = buyer.place("va_bca").get_data(as_text=True)
    assert 'data-test="payment-instructions"' in page and "virtual account" in page
    assert 'class="qr-code"' not in page
