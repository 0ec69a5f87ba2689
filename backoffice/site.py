"""The admin site: open to everyone who holds a role on a board, not only Django staff."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from access import policy

from .labels import object_label


class RoleAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in, open to role holders as the site is (not only Django staff)."""

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        if not (user.is_staff or policy.has_any_role(user)):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class LabelledAutocompleteView(AutocompleteJsonView):
    """Autocomplete answers labelled with board and year (backoffice.labels)."""

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": object_label(obj)}


class FollowUpAdminSite(admin.AdminSite):
    site_header = _("Goal and indicator follow-up")
    site_title = _("Follow-up")
    index_title = _("Plans, goals and follow-ups")
    login_form = RoleAuthenticationForm

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or policy.has_any_role(user))

    def autocomplete_view(self, request):
        return LabelledAutocompleteView.as_view(admin_site=self)(request)
