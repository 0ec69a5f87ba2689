"""No lost updates in admin forms: a save based on a replaced version is refused.

The token is the row's `updated_at` as the form was rendered. If the row changed since,
the form is refused with the saved values of the fields the editor changed, so both texts
are on screen; the hidden token is moved to the current version, so saving again (after
comparing) deliberately replaces the other person's text.
"""

from django import forms
from django.core.exceptions import ValidationError
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


class LockedModelForm(forms.ModelForm):
    """A ModelForm that refuses to overwrite changes made since it was rendered."""

    base_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_token"].initial = current_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        current = current_token(self.instance)
        if cleaned.get("base_token", "") == current:
            return cleaned
        saved = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if saved is None:
            raise ValidationError(_("Posten har tagits bort av någon annan."), code="deleted")
        lines = []
        for name in self.changed_data:
            if name == "base_token" or name not in self.fields:
                continue
            label = self.fields[name].label or name
            value = getattr(saved, name, "")
            lines.append(f"{label}: ”{value}”")
        self.data = self.data.copy()
        self.data[self.add_prefix("base_token")] = current
        raise ValidationError(
            _(
                "Någon annan har ändrat posten sedan du öppnade den. Dina ändringar finns kvar "
                "i formuläret; jämför med det som nu är sparat och spara igen för att ersätta "
                "det. Sparat nu: %(saved)s"
            ),
            code="stale",
            params={"saved": "; ".join(lines) or "–"},
        )
