"""The signed-in person's own account: API tokens, and a throttled password reset."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework import policies
from casework.models import ApiToken, User
from casework.services.accounts import api_token_get_for_user, api_token_revoke, api_tokens_of
from casework.services.partners import hash_key
from casework.services.two_factor import (
    two_factor_confirm,
    two_factor_device,
    two_factor_disable,
    two_factor_start,
    two_factor_verify,
)
from casework.web.errors import domain_errors, form_write


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


# -- two-factor sign-in --------------------------------------------------------------------


def _password_rule(validator: Any) -> str:
    if isinstance(validator, password_validation.MinimumLengthValidator):
        n = validator.min_length
        return ngettext("has at least %(n)d character", "has at least %(n)d characters", n) % {
            "n": n
        }
    if isinstance(validator, password_validation.NumericPasswordValidator):
        return _("is not made of digits only")
    if isinstance(validator, password_validation.CommonPasswordValidator):
        return _("is not a commonly used password")
    if isinstance(validator, password_validation.UserAttributeSimilarityValidator):
        fields = {f.name: f.verbose_name for f in User._meta.concrete_fields}
        names = [str(fields[name]) for name in validator.user_attributes if name in fields]
        return _("is not too much like your %(what)s") % {"what": ", ".join(names)}
    return str(validator.get_help_text())


def password_rules() -> str:
    """What the configured validators ask of a new password, one rule each, in the reader's
    language: the help says exactly what is enforced (Django's own list said a similar password
    was "not recommended" when it is refused, inside an HTML list the page could not hold)."""
    rules = [_password_rule(v) for v in password_validation.get_default_password_validators()]
    if not rules:
        return ""
    return _("The new password %(rules)s.") % {"rules": "; ".join(rules)}


class NewPasswordForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_rules()
        self.fields["new_password2"].label = _("The new password again")
        self.fields["new_password2"].help_text = _(
            "Type the new password once more, to be sure it is the one you meant."
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, in the product's pages; its help names exactly what the
    configured validators enforce. Changing it revokes the person's API tokens."""

    template_name = "web/password_change.html"
    form_class = NewPasswordForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response

    def get_success_url(self) -> str:
        return reverse("account:password")


class SignInForm(AuthenticationForm):
    """Django's sign-in form, plus the authenticator code for those who turned it on."""

    # Django's own Romanian for these writes ş and ţ with a cedilla; ours has ș and ț.
    error_messages = {
        "invalid_login": gettext_lazy(
            "Please enter a correct %(username)s and password. Note that both fields may be "
            "case-sensitive."
        ),
        "inactive": gettext_lazy("This account is inactive."),
    }

    otp_token = forms.CharField(
        label=gettext_lazy("Two-factor code"),
        required=False,
        max_length=10,
        help_text=gettext_lazy(
            "Only if you turned on two-factor sign-in: the 6 digits from your app."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        device = two_factor_device(user) if isinstance(user, User) else None
        if device is not None:
            if not two_factor_verify(device, cleaned.get("otp_token") or ""):
                raise forms.ValidationError(
                    _("Enter the current code from your authenticator app."), code="invalid_token"
                )
            # django-otp marks the session verified when the login signal sees this.
            user.otp_device = device  # type: ignore[attr-defined]
        return cleaned


class SignInView(auth_views.LoginView):
    form_class = SignInForm


class TwoFactorCodeForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@domain_errors
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, confirm with a first code) or off (with a code)."""
    user = _user(request)
    policies.require_two_factor_allowed(user)
    device = two_factor_device(user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and device is None:
        confirmed = form_write(
            form, lambda data: two_factor_confirm(user=user, token=data["otp_token"])
        )
        if confirmed:
            otp_login(request, confirmed.value)
            messages.success(request, _("Two-factor sign-in is on."))
            return HttpResponseRedirect(reverse("account:two_factor"))
    elif request.method == "POST" and form_write(
        form, lambda data: two_factor_disable(user=user, token=data["otp_token"])
    ):
        messages.success(request, _("Two-factor sign-in is off."))
        return HttpResponseRedirect(reverse("account:two_factor"))
    return render(request, "web/two_factor.html", _two_factor_context(user, device, form))


def _two_factor_context(
    user: User, device: TOTPDevice | None, form: TwoFactorCodeForm
) -> dict[str, Any]:
    context: dict[str, Any] = {"enabled": device is not None, "form": form, "user": user}
    if device is None:
        pending = two_factor_start(user=user)
        url = pending.config_url
        context["qr"] = segno.make(url, error="m").svg_data_uri(scale=5)
        context["secret"] = base64.b32encode(pending.bin_key).decode()
    context["required"] = user.is_superuser
    return context
