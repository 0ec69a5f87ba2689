"""No lost updates in admin forms: a save based on a replaced version is refused.

The token is the row's `updated_at` as the form was rendered. If the row changed since,
the form is refused with the saved values of the fields the editor changed, so both texts
are on screen; the hidden token is moved to the current version, so saving again (after
comparing) deliberately replaces the other person's text.
"""

from django import forms
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import ValidationError
from django.db import router
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

TOKEN_FIELD = "updated_at"


def current_token(instance) -> str:
    if not instance.pk or not hasattr(instance, TOKEN_FIELD):
        return ""
    value = (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values_list(TOKEN_FIELD, flat=True)
        .first()
    )
    return value.isoformat() if value else ""


def track_rendered_values(form):
    """Post each field's value as rendered beside the edited one (Django's hidden initial),
    so that `has_changed()` tells what this editor changed from what someone else changed
    in the meantime (the stored row the form is bound to at save time)."""
    for name, field in form.fields.items():
        if name != "base_token" and not field.widget.is_hidden and not field.disabled:
            field.show_hidden_initial = True


class VersionedForm(forms.ModelForm):
    """A form carrying its row's version token and the values as rendered (see
    track_rendered_values); `token_of` reads the token when the form is built."""

    base_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_token"].initial = self.token_of(self.instance)
        track_rendered_values(self)

    def token_of(self, instance) -> str:
        raise NotImplementedError

    def edited(self) -> bool:
        """True when the editor changed a field (the version token aside)."""
        return any(name != "base_token" for name in self.changed_data)


class LockedModelForm(VersionedForm):
    """A ModelForm that refuses to overwrite changes made since it was rendered.

    A form whose fields the editor left alone is not compared (the admin does not save it
    either): only inline rows were edited.
    """

    def token_of(self, instance) -> str:
        return current_token(instance)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk or not self.edited():
            return cleaned
        current = current_token(self.instance)
        if cleaned.get("base_token", "") == current:
            return cleaned
        saved = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if saved is None:
            raise ValidationError(_("Someone else has deleted the record."), code="deleted")
        raise stale_error(self, saved, current)


def instance_token(instance) -> str:
    """The version token of a row as loaded (no query)."""
    value = getattr(instance, TOKEN_FIELD, None) if instance.pk else None
    return value.isoformat() if value else ""


def stale_error(form, saved, current) -> ValidationError:
    """The refusal of a stale form: the saved values of the fields the editor changed.

    The form's hidden token moves to the current version, so that saving again (after
    comparing) deliberately replaces the other person's change.
    """
    lines = []
    for name in form.changed_data:
        if name == "base_token" or name not in form.fields:
            continue
        label = form.fields[name].label or name
        value = getattr(saved, name, "")
        lines.append(f"{label}: ”{'' if value is None else value}”")
    form.data = form.data.copy()
    form.data[form.add_prefix("base_token")] = current
    return ValidationError(
        _(
            "Someone else has changed the record since you opened it. Your changes are still "
            "in the form; compare with what is saved now and save again to replace it. Saved "
            "now: %(saved)s"
        ),
        code="stale",
        params={"saved": "; ".join(lines) or "–"},
    )


class LockedInlineForm(VersionedForm):
    """A row of an admin inline, refused like LockedModelForm when it changed meanwhile.

    Costs no query: the formset loaded its rows in this request, so each row's own
    `updated_at` is the stored version, and until `_post_clean` the instance still holds
    the stored values to show. Only rows the editor changed are compared.
    """

    def token_of(self, instance) -> str:
        return instance_token(instance)

    def has_changed(self):
        # The formset saves and validates only changed rows: a row the editor did not
        # touch is left as stored, also when someone else changed it meanwhile.
        return self.edited()

    def _post_clean(self):
        # A row the editor left alone is not saved, so it is not validated against the
        # database either: that would cost queries for every row (constraint checks) and
        # could refuse a row nobody touched (a value of a year locked since).
        if self.instance.pk and not self.has_changed():
            return
        super()._post_clean()

    def clean(self):
        cleaned = super().clean()
        pk_name = self._meta.model._meta.pk.name
        if pk_name in self._errors:
            # The hidden id's error (a row deleted meanwhile) would not be shown in its row.
            raise ValidationError(self._errors.pop(pk_name))
        if not self.instance.pk or not self.has_changed():
            return cleaned
        current = instance_token(self.instance)
        if cleaned.get("base_token", "") != current:
            raise stale_error(self, self.instance, current)
        return cleaned


class LoadedRowField(forms.ModelChoiceField):
    """The hidden id of an inline row, looked up among the rows the formset loaded (one
    query for all of them) instead of with one query per row, and only among the parent's
    rows: an id from elsewhere, or of a row deleted meanwhile, is refused."""

    default_error_messages = {
        "invalid_choice": _("The row no longer exists: someone else has deleted it."),
    }

    def __init__(self, formset, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.formset = formset

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            pk = self.formset.model._meta.pk.to_python(value)
        except ValidationError:
            pk = None
        row = None if pk is None else self.formset._existing_object(pk)
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row


def records_kept(objs) -> list[str]:
    """What deleting `objs` would destroy of the record: every collected row (the objects
    and their cascade) of a model with a `locked_among(pks)` classmethod that names it.
    One query per such model."""
    objs = list(objs)
    if not objs:
        return []
    collector = NestedObjects(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    kept = []
    for model, instances in collector.data.items():
        locked_among = getattr(model, "locked_among", None)
        if locked_among is not None:
            kept.extend(
                f"{capfirst(model._meta.verbose_name)}: {row}"
                for row in locked_among([row.pk for row in instances])
            )
    return kept


class LockedInlineFormSet(BaseInlineFormSet):
    """The rows of an admin inline: LockedInlineForm rows whose ids cost no query each."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self._pk_field.name
        field = form.fields.get(name)
        if type(field) is forms.ModelChoiceField:
            form.fields[name] = LoadedRowField(
                self, field.queryset, initial=field.initial, required=False, widget=field.widget
            )

    def clean(self):
        """A row that is part of the record (`is_locked`, e.g. a published period) is not
        deleted: the whole save is refused, naming the row."""
        super().clean()
        kept = records_kept(form.instance for form in self.deleted_forms if form.instance.pk)
        if kept:
            raise ValidationError(
                _(
                    "These rows are part of a follow-up that is no longer open and cannot be "
                    "deleted until an approver reopens it: %(rows)s"
                ),
                code="locked",
                params={"rows": "; ".join(kept)},
            )
