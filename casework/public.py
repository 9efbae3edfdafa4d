"""The one page a student sees: an instrument to fill in through a one-time link.

No login. The page is in the instrument's language, shows nothing that identifies the student
(the link may be forwarded or seen over a shoulder), and is kept out of caches, referrers and
search engines because its URL is the key.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework.errors import Conflict, Invalid, NotFound
from casework.models import Instrument, InstrumentLink
from casework.services.instruments import (
    check_link_open,
    instrument_link_for_token,
    instrument_submit,
)


def _private(response: HttpResponse) -> HttpResponse:
    # same-origin, not no-referrer: the token in the URL still never leaves the site (the page
    # links nowhere else), and Chromium sends a real Origin with the form's POST. With
    # no-referrer it sent `Origin: null` and the CSRF check refused every submission.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return _private(render(request, template, context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def instrument_fill(request: HttpRequest, token: str) -> HttpResponse:
    link = instrument_link_for_token(token)
    language = link.instrument.language if link is not None else translation.get_language()
    with translation.override(language):
        if link is None:
            return _page(request, "instruments/unavailable.html", {"reason": "unknown"}, 404)
        try:
            check_link_open(link)
        except Conflict:
            reason = link.status
            return _page(request, "instruments/unavailable.html", {"reason": reason}, 410)
        if request.method == "POST":
            return _submit(request, link, token)
        return _form(request, link.instrument, answers={}, errors={})


def _form(
    request: HttpRequest,
    instrument: Instrument,
    *,
    answers: dict[str, str],
    errors: dict[str, list[str]],
    status: int = 200,
) -> HttpResponse:
    items = [
        {
            "name": f"item_{item.position}",
            "position": item.position,
            "text": item.text,
            "answer": answers.get(f"item_{item.position}", ""),
            "error": bool(errors.get(f"item_{item.position}")),
        }
        for item in instrument.items.all()
    ]
    context = {
        "instrument": instrument,
        "choices": [(str(value), label) for value, label in instrument.answers],
        "items": items,
        "missing": sum(1 for item in items if item["error"]),
    }
    return _page(request, "instruments/fill.html", context, status)


def _submit(request: HttpRequest, link: InstrumentLink, token: str) -> HttpResponse:
    answers = {k: str(v) for k, v in request.POST.items() if k.startswith("item_")}
    try:
        instrument_submit(token=token, answers=answers)
    except Invalid as exc:
        return _form(request, link.instrument, answers=answers, errors=exc.fields, status=400)
    except (Conflict, NotFound):
        # Submitted from another tab a moment ago, or it expired while the student was answering.
        link.refresh_from_db()
        reason = link.status if link.status != "open" else "expired"
        return _page(request, "instruments/unavailable.html", {"reason": reason}, 410)
    return _page(request, "instruments/done.html", {"instrument": link.instrument})
