from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from casework import public
from casework.api.auth import TokenView
from casework.api.errors import json_not_found, json_server_error
from casework.web import accounts
from config.site import site
from counselling import public as info_public
from workflows.api.meetings import calendar_feed

api_patterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("casework.api.urls")),
    path("", include("workflows.api.urls")),
    path("", include("counselling.api_urls")),
]


def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))


urlpatterns = [
    path("api/", include(api_patterns)),
    # One sign-in page for everyone: the admin's own would skip the two-factor code.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(url="/accounts/login/", query_string=True)),
    ),
    path("admin/", admin.site.urls),
    path(
        "accounts/password_reset/",
        login_not_required(accounts.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The iCalendar feed: no login, the private token is the key (see docs/MEETINGS.md).
    path("calendar/<str:token>.ics", login_not_required(calendar_feed), name="calendar-feed"),
    # The language switcher is on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view(packages=["viewflow"])),
        name="javascript-catalog",
    ),
    # The one public page: a student fills in an instrument through a one-time link.
    path(
        "assessment/<str:token>/",
        login_not_required(public.instrument_fill),
        name="instrument-fill",
    ),
    # Browsers ask for /favicon.ico whatever the page says; the admin's and the API docs' pages
    # name no icon at all.
    path("favicon.ico", login_not_required(favicon)),
    path("info/<str:code>/", login_not_required(info_public.info_pack_page), name="info-pack"),
    path(
        "info/<str:code>/pack.pdf",
        login_not_required(info_public.info_pack_pdf),
        name="info-pack-pdf",
    ),
    path("", site.urls),
]


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_not_found(request, exception)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_server_error(request)
    from django.views.defaults import server_error

    return server_error(request)
