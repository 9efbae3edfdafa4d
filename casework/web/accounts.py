"""The signed-in person's own account: API tokens, and a throttled password reset."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.models import ApiToken, User
from casework.services.accounts import api_token_get_for_user, api_token_revoke, api_tokens_of
from casework.services.partners import hash_key


@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = list(api_tokens_of(_user(request))[:100])
    return render(request, "web/api_tokens.html", {"tokens": tokens})


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = api_token_get_for_user(_user(request), pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    api_token_revoke(token=token, actor=_user(request))
    messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return HttpResponseRedirect(reverse("account:tokens"))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the login middleware let only signed-in users in
    return request.user


def _over_limit(key: str) -> bool:
    """Count one request against ``key``; True once the hour's allowance is used up."""
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.PASSWORD_RESET_LIMIT_PER_HOUR


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, throttled per client address and per e-mail address.

    Each request sends an e-mail; unthrottled, the page is a way to flood someone's mailbox or
    the school's SMTP quota. Over the limit the form says so and nothing is sent.
    """

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        client = self.request.META.get("REMOTE_ADDR", "")
        email = form.cleaned_data["email"].strip().lower()
        over_client = _over_limit(f"password-reset:client:{client}")
        over_email = _over_limit(f"password-reset:email:{hash_key(email)}")
        if over_client or over_email:
            form.add_error(
                "email",
                _("Too many password-reset requests. Try again in an hour."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
