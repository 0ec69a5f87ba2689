from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A person's role on one board; system administrators are Django superusers."""

    READER = "reader", _("Reader (politician)")
    EDITOR = "editor", _("Editor (board secretary, developer)")
    APPROVER = "approver", _("Approver (chief officer)")


class Action(models.TextChoices):
    """Everything the policy decides about."""

    VIEW_PUBLISHED = "view_published", _("View published content")
    VIEW_DRAFT = "view_draft", _("View drafts")
    EDIT = "edit", _("Edit plans, goals, activities, indicators and values")
    EDIT_FOLLOW_UP = "edit_follow_up", _("Write follow-ups")
    SUBMIT = "submit", _("Submit a follow-up period")
    APPROVE = "approve", _("Approve a follow-up period")
    REOPEN = "reopen", _("Reopen a follow-up period")
    PUBLISH = "publish", _("Publish a follow-up period")
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
