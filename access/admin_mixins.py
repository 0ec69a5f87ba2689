"""Admin classes ask the policy: rows of other boards are invisible, changes need a role."""

from django.core.exceptions import PermissionDenied
from django.db import models

from core.locking import LockedInlineForm, LockedInlineFormSet, LockedModelForm, records_kept

from . import policy
from .choices import Action


class BoardScopedAdminMixin:
    """For models that belong to a board (see policy.BOARD_PATHS).

    Readers see their boards' rows, editors change them, nobody sees other boards' rows;
    foreign-key choices offer only rows of boards the user may edit, so a crafted POST
    cannot move content to another board.
    """

    edit_action = Action.EDIT
    form = LockedModelForm
    # Swedish users write decimals with a comma: 6,7.
    formfield_overrides = {models.DecimalField: {"localize": True}}

    def get_queryset(self, request):
        return policy.filter_by_board(
            super().get_queryset(request), request.user, Action.VIEW_DRAFT
        )

    def has_module_permission(self, request):
        return policy.has_any_role(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return policy.has_any_role(request.user)
        return policy.can(request.user, Action.VIEW_DRAFT, policy.board_of(obj))

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return bool(policy.board_ids(request.user, self.edit_action))
        if getattr(obj, "is_locked", False):
            # Part of the record (e.g. a published period's follow-up): read-only for all.
            return False
        return policy.can(request.user, self.edit_action, policy.board_of(obj))

    def has_add_permission(self, request, obj=None):
        return bool(policy.board_ids(request.user, self.edit_action))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        """Rows that a delete would take with it and that are part of the record (models
        with `locked_among`) are listed as protected: the admin then refuses the delete."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = records_kept(objs)
        return deleted, counts, perms_needed, [*protected, *kept]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        related = db_field.related_model._meta.label_lower
        if formfield is not None and related in policy.BOARD_PATHS:
            formfield.queryset = policy.filter_by_board(
                formfield.queryset, request.user, self.edit_action
            )
        return formfield

    def save_model(self, request, obj, form, change):
        if not policy.can(request.user, self.edit_action, policy.board_of(obj)):
            raise PermissionDenied
        if change and not _edited(form, request):
            # Only inline rows were edited: saving the unchanged row would renew its version
            # and make every other open form of it stale (and add an empty history entry),
            # or write back values someone else has changed since the page was loaded.
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change and not _edited(form, request):
            # As in save_model: the form's many-to-many values are as rendered, not edited.
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            return
        super().save_related(request, form, formsets, change)


def _edited(form, request) -> bool:
    """Did the editor change the main form (LockedModelForm: compared with the page as
    rendered, not with the row as stored now)? Restoring a version from the history
    page always writes it."""
    match = getattr(request, "resolver_match", None)
    if match is not None and (match.url_name or "").endswith("_simple_history"):
        return True
    return form.edited() if hasattr(form, "edited") else form.has_changed()


class ReferenceDataAdminMixin:
    """Municipality-wide reference data: every role may read it, only system admins change it."""

    def has_module_permission(self, request):
        return policy.has_any_role(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.has_any_role(request.user)

    def has_change_permission(self, request, obj=None):
        return policy.is_system_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return policy.is_system_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return policy.is_system_admin(request.user)


class BoardScopedInlineMixin:
    """Inlines follow their parent's board: change them when the parent may be changed.

    Each row carries its version token (LockedInlineForm): a row someone else changed
    since the page was loaded is refused, with the saved values shown.
    """

    edit_action = Action.EDIT
    form = LockedInlineForm
    formset = LockedInlineFormSet
    formfield_overrides = {models.DecimalField: {"localize": True}}

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if "base_token" in fields else [*fields, "base_token"]

    def _may_edit(self, request, obj):
        if obj is None:
            return bool(policy.board_ids(request.user, self.edit_action))
        return policy.can(request.user, self.edit_action, policy.board_of(obj))

    def has_view_permission(self, request, obj=None):
        return policy.has_any_role(request.user)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)
