from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "counselling"
    verbose_name = _("Counselling")

    def ready(self) -> None:
        # Imported here, not at the top: the demo's services need the models, which are not
        # ready while the app registry loads this module.
        from counselling.demo import seed_counselling_demo
        from workflows.demo import demo_seeded

        demo_seeded.connect(seed_counselling_demo, dispatch_uid="counselling-demo")
