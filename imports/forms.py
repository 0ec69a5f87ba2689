from django import forms
from django.utils.translation import gettext as _sv
from django.utils.translation import gettext_lazy as _

from access import policy
from access.choices import Action
from core.formats import EXPORT_FORMATS, ImportFileError, check_size
from core.years import LAST_YEAR
from goals.models import FIRST_PLAN_YEAR, Board


class UploadForm(forms.Form):
    """The file to preview; too large files are refused before they are read."""

    import_file = forms.FileField(
        label=_("File"),
        help_text=_("xlsx, or CSV with semicolons or commas (UTF-8 or Windows-1252)."),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc), code="too_large") from exc
        return upload

    def options(self) -> dict:
        """Choices besides the file, kept for the confirm step (JSON-serialisable)."""
        return {}


class PlanUploadForm(UploadForm):
    """A whole plan's sheet; optionally imported as another year's plan."""

    as_year = forms.IntegerField(
        label=_("As the plan for the year"),
        required=False,
        min_value=FIRST_PLAN_YEAR,
        max_value=LAST_YEAR,
        help_text=_(
            "Empty: the year in the file. A year: the file becomes that year's plan, e.g. "
            "last year's plan exported and imported as next year's draft."
        ),
    )

    def options(self):
        return {"year": self.cleaned_data.get("as_year")}


class KoladaUploadForm(UploadForm):
    board = forms.ModelChoiceField(
        label=_("Board"),
        queryset=Board.objects.none(),
        required=False,
        empty_label=_("All boards I may import into"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["import_file"].help_text = _("A Kolada API response (JSON).")
        self.fields["board"].queryset = policy.filter_by_board(
            Board.objects.all(), user, Action.IMPORT
        )

    def options(self):
        board = self.cleaned_data.get("board")
        return {"board": board.pk if board else None}


class WideExportForm(forms.Form):
    board = forms.ModelChoiceField(label=_("Board"), queryset=Board.objects.none())
    year = forms.IntegerField(
        label=_("Year of the report"),
        min_value=FIRST_PLAN_YEAR,
        max_value=LAST_YEAR,
        help_text=_("The table shows this year and the two before it, as the report does."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = policy.filter_by_board(
            Board.objects.all(), user, Action.EXPORT
        )
        self.fields["format"].choices = [
            (str(i), f().get_title()) for i, f in enumerate(EXPORT_FORMATS)
        ]

    def clean_board(self):
        board = self.cleaned_data["board"]
        if board is None:
            raise forms.ValidationError(_sv("Välj en nämnd."))
        return board
