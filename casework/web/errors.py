"""Domain errors on the web pages, mapped as the API maps them.

NotFound → 404, Forbidden → 403, Conflict → a page that says what happened (409). Invalid is
put next to the form's fields by the view that owns the form (400). The services raise their
messages already translated into the request's language, so a page shows them as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from casework.errors import Conflict, Forbidden, Invalid, NotFound


def safe_back(request: HttpRequest, url: str | None) -> str | None:
    """``url`` if it points into this site, else nothing (no open redirects, no script URLs)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def put_errors(form: forms.Form, fields: dict[str, list[str]]) -> None:
    """Put a service's ``Invalid`` messages next to the form's fields (the form's own errors for
    a field it does not have)."""
    for name, messages in fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


T = TypeVar("T")


@dataclass(frozen=True)
class Written(Generic[T]):
    """What the service wrote (always true, even when the service returns None)."""

    value: T


def form_write(
    form: forms.Form,
    write: Callable[[dict[str, Any]], T],
    *,
    renamed: Mapping[str, str] | None = None,
) -> Written[T] | None:
    """The pages' one way to post a form: the form's own checks, then the service with the
    cleaned data. A service's ``Invalid`` is put next to the form's fields (``renamed`` maps a
    service's field name to the form's, e.g. ``student`` → ``student_code``) and the answer is
    None: show the form again, with status 400. Anything else the service raises (Conflict,
    Forbidden) goes on to ``domain_errors``."""
    if not form.is_valid():
        return None
    try:
        return Written(write(form.cleaned_data))
    except Invalid as invalid:
        fields = dict(invalid.fields)
        for old, new in (renamed or {}).items():
            if old in fields:
                fields[new] = fields.pop(old)
        put_errors(form, fields)
        return None


def conflict_page(
    request: HttpRequest, conflict: Conflict, *, back: str | None = None
) -> HttpResponse:
    return render(
        request,
        "web/conflict.html",
        {"message": conflict.detail, "extra": conflict.extra, "back": back},
        status=409,
    )


def invalid_page(
    request: HttpRequest, invalid: Invalid, *, back: str | None = None
) -> HttpResponse:
    messages = [m for values in invalid.fields.values() for m in values]
    return render(
        request,
        "web/conflict.html",
        {"message": " ".join(messages), "extra": {}, "back": back, "invalid": True},
        status=400,
    )


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Map domain errors raised by a view to the same statuses as the API."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except Forbidden as forbidden:
            raise PermissionDenied(forbidden.detail) from None
        except Conflict as conflict:
            return conflict_page(
                request, conflict, back=safe_back(request, request.META.get("HTTP_REFERER"))
            )
        except Invalid as invalid:
            return invalid_page(
                request, invalid, back=safe_back(request, request.META.get("HTTP_REFERER"))
            )

    return wrapper
