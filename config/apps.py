from django.contrib.admin.apps import AdminConfig


class FollowUpAdminConfig(AdminConfig):
    default_site = "config.admin.FollowUpAdminSite"
