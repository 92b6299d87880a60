"""A certificate as a PDF file, drawn by WeasyPrint in the workshop's language.

The fonts are the ones the site ships (`static/vendor/fonts/`), read from disk: nothing
is fetched, so certificates are drawn offline. Pango shapes Arabic (right to left) and
Khmer with them.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from sandbox.common.i18n import format_date, is_bidi

from .models import Certificate

FONTS = Path(settings.BASE_DIR) / "sandbox" / "static" / "vendor" / "fonts"


def certificate_html(certificate: Certificate, check_url: str) -> str:
    language = certificate.language
    with translation.override(language):
        return render_to_string("certificates/pdf.html", {
            "certificate": certificate, "check_url": check_url, "fonts": FONTS.as_uri(),
            "language": language, "direction": "rtl" if is_bidi(language) else "ltr",
            "starts_on": format_date(certificate.starts_on, "long", language),
            "ends_on": format_date(certificate.ends_on, "long", language),
            "issued_on": format_date(certificate.issued_at, "long", language),
        })


def certificate_pdf(certificate: Certificate, check_url: str) -> bytes:
    from weasyprint import HTML

    html = certificate_html(certificate, check_url)
    # The page names local files only (the fonts): the holder's name and the titles are
    # escaped text, so nothing in a certificate can make WeasyPrint fetch from the network.
    return HTML(string=html, base_url=FONTS.as_uri() + "/").write_pdf()  # type: ignore[no-any-return]
