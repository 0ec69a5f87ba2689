from django import forms
from django.utils.translation import gettext_lazy as _

from activities.choices import WorkStatus


class FollowUpEntryForm(forms.Form):
    """The boxes of one workbench row; which fields show depends on the subject's kind."""

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
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, kind, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "goal":
            self.fields["fulfilment"].choices = [("", _("Not assessed yet"))] + [
                (level.pk, level.label) for level in levels
            ]
        else:
            del self.fields["fulfilment"]
        if kind not in ("activity", "assignment"):
            del self.fields["status"]

    def has_changed(self):
        return any(name in self.changed_data for name in self.fields if name != "version")
