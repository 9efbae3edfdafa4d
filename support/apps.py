from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "support"
    verbose_name = _("Support opportunities")

    def ready(self) -> None:
        # Imported here, not at the top: the demo's services need the models, which are not
        # ready while the app registry loads this module.
        from support.demo import seed_support_demo
        from workflows.demo import demo_seeded

        demo_seeded.connect(seed_support_demo, dispatch_uid="support-demo")
