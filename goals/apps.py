from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Plans and goals")

    def ready(self):
        from .triggers import after_migrate, before_migrate

        pre_migrate.connect(before_migrate, sender=self, dispatch_uid="goals_drop_triggers")
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="goals_install_triggers")
