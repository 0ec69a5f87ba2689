"""What changed between two editions of a report, or between two follow-up dates of a plan.

Both sides are read as data: an edition's stored content (JSON, reports.editions.report_data),
or, for a period without an edition (a draft its board's staff may read), the same data built
now from the selectors. The data is walked generically, so the comparison survives the content
getting richer (more sections, more keys):

- every model row in the data (a dict with "model" and "pk") is an entity, identified by
  (model, pk) — goals, indicators, activities, assignments keep their rows across the
  editions of a plan;
- a follow-up row belongs to the subject(s) it names (goal_id, activity_id, …); on each side
  a subject is compared by its latest follow-up (the tertial's text against the year-end's);
- the plain values beside an entity in the report's blocks (an indicator's table lines and
  cells, a goal's summary) are that entity's values, keyed by their path (list items by
  their label, year, key or number);
- only keys present on both sides are compared, so a key added by a newer read model is not
  reported as a change.

Texts are compared word by word (difflib); the marked-up result is built from escaped tokens,
never from the texts' own HTML.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.apps import apps
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from goals.choices import PeriodKind, PeriodStatus

#: Follow-up fields naming the item the follow-up is about, and that item's model.
SUBJECT_FIELDS = {
    "goal_id": "goals.goal",
    "indicator_id": "indicators.indicator",
    "activity_id": "activities.activity",
    "assignment_id": "activities.assignment",
}
SUBJECT_MODELS = (
    "goals.goal",
    "indicators.indicator",
    "activities.activity",
    "activities.assignment",
)
FOLLOW_UP_MODEL = "followups.followup"
PERIOD_MODEL = "goals.followupperiod"
#: Rows that are the report's frame, not its content: not compared.
FRAME_MODELS = {
    "goals.plan",
    "goals.board",
    "goals.municipality",
    "goals.followupperiod",
    "goals.fulfilmentlevel",
    "goals.activityarea",
    "goals.goaldomain",
    "goals.municipalgoal",
}
#: Bookkeeping fields of a row: never a change of content.
SKIPPED_FIELDS = {
    "model",
    "pk",
    "id",
    "version",
    "updated_at",
    "updated_by_id",
    "created_at",
    "order",
    "sort_key",
    "uid",
}
#: Keys of a report's blocks that are layout, not content (anchors, charts, footnote numbers).
SKIPPED_KEYS = {"anchor", "chart", "notes", "trend", "toc", "is_breakdown", "legend"}
#: Keys that identify an item of a list of values (in this order of preference).
ITEM_KEYS = ("label", "year", "key", "number", "title")
#: Words compared at most per text; longer texts are shown as replaced whole.
MAX_WORDS = 5000

TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> SafeString:
    """`new` with the words removed from `old` in <del> and those added in <ins>, escaped."""
    old_tokens, new_tokens = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    if len(old_tokens) > MAX_WORDS or len(new_tokens) > MAX_WORDS:
        opcodes = [("replace", 0, len(old_tokens), 0, len(new_tokens))]
    else:
        opcodes = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes()
    parts = []
    for tag, i1, i2, j1, j2 in opcodes:
        removed = escape("".join(old_tokens[i1:i2]))
        added = escape("".join(new_tokens[j1:j2]))
        if tag == "equal":
            parts.append(added)
            continue
        if removed.strip():
            parts.append(f"<del>{removed}</del>")
        elif removed:
            parts.append(removed if not added else "")
        if added.strip():
            parts.append(f"<ins>{added}</ins>")
        elif added:
            parts.append(added)
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


# -- reading a side ---------------------------------------------------------------------------


@dataclass
class Entity:
    """A model row found in the content, with the plain values printed beside it."""

    model: str
    pk: object
    row: dict
    values: dict = field(default_factory=dict)
    position: int = 0


@dataclass
class Side:
    """One side of the comparison: its entities and its follow-ups by subject."""

    label: str
    entities: dict = field(default_factory=dict)
    follow_ups: dict = field(default_factory=dict)  # (model, pk) -> [row]
    period_dates: dict = field(default_factory=dict)


def _is_row(value) -> bool:
    return isinstance(value, dict) and "model" in value and "pk" in value


def _item_key(item, index):
    if isinstance(item, dict):
        for key in ITEM_KEYS:
            if item.get(key) not in (None, ""):
                return str(item[key])
    return str(index)


def _plain_values(value, path, out):
    """Scalar leaves under `value`, by path; stops at rows and at blocks holding rows."""
    if _is_row(value):
        return
    if isinstance(value, dict):
        if any(_is_row(v) for v in value.values()):
            return
        for key, item in value.items():
            if key not in SKIPPED_KEYS:
                _plain_values(item, (*path, key), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _plain_values(item, (*path, _item_key(item, index)), out)
    elif value is not None and value != "":
        out[path] = value


def side_read(label: str, documents) -> Side:
    """The entities and follow-ups of `documents` (content data, e.g. json.loads of an
    edition's content; several documents for a period with more than one report)."""
    side = Side(label=label)
    counter = [0]

    def entity_for(row):
        key = (row["model"], row["pk"])
        entity = side.entities.get(key)
        if entity is None:
            counter[0] += 1
            entity = Entity(model=row["model"], pk=row["pk"], row=row, position=counter[0])
            side.entities[key] = entity
        else:
            for name, value in row.items():
                entity.row.setdefault(name, value)
        return entity

    def walk(value):
        if _is_row(value):
            entity_for(value)
            for item in value.values():
                if isinstance(item, dict | list):
                    walk(item)
            return
        if isinstance(value, dict):
            rows = [(k, v) for k, v in value.items() if _is_row(v)]
            owners = [v for _k, v in rows if v["model"] in SUBJECT_MODELS]
            if len(owners) == 1:
                # A block about one item (an indicator's table block, a goal's section):
                # the plain values beside the row are that item's.
                owner = entity_for(owners[0])
                for key, item in value.items():
                    if key in SKIPPED_KEYS or _is_row(item):
                        continue
                    _plain_values(item, (key,), owner.values)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for document in documents:
        walk(document)
    for (model, _pk), entity in list(side.entities.items()):
        if model == PERIOD_MODEL:
            side.period_dates[entity.pk] = entity.row.get("date") or ""
    for (model, _pk), entity in side.entities.items():
        if model != FOLLOW_UP_MODEL:
            continue
        for name, subject_model in SUBJECT_FIELDS.items():
            if entity.row.get(name) is not None:
                side.follow_ups.setdefault((subject_model, entity.row[name]), []).append(entity)
    return side


def _period_of(side: Side, follow_up) -> str:
    if follow_up is None:
        return ""
    return side.period_dates.get(follow_up.row.get("period_id"), "")


def _latest(side: Side, key):
    rows = side.follow_ups.get(key) or []
    if not rows:
        return None
    return max(rows, key=lambda e: (side.period_dates.get(e.row.get("period_id"), ""), e.position))


# -- comparing --------------------------------------------------------------------------------


@dataclass
class FieldChange:
    """One changed field or value: both sides as text, and texts marked word by word."""

    name: str
    old: str
    new: str
    marked: SafeString | None = None


@dataclass
class ItemDiff:
    """A goal, indicator, activity or assignment (or other content row) that changed."""

    model: str
    pk: object
    title: str
    kind: str
    state: str  # changed, added, removed
    fields: list[FieldChange] = field(default_factory=list)
    follow_up: list[FieldChange] = field(default_factory=list)
    values: list[FieldChange] = field(default_factory=list)
    old_period: str = ""
    new_period: str = ""
    children: list = field(default_factory=list)
    position: int = 0


@dataclass
class ReportDiff:
    """The changes between side `old` and side `new`, per goal and then the rest."""

    old_label: str
    new_label: str
    goals: list[ItemDiff]
    others: list[ItemDiff]
    changed: int
    unchanged: int


def _model(label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field_name(model, name):
    if model is not None:
        try:
            return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)
        except Exception:  # noqa: BLE001 - a key the model does not have (yet)
            pass
    return name.replace("_", " ")


class _Display:
    """Values as a reader reads them: choice labels, fulfilment level names."""

    def __init__(self, levels):
        self.levels = levels

    def __call__(self, model, name, value):
        if value is None or value == "":
            return "–"
        if name == "fulfilment_id":
            return self.levels.get(value, str(value))
        if model is not None:
            try:
                model_field = model._meta.get_field(name)
            except Exception:  # noqa: BLE001
                model_field = None
            if model_field is not None and model_field.choices:
                return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return str(value)


def _is_text(old, new):
    return isinstance(old, str) and isinstance(new, str) and (" " in old or " " in new)


def _compare_rows(old_row, new_row, display, model, *, skip=()):
    changes = []
    names = [n for n in new_row if n in old_row] if old_row else list(new_row)
    for name in names:
        if name in SKIPPED_FIELDS or name in skip:
            continue
        if name.endswith("_id") and name != "fulfilment_id":
            continue
        old = old_row.get(name) if old_row else None
        new = new_row.get(name)
        if isinstance(old, dict | list) or isinstance(new, dict | list) or old == new:
            continue
        if not old_row and new in (None, ""):
            continue
        label = _field_name(model, name)
        change = FieldChange(label, display(model, name, old), display(model, name, new))
        if _is_text(old or "", new or ""):
            change.marked = word_diff(old or "", new or "")
        changes.append(change)
    return changes


def _compare_values(old_values, new_values):
    groups_old = {path[0] for path in old_values}
    groups_new = {path[0] for path in new_values}
    shared = groups_old & groups_new
    changes = []
    for path in sorted(set(old_values) | set(new_values), key=lambda p: [str(x) for x in p]):
        if path[0] not in shared:
            continue
        old, new = old_values.get(path), new_values.get(path)
        if old == new:
            continue
        label = " ".join(str(part) for part in path if part not in ("lines", "cells", "text"))
        change = FieldChange(
            label, "–" if old is None else str(old), "–" if new is None else str(new)
        )
        if _is_text(old or "", new or ""):
            change.marked = word_diff(str(old or ""), str(new or ""))
        changes.append(change)
    return changes


def _shown(value):
    return "–" if value is None else str(value)


def _title(entity: Entity) -> str:
    row = entity.row
    number = row.get("number") or row.get("code") or ""
    for name in ("title", "name", "text", "label", "key"):
        if isinstance(row.get(name), str) and row[name].strip():
            text = " ".join(row[name].split())
            text = text if len(text) <= 120 else text[:117] + "…"
            return f"{number} {text}".strip()
    return f"{entity.model} {entity.pk}"


FOLLOW_UP_SKIP = set(SUBJECT_FIELDS) | {"period_id"}


def report_diff(old: Side, new: Side, *, levels: dict) -> ReportDiff:
    """Compare two sides; `levels` names the fulfilment levels by id (one query, the caller's)."""
    display = _Display(levels)
    follow_up_model = _model(FOLLOW_UP_MODEL)
    items = {}
    unchanged = 0
    keys = list(new.entities) + [k for k in old.entities if k not in new.entities]
    for key in keys:
        model_label, pk = key
        if model_label in FRAME_MODELS or model_label == FOLLOW_UP_MODEL:
            continue
        old_entity, new_entity = old.entities.get(key), new.entities.get(key)
        entity = new_entity or old_entity
        model = _model(model_label)
        kind = str(model._meta.verbose_name) if model is not None else model_label
        if old_entity is None or new_entity is None:
            state = "added" if old_entity is None else "removed"
            diff = ItemDiff(model_label, pk, _title(entity), kind, state)
            if state == "added":
                diff.fields = _compare_rows(None, entity.row, display, model)
            items[key] = diff
            continue
        diff = ItemDiff(model_label, pk, _title(entity), kind, "changed")
        diff.fields = _compare_rows(old_entity.row, new_entity.row, display, model)
        diff.values = _compare_values(old_entity.values, new_entity.values)
        if model_label in SUBJECT_MODELS:
            old_fu, new_fu = _latest(old, key), _latest(new, key)
            if old_fu is not None or new_fu is not None:
                diff.old_period = (
                    old.period_dates.get(old_fu.row.get("period_id"), "") if old_fu else ""
                )
                diff.new_period = (
                    new.period_dates.get(new_fu.row.get("period_id"), "") if new_fu else ""
                )
                diff.follow_up = _compare_rows(
                    old_fu.row if old_fu else {},
                    new_fu.row if new_fu else {},
                    display,
                    follow_up_model,
                    skip=FOLLOW_UP_SKIP,
                )
        if diff.fields or diff.values or diff.follow_up:
            items[key] = diff
        else:
            unchanged += 1
        diff.position = entity.position

    # Per goal: the goal's own changes, then its indicators, activities and assignments.
    goals, others = [], []
    by_goal = {}
    for key in keys:
        if key[0] == "goals.goal":
            diff = items.get(key)
            entity = new.entities.get(key) or old.entities.get(key)
            if diff is None:
                diff = ItemDiff(key[0], key[1], _title(entity), "", "context")
            by_goal[key[1]] = diff
    for key in keys:
        diff = items.get(key)
        if diff is None or key[0] == "goals.goal":
            continue
        entity = new.entities.get(key) or old.entities.get(key)
        goal_id = entity.row.get("goal_id")
        if key[0] in SUBJECT_MODELS and goal_id in by_goal:
            by_goal[goal_id].children.append(diff)
        else:
            others.append(diff)
    for diff in by_goal.values():
        if diff.state != "context" or diff.children:
            goals.append(diff)
    return ReportDiff(old.label, new.label, goals, others, len(items), unchanged)


# -- the sides from the database and the storage ------------------------------------------------


def _stored_json(edition):
    import json

    from django.core.files.storage import default_storage

    with default_storage.open(edition.content.name, "rb") as stored:
        return json.loads(stored.read())


def edition_side(edition) -> Side:
    """An edition as published (its stored content)."""
    label = _("%(report)s, follow-up %(date)s, published %(published)s") % {
        "report": edition.get_kind_display(),
        "date": f"{edition.period.date:%Y-%m-%d}",
        "published": f"{edition.published_at:%Y-%m-%d}",
    }
    if edition.is_correction:
        label += " (" + _("corrected edition") + ")"
    return side_read(label, [_stored_json(edition)])


def period_side(*, user, period) -> Side:
    """The plan's reports at `period` as `user` may read them (the caller checked the period
    is readable): the newest stored editions of a published period, else built now."""
    from access import policy
    from followups.models import FollowUp

    from . import selectors
    from .editions import report_data
    from .models import Edition

    label = _("Follow-up %(date)s") % {"date": f"{period.date:%Y-%m-%d}"}
    newest = {}
    if period.status == PeriodStatus.PUBLISHED:
        for edition in Edition.objects.filter(period=period).order_by("published_at", "pk"):
            newest[edition.kind] = edition
    if newest:
        return side_read(label, [_stored_json(e) for e in newest.values()])
    label += " (" + _("not published") + ")"
    plan = period.plan
    periods = [
        p
        for p in selectors.plan_periods_get(plan=plan, until=period.date)
        if policy.can_view_period(user, p)
    ]
    documents = [report_data(selectors.plan_report_get(plan=plan, periods=periods))]
    # Every follow-up of those dates, also those the plan report does not print (a goal's
    # forecast and assessment at a tertial): what staff compare before publishing.
    follow_ups = FollowUp.objects.filter(period__in=[p.pk for p in periods]).order_by("pk")
    documents.append({"follow_ups": report_data(list(follow_ups))})
    if period.kind == PeriodKind.TERTIAL_3:
        documents.append(report_data(selectors.year_end_report_get(plan=plan, period=period)))
    return side_read(label, documents)


def fulfilment_levels() -> dict:
    """Fulfilment level names by id (one query)."""
    from goals.models import FulfilmentLevel

    return {level.pk: str(level) for level in FulfilmentLevel.objects.all()}
