"""The students' information pack (seed 002): a public page made for phones, and the same pack
as a PDF to print and hand out.

No login: a student reaches it from a QR code or a link on the school's site. It is in the
school's language, or English with ``?lang=en``, and names only the office's own contact
(room, hours, the office's e-mail), never a person's.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from casework.errors import NotFound
from counselling.models import InfoPack
from counselling.selectors import info_pack_for_code
from support.selectors import open_opportunities_of

# The office's four functions, as seed 002 describes them to students.
FUNCTIONS = (
    (
        _("General information"),
        _(
            "The office is your first point of contact: it tells you about the programmes, the "
            "school's resources and rules, and helps you choose the route that suits you."
        ),
    ),
    (
        _("Pedagogical and psychological support"),
        _(
            "When learning gets hard, or something weighs on you, teachers, the school "
            "psychologist and the pedagogues offer advice, guidance and mentoring made for you."
        ),
    ),
    (
        _("Socio-economic support"),
        _(
            "If money or home stand in the way of school, the office looks with you for grants, "
            "financial support, paid practice placements and other opportunities."
        ),
    ),
    (
        _("Administrative support"),
        _(
            "Enrolment, transfers, appeals and other paperwork: the school's staff help you "
            "through them."
        ),
    ),
)

LANGUAGES = ("ro", "en")


def _language(request: HttpRequest, pack: InfoPack) -> str:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return pack.school.language or "ro"


def _opportunities(school_id: int) -> list[dict[str, str]]:
    return [
        {
            "title": o.title,
            "kind": str(o.get_kind_display()),
            "dates": " \u2013 ".join(
                formats.date_format(day, "DATE_FORMAT") for day in (o.starts_on, o.ends_on)
            ),
        }
        for o in open_opportunities_of(school_id)
    ]


def pack_context(pack: InfoPack, language: str) -> dict[str, Any]:
    school = pack.school
    office = getattr(school, "office", None)
    return {
        "opportunities": _opportunities(school.pk),
        "pack": pack,
        "school": school,
        "office": office,
        "functions": FUNCTIONS,
        "note": pack.note_en if language == "en" else pack.note,
        "language": language,
        "other_language": "en" if language != "en" else (school.language or "ro"),
    }


def _public(response: HttpResponse) -> HttpResponse:
    # Public and harmless to cache briefly; kept out of search engines all the same.
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _pack(code: str) -> InfoPack | None:
    try:
        return info_pack_for_code(code)
    except NotFound:
        return None


@require_GET
def info_pack_page(request: HttpRequest, code: str) -> HttpResponse:
    pack = _pack(code)
    if pack is None:
        return render(request, "counselling/info_unknown.html", status=404)
    language = _language(request, pack)
    with translation.override(language):
        return _public(render(request, "counselling/info_pack.html", pack_context(pack, language)))


def info_pack_pdf_bytes(pack: InfoPack, language: str) -> bytes:
    # WeasyPrint is imported here, not at the top: it loads Pango, which only the PDFs need.
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string("counselling/info_pack_pdf.html", pack_context(pack, language))
    return bytes(HTML(string=html).write_pdf())


@require_GET
def info_pack_pdf(request: HttpRequest, code: str) -> HttpResponse:
    pack = _pack(code)
    if pack is None:
        return render(request, "counselling/info_unknown.html", status=404)
    language = _language(request, pack)
    response = HttpResponse(info_pack_pdf_bytes(pack, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="info-{pack.school.code}-{language}.pdf"'
    return _public(response)
