"""The import engine behind every import: plan all rows, report every problem, write all or none.

A resource (a django-import-export `ModelResource` with Swedish column names and natural keys)
plans each row: it turns the cells into values, finds the existing row by its natural key and
says what would change. Nothing is written while any row has a problem. The plan is the
preview; confirming runs the same plan again and writes it in one transaction, with a history
row per change carrying the importing user.
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import resources
from import_export.results import Result, RowResult
from import_export.widgets import ForeignKeyWidget
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from access import policy
from access.choices import Action
from core.cells import is_blank, is_formula, normalize_text
from core.safeinput.text import cell_problem
from core.text import format_decimal

NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"


@dataclass
class Problem:
    """One reason the import cannot go ahead: where (row, column) and why, in Swedish."""

    row: int | None
    column: str | None
    message: str
    row_label: str = ""

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(self.row_label or _("Rad %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("kolumn ”%(column)s”") % {"column": self.column})
        return (", ".join(where) + ": " if where else "") + str(self.message)


class RowProblems(Exception):
    """Raised while planning a row: the row cannot be imported, for these reasons."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass
class PlannedRow:
    """What importing one row would do."""

    row: int
    action: str
    label: str
    instance: object
    board_id: int | None
    changes: list = field(default_factory=list)  # (column, before, after) as display strings
    row_label: str = ""
    key: tuple = ()


class ImportResult(Result):
    """django-import-export's Result, plus the plan and the problems in our own terms."""

    def __init__(self):
        super().__init__()
        self.problems: list[Problem] = []
        self.planned: list[PlannedRow] = []
        self.notes: list[str] = []  # things listed but not imported (unknown KPIs, …)
        self.digest = ""
        self.stale = False
        self.written = False
        self.file_kind = ""

    def has_errors(self):
        return bool(self.problems) or super().has_errors()

    def has_validation_errors(self):
        return bool(self.problems) or super().has_validation_errors()

    @property
    def new_rows(self):
        return [p for p in self.planned if p.action == NEW]

    @property
    def changed_rows(self):
        return [p for p in self.planned if p.action == UPDATE]

    @property
    def unchanged_count(self):
        return sum(1 for p in self.planned if p.action == UNCHANGED)

    @property
    def change_count(self):
        return sum(1 for p in self.planned if p.action != UNCHANGED)

    def count_totals(self):
        self.totals[RowResult.IMPORT_TYPE_NEW] = len(self.new_rows)
        self.totals[RowResult.IMPORT_TYPE_UPDATE] = len(self.changed_rows)
        self.totals[RowResult.IMPORT_TYPE_SKIP] = self.unchanged_count
        self.totals[RowResult.IMPORT_TYPE_INVALID] = len(self.problems)
        self.total_rows = len(self.planned) + len({p.row for p in self.problems})


