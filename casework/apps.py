from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        # Imported in ready(): at the top of apps.py it would load models before the registry.
        from casework.sockets import on_logged_out

        # Session plumbing, not domain logic: logging out closes that person's sockets.
        user_logged_out.connect(on_logged_out, dispatch_uid="casework-sockets-logout")
