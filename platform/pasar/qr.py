"""QR codes drawn in the page: an inline SVG a buyer's banking app can scan off the screen.

Why inline SVG made by segno: a QR payment (PromptPay, QRIS, DuitNow, VietQR) is only usable if
it can be scanned, and its payload as text can only be pasted. segno is pure Python and writes
SVG without Pillow or a network call, and an inline ``<svg>`` needs no image route, no cache and
no second request; it stays sharp at any zoom and prints.

The payload's text stays on the page next to the code (the templates show it): a screen reader
reads it and a buyer paying on the same phone copies it.
"""
from __future__ import annotations

import segno
from markupsafe import Markup

#: Medium error correction (15 % of the code may be smudged): what EMVCo merchant-presented
#: codes are printed with, and small enough for a 200-character payload on a phone screen.
ERROR_CORRECTION = "m"
#: Pixels per module: about 200 px for a typical PromptPay payload (version 6, 41 modules plus
#: the quiet zone), big enough to scan from a laptop screen with a phone.
SCALE = 4


def qr_code(payload: str) -> segno.QRCode:
    """The QR code of ``payload`` (never a Micro QR code: banking apps do not read those)."""
    return segno.make(payload, error=ERROR_CORRECTION, micro=False)


def qr_svg(payload: str, label: str | None = None, *, scale: int = SCALE) -> Markup:
    """``payload`` as an inline ``<svg>`` QR code.

    With a ``label`` the picture is an image of that name for assistive technology; without
    one it is hidden from it, because the page shows the payload's text beside it and that text
    (not a picture of it) is what a screen reader's user can use.

    Black on an opaque white square with the standard four-module quiet zone, so the code scans
    whatever the page's own colours are (a dark theme would otherwise hide the quiet zone).
    segno escapes ``label`` and draws ``payload`` only as modules, so the result is safe markup."""
    svg = qr_code(payload).svg_inline(scale=scale, border=4, dark="#000", light="#fff", title=label,
                                      svgclass="qr-code", lineclass=None)
    role = 'role="img"' if label else 'aria-hidden="true" focusable="false"'
    return Markup(svg.replace("<svg ", f"<svg {role} ", 1))