def display(value) -> str:
    """A value as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def same(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    if old is None:
        old = "" if isinstance(new, str) else old
    if new is None:
        new = "" if isinstance(old, str) else new
    return old == new


class PlannedImportResource(resources.ModelResource):
    """Base of the project's resources: export filtered by the policy, import planned first.

    Subclasses declare their fields (Swedish column names, natural-key widgets) and implement
    `prepare(rows)` (load what the rows refer to, in a few queries) and
    `plan_row(number, cells)` (return a PlannedRow or raise RowProblems).
    """

    #: Columns every file must have, by column name.
    required_columns: tuple = ()
    #: Column named in a permission error.
    board_column = "Nämnd"
    #: Write with bulk_create/bulk_update (with history) instead of one save per row.
    bulk_write = False
    #: Related rows the export reads with each row (one query, not one per row).
    export_select_related: tuple = ()
    #: What a row is called in messages (Rad 5, Post 3, …).
    row_word = ""

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    # -- export ---------------------------------------------------------------------------
    def get_queryset(self):
        return self.filter_export(super().get_queryset())

    def filter_export(self, queryset, **kwargs):
        """Only rows of boards the user may export; nothing for anonymous users."""
        if self.export_select_related:
            queryset = queryset.select_related(*self.export_select_related)
        if self.user is None:
            return queryset.none()
        return policy.filter_by_board(queryset, self.user, Action.EXPORT)

    # -- import ---------------------------------------------------------------------------
    def column_names(self):
        return [f.column_name for f in self.fields.values()]

    def check_headers(self, headers, result) -> list:
        """The file's columns in our names; a problem for each unknown, repeated or missing one."""
        known = {name.casefold(): name for name in self.column_names()}
        columns, seen = [], set()
        for position, header in enumerate(headers, start=1):
            text = normalize_text(header)
            if not text:
                columns.append(None)
                continue
            name = known.get(text.casefold())
            if name is None:
                result.problems.append(
                    Problem(
                        1,
                        text,
                        _(
                            "Unknown column (no. %(position)s). The columns must be called: "
                            "%(names)s."
                        )
                        % {"position": position, "names": ", ".join(self.column_names())},
                    )
                )
            elif name in seen:
                result.problems.append(Problem(1, name, _("The column appears twice.")))
            seen.add(name)
            columns.append(name)
        for name in self.missing_columns(seen):
            result.problems.append(Problem(1, name, _("The file lacks this column.")))
        return columns

    def missing_columns(self, present: set) -> list:
        return [name for name in self.required_columns if name not in present]

    def row_label(self, number) -> str:
        return ""

    def field_by_column(self, column):
        for f in self.fields.values():
            if f.column_name == column:
                return f
        return None

    def clean_cells(self, number, cells, problems) -> dict:
        """Each present cell through its field's widget; relation cells stay text."""
        values = {}
        for name, f in self.fields.items():
            if f.column_name not in cells:
                continue
            raw = cells[f.column_name]
            if isinstance(f.widget, ForeignKeyWidget):
                values[name] = normalize_text(raw)
                continue
            try:
                values[name] = f.widget.clean(raw, row=cells)
            except ValueError as exc:
                problems.append(Problem(number, f.column_name, str(exc), self.row_label(number)))
        return values

    def compare(self, instance, new_values: dict, columns: dict, is_new: bool) -> list:
        """Set the new values on the instance; return the changes as (column, before, after)."""
        changes = []
        for attr, value in new_values.items():
            old = getattr(instance, attr)
            if is_new or not same(old, value):
                if not (is_new and (value is None or value == "" or value is False)):
                    changes.append(
                        (
                            columns.get(attr, attr),
                            display(old) if not is_new else "",
                            display(value),
                        )
                    )
                setattr(instance, attr, value)
        return changes

    def validation_problems(self, number, error: ValidationError, columns: dict) -> list:
        problems = []
        for attr, messages in error.message_dict.items():
            column = None if attr == NON_FIELD_ERRORS else columns.get(attr, attr)
            for message in messages:
                problems.append(Problem(number, column, message, self.row_label(number)))
        return problems

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        user=None,
        expected_digest=None,
        progress=None,
        **kwargs,
    ):
        """Plan every row, then (unless dry_run or any problem) write all of them atomically."""
        user = user or self.user
        self.user = user
        result = ImportResult()
        if not policy.board_ids(user, Action.IMPORT):
            result.problems.append(Problem(None, None, _("You may not import to any board.")))
            return result
        headers = list(dataset.headers or [])
        result.problems.extend(self.character_problems(1, enumerate(headers, start=1)))
        if result.problems:
            result.count_totals()
            return result
        columns = self.check_headers(headers, result)
        if result.problems:
            result.count_totals()
            return result
        first = getattr(dataset, "first_row_number", 2)
        rows = []
        for index, values in enumerate(dataset):
            cells = {c: v for c, v in zip(columns, values, strict=False) if c is not None}
            if all(is_blank(v) for v in cells.values()):
                continue
            rows.append((first + index, cells))
        if not rows:
            result.problems.append(Problem(None, None, _("The file holds no rows to import.")))
            return result
        self.plan(rows, result)
        result.count_totals()
        if result.problems:
            return result
        result.digest = self.digest(result.planned)
        if dry_run:
            return result
        if expected_digest and expected_digest != result.digest:
            result.stale = True
            return result
        self.write(result, user, progress=progress)
        return result

    def character_problems(self, number, cells) -> list:
        """A problem for each cell holding NUL or an unpaired surrogate (PostgreSQL refuses
        the first, UTF-8 the second): such a file was written wrongly, so it is refused
        rather than imported with characters quietly dropped. Row 1 is the header row."""
        problems = []
        for column, value in cells:
            message = cell_problem(value)
            if message is None:
                continue
            if number == 1:
                problems.append(
                    Problem(
                        1,
                        None,
                        _("Header no. %(position)s: %(problem)s")
                        % {"position": column, "problem": message},
                    )
                )
            else:
                problems.append(Problem(number, column, message, self.row_label(number)))
        return problems

    def plan(self, rows, result):
        self.prepare(rows)
        seen = {}
        for number, cells in rows:
            character_problems = self.character_problems(number, cells.items())
            if character_problems:
                result.problems.extend(character_problems)
                continue
            formula_problems = [
                Problem(
                    number,
                    column,
                    _(
                        "The cell holds a formula (“%(formula)s”). Formulas are not "
                        "imported; type the value instead."
                    )
                    % {"formula": str(value)[:40]},
                    self.row_label(number),
                )
                for column, value in cells.items()
                if is_formula(value)
            ]
            if formula_problems:
                result.problems.extend(formula_problems)
                continue
            try:
                planned = self.plan_row(number, cells)
            except RowProblems as exc:
                result.problems.extend(exc.problems)
                continue
            for item in planned if isinstance(planned, list) else [planned]:
                self.add_planned(item, seen, result)

    def add_planned(self, item: PlannedRow, seen: dict, result: ImportResult):
        key = self.key_of(item)
        if key in seen:
            result.problems.append(
                Problem(
                    item.row,
                    None,
                    _("The row repeats %(label)s, which is already on %(first)s.")
                    % {
                        "label": item.label,
                        "first": seen[key].row_label or _("rad %(row)s") % {"row": seen[key].row},
                    },
                    item.row_label,
                )
            )
            return
        seen[key] = item
        if not policy.can(self.user, Action.IMPORT, item.board_id):
            result.problems.append(
                Problem(
                    item.row,
                    self.board_column,
                    _("You may not import to the board %(board)s.")
                    % {"board": self.board_name(item.board_id)},
                    item.row_label,
                )
            )
            return
        result.planned.append(item)

    def key_of(self, item: PlannedRow):
        return item.key or (type(item.instance), item.instance.pk or id(item.instance))

    def load_boards(self):
        from goals.models import Board

        self.boards_by_name = {}
        for board in Board.objects.select_related("municipality"):
            self.boards_by_name.setdefault(board.name.casefold(), []).append(board)

    def resolve_board(self, number, name, problems):
        if not name:
            problems.append(
                Problem(number, "Nämnd", _("The board is missing."), self.row_label(number))
            )
            return None
        boards = self.boards_by_name.get(name.casefold(), [])
        if len(boards) > 1:
            mine = policy.board_ids(self.user, Action.IMPORT)
            boards = [b for b in boards if b.pk in mine] or boards
        if not boards:
            problems.append(
                Problem(
                    number,
                    "Nämnd",
                    _("There is no board called “%(name)s”.") % {"name": name},
                    self.row_label(number),
                )
            )
            return None
        if len(boards) > 1:
            problems.append(
                Problem(
                    number,
                    "Nämnd",
                    _("Several boards are called “%(name)s”; contact the system administrator.")
                    % {"name": name},
                    self.row_label(number),
                )
            )
            return None
        board = boards[0]
        if not policy.can(self.user, Action.IMPORT, board.pk):
            # Checked before anything else of the row is looked up, so that an editor learns
            # nothing about another board's indicators or activities from the messages.
            problems.append(
                Problem(
                    number,
                    self.board_column,
                    _("You may not import to the board %(board)s.") % {"board": board.name},
                    self.row_label(number),
                )
            )
            return None
        return board

    def board_name(self, board_id) -> str:
        from goals.models import Board

        return str(Board.objects.filter(pk=board_id).first() or board_id)

    @staticmethod
    def digest(planned) -> str:
        """A fingerprint of the plan: confirming refuses to write a plan that has changed."""
        h = hashlib.sha256()
        for item in planned:
            h.update(repr((item.row, item.action, item.changes)).encode())
        return h.hexdigest()

    # -- writing --------------------------------------------------------------------------
    def update_fields(self) -> list:
        raise NotImplementedError

    def before_write(self, instance, user, now):
        """Set bookkeeping fields (version, updated_by, …) just before writing."""

    def write(self, result, user, progress=None):
        now = timezone.now()
        to_create = [p.instance for p in result.planned if p.action == NEW]
        to_update = [p.instance for p in result.planned if p.action == UPDATE]
        total = len(to_create) + len(to_update)
        try:
            with transaction.atomic():
                for instance in to_create + to_update:
                    self.before_write(instance, user, now)
                if self.bulk_write:
                    self._bulk_write(to_create, to_update, user, now, total, progress)
                else:
                    for done, instance in enumerate(to_create + to_update, start=1):
                        instance._history_user = user
                        instance.save()
                        if progress and done % 500 == 0:
                            progress(done, total)
        except (IntegrityError, DatabaseError, ValidationError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            result.problems.append(
                Problem(
                    None,
                    None,
                    _("Databasen avvisade importen, inget sparades: %(error)s")
                    % {"error": message.strip().splitlines()[0] if message.strip() else exc},
                )
            )
            result.count_totals()
            return
        result.written = True
        if progress:
            progress(total, total)

    def _bulk_write(self, to_create, to_update, user, now, total, progress, chunk=2000):
        model = self._meta.model
        done = 0
        for start in range(0, len(to_create), chunk):
            part = to_create[start : start + chunk]
            bulk_create_with_history(
                part, model, batch_size=chunk, default_user=user, default_date=now
            )
            done += len(part)
            if progress:
                progress(done, total)
        fields = [*self.update_fields(), "updated_at"]
        for instance in to_update:
            instance.updated_at = now
        for start in range(0, len(to_update), chunk):
            part = to_update[start : start + chunk]
            bulk_update_with_history(
                part, model, fields, batch_size=chunk, default_user=user, default_date=now
            )
            done += len(part)
            if progress:
                progress(done, total)
