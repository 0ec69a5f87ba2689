"""Pickers of plan content name the board and the year ("Socialnämnden 2019 – <goal>"):
a board's goals of different years often read the same, so the text alone picks wrong.

One label function for the autocomplete answers (FollowUpAdminSite.autocomplete_view), the
selected value of a picker and the plain select lists (LabelledChoicesMixin).
"""

import re

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Q

from activities.models import Activity, Assignment
from goals.models import FollowUpPeriod, Goal, GoalIndicatorItem, Plan, PlanSection
from indicators.models import Indicator

#: Per model: what its label reads (select_related) and how to find its board and year.
LABELLED = {
    Plan: ("board", "board__name", "year"),
    Goal: ("plan__board", "plan__board__name", "plan__year"),
    Activity: ("plan__board", "plan__board__name", "plan__year"),
    Assignment: ("plan__board", "plan__board__name", "plan__year"),
    FollowUpPeriod: ("plan__board", "plan__board__name", "plan__year"),
    PlanSection: ("plan__board", "plan__board__name", "plan__year"),
    Indicator: ("board", "board__name", "goal__plan__year"),
    GoalIndicatorItem: ("goal__plan__board", "goal__plan__board__name", "goal__plan__year"),
}

#: How a model's rows find their plan (restrict_to_plan); the default is "plan_id".
PLAN_LOOKUP = {GoalIndicatorItem: "goal__plan_id"}

MAX_TEXT = 90


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def board_and_year(obj) -> str:
    """ "Socialnämnden 2019" for plan content, "" for other objects."""
    if isinstance(obj, Plan):
        return f"{obj.board.name} {obj.year}"
    if isinstance(obj, Indicator):
        goal = obj.goal
        year = f" {goal.plan.year}" if goal is not None else ""
        return f"{obj.board.name}{year}"
    if isinstance(obj, GoalIndicatorItem):
        plan = obj.goal.plan
        return f"{plan.board.name} {plan.year}"
    plan = getattr(obj, "plan", None)
    if isinstance(plan, Plan):
        return f"{plan.board.name} {plan.year}"
    return ""


def object_label(obj) -> str:
    """The picker's label: board and year, a dash, then the object as it reads."""
    prefix = board_and_year(obj)
    text = _short(obj.title if isinstance(obj, Plan) else obj)
    return f"{prefix} – {text}" if prefix else text


def select_for_label(queryset):
    """The queryset with what object_label reads (one query for the whole list)."""
    spec = LABELLED.get(queryset.model)
    if spec is None:
        return queryset
    related = [spec[0]]
    if queryset.model is Indicator:
        related.append("goal__plan")
    return queryset.select_related(*related)


YEAR_RE = re.compile(r"^(19|20|21)\d\d$")


def search_by_board_and_year(model, queryset, term: str):
    """Words of the term that are a year narrow to that year; the rest search on as before
    (returned). Board names are searched through the admins' search_fields."""
    spec = LABELLED.get(model)
    if spec is None or not term:
        return queryset, term
    rest = []
    for word in term.split():
        if YEAR_RE.match(word):
            queryset = queryset.filter(Q(**{spec[2]: int(word)}))
        else:
            rest.append(word)
    return queryset, " ".join(rest)


class LabelledChoicesMixin:
    """Foreign-key pickers of plan content show board and year, in one query."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and db_field.related_model in LABELLED:
            formfield.queryset = select_for_label(formfield.queryset)
            formfield.label_from_instance = object_label
        return formfield

    def get_search_results(self, request, queryset, search_term):
        queryset, search_term = search_by_board_and_year(self.model, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = select_for_label(queryset)
        return super().get_search_results(request, queryset, search_term)


def restrict_to_plan(form_class, plan_id, fields):
    """On a row of a known plan, the pickers `fields` (goal, period, …) offer only that
    plan's rows, as a plain list (a plan has few goals and periods)."""
    for name in fields:
        field = form_class.base_fields.get(name)
        if field is None or not hasattr(field, "queryset"):
            continue
        if isinstance(getattr(field.widget, "widget", None), AutocompleteSelect):
            field.widget.widget = forms.Select()
        lookup = PLAN_LOOKUP.get(field.queryset.model, "plan_id")
        field.queryset = select_for_label(field.queryset.filter(**{lookup: plan_id}))
        field.label_from_instance = object_label
    return form_class
