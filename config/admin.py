"""The admin site: open to everyone who holds a role on a board, not only Django staff."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from access import policy


class FollowUpAdminSite(admin.AdminSite):
    site_header = _("Goal and indicator follow-up")
    site_title = _("Follow-up")
    index_title = _("Plans, goals and follow-ups")

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or policy.has_any_role(user))
