from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from activities.choices import WorkStatus

#: Form field → FollowUp field, for the boxes a workbench row can have.
ENTRY_FIELDS = {
    "text": "text",
    "forecast": "forecast",
    "fulfilment": "fulfilment_id",
    "status": "status",
}


class JointField(forms.MultipleChoiceField):
    """The items a row is written jointly with, as "<kind>-<id>" keys. The boxes offered are
    the goal's items free in the period; whether a posted key may be joined is the service's
    rule (same goal, no follow-up of its own), so any well-formed key passes the form."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        kind, _sep, pk = str(value).partition("-")
        return kind in ("indicator_item", "assignment") and pk.isdigit() and len(pk) < 10


class FollowUpEntryForm(forms.Form):
    """The boxes of one workbench row; which fields show depends on the subject's kind.

    Each box posts its value as rendered beside the edited one (Django's hidden initial), so
    the save compares and writes only what this editor changed — never a box someone else
    has saved since the page was loaded and this editor left alone.
    """

    text = forms.CharField(
        label=_("Follow-up"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    forecast = forms.CharField(
        label=_("Full-year assessment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fulfilment = forms.TypedChoiceField(
        label=_("Goal fulfilment"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "–"), *WorkStatus.choices]
    )
    joint = JointField(label=_("Write jointly with"), required=False)
    keep_saved = forms.BooleanField(
        label=_("Keep the saved version and discard my change"), required=False
    )

    def __init__(self, *args, kind, levels, joint_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if joint_choices:
            self.fields["joint"].choices = list(joint_choices)
            self.fields["joint"].show_hidden_initial = True
        else:
            del self.fields["joint"]
        if kind == "goal":
            self.fields["fulfilment"].choices = [("", _("Not assessed yet"))] + [
                (level.pk, level.label) for level in levels
            ]
        else:
            del self.fields["fulfilment"]
        if kind not in ("activity", "assignment"):
            del self.fields["status"]
        for name in ENTRY_FIELDS:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True

    @property
    def entry_fields(self):
        return [name for name in ENTRY_FIELDS if name in self.fields]

    def has_changed(self):
        return bool(self.edited_fields()) or self.joint_edited()

    def joint_edited(self) -> bool:
        """This editor changed which items the row is written jointly with."""
        if "joint" not in self.fields or not self.is_bound:
            return False
        if self.data.get(self.add_prefix("keep_saved")):
            return False
        return set(self.cleaned_data.get("joint") or []) != set(self.joint_rendered())

    def joint_rendered(self) -> list[str]:
        """The keys the page showed ticked (the posted hidden initial)."""
        field = self.fields["joint"]
        raw = self._widget_data_value(field.hidden_widget(), self["joint"].html_initial_name)
        return [str(v) for v in (raw or []) if field.valid_value(v)]

    def edited_fields(self) -> list[str]:
        """The boxes this editor changed from what the page showed them."""
        if self.is_bound and self.data.get(self.add_prefix("keep_saved")):
            return []
        return [name for name in self.entry_fields if name in self.changed_data]

    def rendered(self, name):
        """The value of box `name` as the page showed it (the posted hidden initial)."""
        field = self.fields[name]
        raw = self._widget_data_value(field.hidden_widget(), self[name].html_initial_name)
        try:
            return field.clean(raw)
        except ValidationError:
            # Unreadable: compare as empty, so any saved value counts as someone else's.
            return None

    def rebase(self, saved: dict):
        """After a conflict: the boxes this editor changed keep their text and are now based
        on the saved version (saving again keeps the editor's text, as they chose); every
        other box shows the saved value. `saved` maps FollowUp fields to their stored value."""
        edited = set(self.edited_fields())
        data = self.data.copy()
        for name in self.entry_fields:
            value = saved.get(ENTRY_FIELDS[name])
            value = "" if value is None else value
            data[self[name].html_initial_name] = value
            if name not in edited:
                data[self.add_prefix(name)] = value
        if "joint" in self.fields and "coverage" in saved:
            data.setlist(self["joint"].html_initial_name, list(saved["coverage"]))
        self.data = data
