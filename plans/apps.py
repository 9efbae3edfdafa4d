from django.apps import AppConfig
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from workflows.demo import demo_seeded


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Plans and outcomes")

    def ready(self) -> None:
        # By their dotted paths, now: the demo's services and the notifications' words need the
        # models, which are not ready while the app registry loads this module.
        demo_seeded.connect(import_string("plans.demo.seed_plans_demo"), dispatch_uid="plans-demo")
        area_words = import_string("workflows.notification_text.AREA_WORDS")
        words = import_string("plans.words.plan_words")
        if words not in area_words:
            area_words.append(words)
