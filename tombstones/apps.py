from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TombstonesConfig(AppConfig):
    name = "tombstones"
    verbose_name = _("Deletions")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
