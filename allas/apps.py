from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllasConfig(AppConfig):
    name = "allas"
    verbose_name = _("Allas Vimmerby")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            admin_choices,
            admin_door,
            checks,  # noqa: F401 - registers the portal's system checks
        )

        admin_choices.install()
        admin_door.install()
