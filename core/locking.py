"""No lost updates in admin forms: a save based on a replaced version is refused.

The token is the row's `updated_at` as the form was rendered. If the row changed since,
the form is refused with the saved values of the fields the editor changed, so both texts
are on screen. The refused form is a three-way merge (see `merge_saved`): the fields the
editor left alone now show what is saved, the editor's changes stay, and the hidden token
moves to the current version, so saving again (after comparing) deliberately replaces the
other person's change of those fields, and only of those.

Independently of the token, a save writes only the fields the editor changed (compared
with the page as rendered): a field left alone keeps its stored value even when the page
showed an older one (`VersionedForm._post_clean`).
"""

from django import forms
from django.contrib.admin.utils import NestedObjects
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import router
from django.forms.models import BaseInlineFormSet, model_to_dict
from django.forms.widgets import ChoiceWidget
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext
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


def tracked_fields(form) -> list[str]:
    """The fields posted with their value as rendered (see track_rendered_values)."""
    return [name for name, field in form.fields.items() if field.show_hidden_initial]


def post_value(data, widget, name, value) -> None:
    """Write into `data` (a mutable QueryDict) what a browser posts for `value` (prepared
    by the form field) as `widget` renders it, so that it reads back as the same value:
    one string for inputs, text areas and selects, a list for multiple choices (a
    many-to-many field), a checkbox's "on" or nothing, and a date or decimal as the widget
    formats it (localized like the widget). Files are left alone."""
    while isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    if isinstance(widget, forms.FileInput):
        return
    if isinstance(widget, forms.MultiWidget):  # a split date and time: name_0, name_1
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        for suffix, sub, part in zip(widget.widgets_names, widget.widgets, parts, strict=False):
            post_value(data, sub, name + suffix, part)
        return
    if isinstance(widget, forms.CheckboxInput):
        if widget.check_test(value):
            data.setlist(name, ["on"])
        else:
            data.pop(name, None)  # an unticked box is not posted
        return
    if isinstance(widget, ChoiceWidget | forms.MultipleHiddenInput):
        values = widget.format_value(value)  # a list: one value, or many
    else:
        shown = widget.format_value(value)
        values = ["" if shown is None else shown]
    data.setlist(name, [str(v) for v in values])


def merge_saved(form, saved, current) -> None:
    """The three-way merge of a refused form with the row as saved now.

    A field the editor did not change shows the saved value, so saving again cannot put
    back what the editor saw (someone else's change survives). A field the editor changed
    keeps the editor's value, and its hidden initial (the value "as rendered") becomes the
    saved value: it still counts as changed, so saving again writes it. The token moves to
    `current`. Values go through the form field (`prepare_value`) and the widgets' own
    formatting, as if the form had been rendered from `saved`.
    """
    changed = set(form.changed_data)
    names = [name for name in tracked_fields(form) if name in form.fields]
    stored = model_to_dict(saved, fields=names)
    data = form.data.copy()
    for name in names:
        if name not in stored or isinstance(form.fields[name], forms.FileField):
            continue  # a form field that is no model field, or a file: as posted
        field, bound = form.fields[name], form[name]
        value = field.prepare_value(stored[name])
        hidden = field.hidden_widget()
        hidden.is_localized = bool(field.localize)
        post_value(data, hidden, bound.html_initial_name, value)
        if name not in changed:
            post_value(data, field.widget, bound.html_name, value)
    data[form.add_prefix("base_token")] = current
    form.data = data
    form.__dict__.pop("changed_data", None)  # a cached_property: read the new data


class VersionedForm(forms.ModelForm):
    """A form carrying its row's version token and the values as rendered (see
    track_rendered_values); `token_of` reads the token when the form is built.

    A stored row is saved with only the fields the editor changed: the others keep the
    value the row holds when the form is validated, whatever value the page showed."""

    base_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_token"].initial = self.token_of(self.instance)
        track_rendered_values(self)
        self._untouched = ()

    def token_of(self, instance) -> str:
        raise NotImplementedError

    def edited(self) -> bool:
        """True when the editor changed a field (the version token aside)."""
        return any(name != "base_token" for name in self.changed_data)

    def _untouched_fields(self) -> tuple[str, ...]:
        """Tracked fields of a stored row that the editor did not change."""
        if self.instance._state.adding or not self.instance.pk:
            return ()
        changed = set(self.changed_data)
        return tuple(name for name in tracked_fields(self) if name not in changed)

    def _post_clean(self):
        # construct_instance and the many-to-many save write only fields in cleaned_data:
        # without the untouched ones, the instance keeps their stored values.
        self._untouched = self._untouched_fields()
        with _without(self, self._untouched):
            super()._post_clean()

    def _save_m2m(self):
        with _without(self, self._untouched):
            super()._save_m2m()


class _without:
    """Hide `names` from `form.cleaned_data` for a while; removals made meanwhile (fields
    with errors) are kept."""

    def __init__(self, form, names):
        self.form, self.names = form, set(names)

    def __enter__(self):
        self.full = getattr(self.form, "cleaned_data", None)
        if self.full is not None and self.names:
            self.form.cleaned_data = {k: v for k, v in self.full.items() if k not in self.names}

    def __exit__(self, *exc):
        if self.full is None or not self.names:
            return
        kept = self.form.cleaned_data
        for name in [n for n in self.full if n not in self.names and n not in kept]:
            del self.full[name]
        self.form.cleaned_data = self.full


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


def shown_value(saved, name) -> str:
    """A saved value as the refusal names it: a choice's label, a related row's name, a
    date or number as written in Swedish, "Ja"/"Nej" for a box."""
    try:
        field = saved._meta.get_field(name)
    except FieldDoesNotExist:  # a form field of its own
        value = getattr(saved, name, "")
        return "" if value is None else str(value)
    if field.many_to_many:
        return ", ".join(str(row) for row in field.value_from_object(saved))
    if field.choices:
        value = getattr(saved, f"get_{field.name}_display")()
    else:
        value = getattr(saved, name, "")
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return "" if value is None else str(formats.localize(value))


def stale_error(form, saved, current) -> ValidationError:
    """The refusal of a stale form: the saved values of the fields the editor changed.

    The form becomes the merge of the editor's changes with the row as saved (see
    merge_saved), so that saving again (after comparing) deliberately replaces the other
    person's change of those fields and keeps their other changes.
    """
    lines = []
    for name in form.changed_data:
        if name == "base_token" or name not in form.fields:
            continue
        label = form.fields[name].label or name
        lines.append(f"{label}: ”{shown_value(saved, name)}”")
    merge_saved(form, saved, current)
    return ValidationError(
        _(
            "Someone else has changed the record since you opened it. Your changes are still "
            "in the form, and the fields you did not change now show what is saved; compare "
            "and save again to replace the saved values of the fields you changed. Saved "
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
        if not self.instance.pk:
            return cleaned
        current = instance_token(self.instance)
        if cleaned.get("base_token", "") == current:
            return cleaned
        if not self.has_changed():
            # Not saved, so not refused; should the page be shown again (another row or
            # the main form refused), the row shows what is saved now.
            merge_saved(self, self.instance, current)
            return cleaned
        raise stale_error(self, self.instance, current)


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
