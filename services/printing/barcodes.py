"""Barcodes on printed forms, as SVG markup from maintained libraries.

The dossier code and the tracking code as Code 128 (python-barcode): a
hand-held scanner reading the paper types the code, which is what the
handover scan field expects. The public look-up URL as a QR code (segno).
"""

import re

import barcode
import segno
from barcode.writer import SVGWriter
from markupsafe import Markup

# Millimetres: 0.33 mm modules read well on laser and thermal printers.
CODE128_OPTIONS = {
    "module_width": 0.33,
    "module_height": 12.0,
    "quiet_zone": 3.0,
    "write_text": False,  # the page prints the code itself, in its own font
}
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_STYLE_FILL = re.compile(r'style="fill:\s*([#\w]+);?"')
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def code128_svg(value: str, module_height: float = 12.0) -> Markup:
    """VALUE as a Code 128 barcode: an inline ``<svg>`` element (no XML prologue).

    Safe to embed: the SVG holds only the bars' rectangles, never VALUE's text.
    """
    options = CODE128_OPTIONS | {"module_height": module_height}
    svg = barcode.Code128(value, writer=SVGWriter()).render(options).decode("utf-8")
    svg = _COMMENT.sub("", _PROLOGUE.sub("", svg, count=1))
    svg = _STYLE_FILL.sub(r'fill="\1"', svg)  # an attribute, not a style the CSP refuses
    return Markup(svg.replace("<svg ", '<svg class="barcode" role="img" ', 1))  # noqa: S704


def qr_svg(payload: str, scale: int = 3, svgclass: str = "qr") -> Markup:
    """PAYLOAD (a URL) as a QR code, error correction M: an inline ``<svg>`` element.

    Safe to embed: segno writes the modules as one path, without PAYLOAD's text.
    """
    qr = segno.make(payload, error="m", micro=False)
    svg = qr.svg_inline(scale=scale, border=4, svgclass=svgclass, lineclass=None, omitsize=True)
    return Markup(svg)  # noqa: S704
