from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class FollowUpAdminConfig(admin_apps.AdminConfig):
    """Django's admin with this project's site (replaces django.contrib.admin)."""

    default = False
    default_site = "backoffice.site.FollowUpAdminSite"


class BackofficeConfig(AppConfig):
    """The app whose admin module registers every app's model admins."""

    default = True
    name = "backoffice"
    verbose_name = _("Administration")

    def ready(self):
        from .third_party import apply_labels

        apply_labels()
