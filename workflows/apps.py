from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing the flow registers it (and viewflow's "manage" permission on the process).
        # Both load models: imported in ready(), once the app registry is built.
        from workflows import flows  # noqa: F401
        from workflows.permissions import ensure_role_group_permissions

        # Setup, not domain logic: the same hook Django uses to create permissions.
        post_migrate.connect(ensure_role_group_permissions, sender=self)
