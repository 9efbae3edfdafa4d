from django.apps import AppConfig
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from workflows.demo import demo_seeded


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Plans and outcomes")

    def ready(self) -> None:
        # By its dotted path, now: the demo's services need the models, which are not ready
        # while the app registry loads this module.
        demo_seeded.connect(import_string("plans.demo.seed_plans_demo"), dispatch_uid="plans-demo")
