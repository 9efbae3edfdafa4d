"""Publishing a library entry from its page: it finishes the case's publication task too, so
the view lives with the people side (the other library pages are ``casework.web.library``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import library_selectors as library
from casework.roles import actor_of
from casework.web.errors import domain_errors
from workflows import services


@require_POST
@domain_errors
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = library.library_entry_get_for_user(actor_of(request), pk)
    services.library_entry_publish(entry=found, actor=actor_of(request))
    messages.success(request, _("Published: partners and every member of staff can find it."))
    return HttpResponseRedirect(reverse("library:entry", args=[pk]))
