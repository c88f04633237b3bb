"""QR codes: SVG for pages, text blocks for the terminal."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """An inline SVG (path based, scales to any size, no Pillow needed)."""
    image = qrcode.make(
        data, image_factory=qrcode.image.svg.SvgPathFillImage, border=2, box_size=10
    )
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    return svg.strip()


def qr_terminal(data: str) -> str:
    """The QR drawn with half-block characters, for ``workshop serve``."""
    code = qrcode.QRCode(border=2)
    code.add_data(data)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()
