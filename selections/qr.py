"""QR codes as SVG (segno): the shared link of a selection, each app's page on the printout.

The SVG is drawn in black on white with a quiet zone of four modules (what readers expect),
scales to its box (a viewBox, no fixed size) and carries a title for assistive technologies.
"""

import io

import segno
from django.utils.html import escape
from django.utils.safestring import mark_safe

# M: 15 % of the code may be damaged (a folded or creased sheet) and it still reads.
ERROR_CORRECTION = "m"
BORDER = 4


def qr_svg(data: str, *, title: str = "") -> str:
    """The QR code of ``data`` as an inline <svg> element (safe to print in a template)."""
    code = segno.make(data, error=ERROR_CORRECTION, micro=False)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        omitsize=True,
        border=BORDER,
        dark="#000",
        light="#fff",
        title=title or None,
        svgclass="qr-code",
        lineclass=None,
    )
    svg = buffer.getvalue().decode("utf-8")
    # role="img" and the title as its name: one image, read as such.
    svg = (
        svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1) if title else svg
    )
    return mark_safe(svg)  # noqa: S308 (segno's own markup; the title is escaped by segno and here)


def qr_svg_document(data: str, *, title: str = "") -> bytes:
    """A standalone SVG file (with its XML declaration), to download."""
    code = segno.make(data, error=ERROR_CORRECTION, micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=8, border=BORDER, title=title or None)
    return buffer.getvalue()
