"""viewflow's own strings that our pages show, for our Romanian catalogue.

viewflow ships no Romanian translation; LOCALE_PATHS comes first in Django's lookup, so these
entries in ``locale/ro`` translate viewflow's templates (page shell, login and error pages).
"""

from django.utils.translation import gettext_noop

VIEWFLOW_STRINGS = [
    gettext_noop("Process list"),
    # Not marked in viewflow's base_page.html; templates/web/base.html says it through this.
    gettext_noop("Open navigation menu"),
    gettext_noop("Log out"),
    gettext_noop("Profile"),
    gettext_noop("Login"),
    gettext_noop("Log in"),
    gettext_noop("Access Forbidden"),
    gettext_noop("You are not logged in"),
    gettext_noop("Log in as another user"),
    gettext_noop("%(user)s have no rights to access this page"),
    gettext_noop("Page not found"),
    gettext_noop("We're sorry, but the requested page could not be found."),
    gettext_noop("View site"),
    gettext_noop("Bad Request"),
    gettext_noop("Server error"),
    gettext_noop(
        "There's been an error. It's been reported to the site administrators via email and "
        "should be fixed shortly. Thanks for your patience."
    ),
]

# The admin's table captions for screen readers, which Django's Romanian catalogue lacks.
ADMIN_STRINGS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
]
