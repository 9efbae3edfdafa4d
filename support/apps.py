from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "support"
    verbose_name = _("Support opportunities")

    def ready(self) -> None:
        # Imported here, not at the top: the hooks need the models, which are not ready while
        # the app registry loads this module.
        from support.wiring import connect

        connect()
