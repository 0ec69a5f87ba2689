"""Import and export of quality report sections (natural key: board, year, key)."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import ForeignKeyWidget

from goals.models import Board
from imports.engine import (
    NEW,
    UNCHANGED,
    UPDATE,
    PlannedImportResource,
    PlannedRow,
    Problem,
    RowProblems,
)
from imports.widgets import IntCellWidget, TextWidget, YearWidget

from .models import QualityReport, Section, Theme

COLUMNS = {
    "key": "Nyckel",
    "title": "Rubrik",
    "level": "Nivå",
    "theme": "Tema",
    "body": "Text",
    "notes": "Fotnoter",
    "order": "Ordning",
}


class SectionResource(PlannedImportResource):
    """Sections: board, year and key find the row; heading, level, theme, text and notes change.

    A new section without a key gets one from its heading."""

    board = Field(
        attribute="report__board", column_name="Nämnd", widget=ForeignKeyWidget(Board, "name")
    )
    year = Field(attribute="report__year", column_name="År", widget=YearWidget(2000, 2100))
    key = Field(attribute="key", column_name="Nyckel", widget=TextWidget(120))
    title = Field(attribute="title", column_name="Rubrik", widget=TextWidget(300))
    level = Field(attribute="level", column_name="Nivå", widget=IntCellWidget())
    theme = Field(attribute="theme", column_name="Tema", widget=ForeignKeyWidget(Theme, "title"))
    body = Field(attribute="body", column_name="Text", widget=TextWidget())
    notes = Field(attribute="notes", column_name="Fotnoter", widget=TextWidget())
    order = Field(attribute="order", column_name="Ordning", widget=IntCellWidget())

    required_columns = ("Nämnd", "År", "Rubrik")
    export_select_related = ("report__board", "theme")

    class Meta:
        model = Section
        name = "Avsnitt i kvalitetsberättelser"
        fields = ("board", "year", "key", "title", "level", "theme", "body", "notes", "order")
        import_id_fields = ("board", "year", "key")
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .order_by("report__board__name", "report__year", "order", "pk")
        )

    def prepare(self, rows):
        self.load_boards()
        self.reports = {(r.board_id, r.year): r for r in QualityReport.objects.all()}
        self.themes = {(t.report_id, t.title.casefold()): t for t in Theme.objects.all()}
        self.existing = {(s.report_id, s.key): s for s in Section.objects.all()}

    def plan_row(self, number, cells):
        problems = []
        values = self.clean_cells(number, cells, problems)
        board = self.resolve_board(number, values.get("board"), problems)
        year = values.get("year")
        if board is None or year is None or problems:
            raise RowProblems(problems)
        report = self.reports.get((board.pk, year))
        if report is None:
            raise RowProblems(
                [
                    Problem(
                        number,
                        "År",
                        _("The board %(board)s has no quality report for %(year)s.")
                        % {"board": board, "year": year},
                    )
                ]
            )
        title = values.get("title", "")
        key = values.get("key") or slugify(title)[:120]
        if not key:
            raise RowProblems([Problem(number, "Rubrik", _("The section has no heading."))])
        instance = self.existing.get((report.pk, key))
        is_new = instance is None
        if is_new:
            instance = Section(report=report, key=key)
        new_values = {attr: values[attr] for attr in ("title", "body", "notes") if attr in values}
        for attr in ("level", "order"):
            if values.get(attr) is not None:
                new_values[attr] = values[attr]
        if "theme" in values:
            name = values["theme"]
            theme = self.themes.get((report.pk, name.casefold())) if name else None
            if name and theme is None:
                problems.append(
                    Problem(
                        number,
                        "Tema",
                        _("The quality report has no theme called “%(name)s”.") % {"name": name},
                    )
                )
            new_values["theme"] = theme
        if problems:
            raise RowProblems(problems)
        changes = self.compare(instance, new_values, COLUMNS, is_new)
        planned = PlannedRow(
            row=number,
            action=NEW if is_new else (UPDATE if changes else UNCHANGED),
            label=f"{report.year} {title or key}",
            instance=instance,
            board_id=report.board_id,
            changes=changes,
            key=("section", report.pk, key),
        )
        if planned.action != UNCHANGED:
            try:
                instance.full_clean(exclude=["report"], validate_unique=False)
            except ValidationError as exc:
                raise RowProblems(self.validation_problems(number, exc, COLUMNS)) from exc
        return planned
