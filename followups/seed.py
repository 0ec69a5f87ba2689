"""Load the seed documents (cleaned JSON in fixtures/seed/) into the database.

The JSON files keep the documents' own structure (areas → goals → activities → follow-ups)
and natural keys, not database ids, so they stay readable and diffable. Loading is an
upsert on natural keys that saves only what differs: loading twice changes nothing.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils.text import slugify

from activities.choices import AssignmentOrigin, Schedule, WorkStatus
from activities.models import Activity, Assignment
from goals.choices import PeriodKind
from goals.models import (
    ActivityArea,
    Board,
    FollowUpPeriod,
    FulfilmentLevel,
    Goal,
    GoalDomain,
    GoalIndicatorItem,
    GoalMunicipalGoal,
    MunicipalGoal,
    Municipality,
    Plan,
    PlanSection,
)
from indicators.choices import Gender, IndicatorKind
from indicators.models import Indicator, IndicatorValue

from .models import FollowUp

#: Sent inside the load's transaction for each year-end report, with the loader, the plan and
#: the report's data: apps above this one load their parts of it (reports: economy tables).
report_loaded = Signal()

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "seed"
SEED_FILES = ("verksamhetsplan-2017.json", "verksamhetsberattelse-2019.json")

MUNICIPALITY_CODES = {"Linköpings kommun": "0580"}

#: Linköping's four-level scale as the 2019 report's legend describes it.
FULFILMENT_LEVELS = [
    ("fulfilled", "Uppfyllt", "Visar att nämndmålet är uppfyllt", "#2e7d32", "●"),
    (
        "partly",
        "Delvis uppfyllt",
        "Visar en positiv utveckling och att nämndmålet är delvis uppfyllt",
        "#f2c200",
        "◐",
    ),
    (
        "not_fulfilled",
        "Ej uppfyllt",
        "Visar på en negativ utveckling och att nämndmålet inte är uppfyllt",
        "#c62828",
        "○",
    ),
    (
        "not_assessed",
        "Ej bedömt",
        "En bedömning har inte kunnat göras per den sista december",
        "#9e9e9e",
        "–",
    ),
]

STATUS_WORDS = {
    "genomfört": WorkStatus.DONE,
    "genomförd": WorkStatus.DONE,
    "klart": WorkStatus.DONE,
    "pågår": WorkStatus.IN_PROGRESS,
    "ej påbörjat": WorkStatus.NOT_STARTED,
    "ej påbörjad": WorkStatus.NOT_STARTED,
    "senarelagt": WorkStatus.POSTPONED,
    "avbrutet": WorkStatus.CANCELLED,
}

GENDERS = {"total": Gender.TOTAL, "women": Gender.WOMEN, "men": Gender.MEN}


@dataclass
class LoadStats:
    """How many rows the load created, changed and left alone, per model."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changes(self):
        return sum(self.created.values()) + sum(self.updated.values())


class _Loader:
    def __init__(self):
        self.stats = LoadStats()

    # -- generic upsert ------------------------------------------------------------------
    def upsert(self, model, lookup, values=None):
        """Create the row, or change only the fields that differ; count what happened."""
        values = values or {}
        name = model._meta.label
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.stats.created[name] += 1
            return obj
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            obj.full_clean()
            obj.save()
            self.stats.updated[name] += 1
        else:
            self.stats.unchanged[name] += 1
        return obj

    def set_m2m(self, obj, attr, targets):
        manager = getattr(obj, attr)
        wanted = {t.pk for t in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(targets)
            self.stats.updated[f"{obj._meta.label}.{attr}"] += 1

    # -- shared pieces -------------------------------------------------------------------
    def municipality(self, name):
        municipality = self.upsert(
            Municipality, {"name": name}, {"code": MUNICIPALITY_CODES.get(name, "")}
        )
        self.levels = {}
        for order, (code, label, description, colour, symbol) in enumerate(FULFILMENT_LEVELS):
            self.levels[code] = self.upsert(
                FulfilmentLevel,
                {"municipality": municipality, "code": code},
                {
                    "label": label,
                    "description": description,
                    "colour": colour,
                    "symbol": symbol,
                    "order": order,
                },
            )
        return municipality

    def board(self, municipality, data):
        return self.upsert(
            Board,
            {"municipality": municipality, "name": data["name"]},
            {"valid_from": data.get("valid_from"), "valid_to": data.get("valid_to")},
        )

    def period(self, plan, kind, on):
        return self.upsert(FollowUpPeriod, {"plan": plan, "kind": kind}, {"date": on})

    def follow_up(self, period, subject_field, subject, values):
        return self.upsert(FollowUp, {"period": period, subject_field: subject}, values)

    def section(self, plan, key, title, body, order, area=None, period=None, before_goal=None):
        return self.upsert(
            PlanSection,
            {"plan": plan, "key": key},
            {
                "title": title,
                "body": body,
                "order": order,
                "area": area,
                "period": period,
                "before_goal": before_goal,
            },
        )

    # -- verksamhetsplan 2017 ---------------------------------------------------------------
    def load_plan(self, data):
        municipality = self.municipality(data["municipality"])
        board = self.board(municipality, data["board"])
        plan_data = data["plan"]
        plan = self.upsert(
            Plan,
            {"board": board, "year": plan_data["year"]},
            {
                "title": plan_data["title"],
                "adopted_on": _date(plan_data.get("adopted_on")),
            },
        )
        for order, section in enumerate(plan_data.get("sections", []), start=1):
            self.section(plan, _key(section["title"]), section["title"], section["body"], order)

        municipal_goals = {
            mg["title"]: self.upsert(
                MunicipalGoal,
                {
                    "municipality": municipality,
                    "title": mg["title"],
                    "valid_from": mg.get("valid_from", 2015),
                },
                {"valid_to": mg.get("valid_to", 2018), "order": order},
            )
            for order, mg in enumerate(data["municipal_goals"], start=1)
        }
        periods = {
            p["date"]: self.period(plan, p["kind"], _date(p["date"]))
            for p in data["follow_up_periods"]
        }

        goal_order = 0
        for area_order, area_data in enumerate(data["areas"], start=1):
            area = self.upsert(
                ActivityArea, {"board": board, "name": area_data["name"]}, {"order": area_order}
            )
            self.section(
                plan,
                f"area-{area_order}",
                area_data["name"],
                area_data.get("narrative", ""),
                100 + area_order * 10,
                area=area,
            )
            for goal_data in area_data["goals"]:
                goal_order += 1
                goal = self.upsert(
                    Goal,
                    {"plan": plan, "order": goal_order},
                    {
                        "area": area,
                        "text": goal_data["text"],
                        "intro": goal_data.get("intro", ""),
                        "summary": goal_data.get("summary", ""),
                    },
                )
                # Narrative of the area that leads into the goal ("E-hälsa" and its text):
                # printed right before the goal's heading.
                for index, context in enumerate(goal_data.get("sections_before", []), start=1):
                    self.section(
                        plan,
                        f"goal-{goal_order}-{_key(context['title'])}"[:80],
                        context["title"],
                        context.get("body", ""),
                        index,
                        area=area,
                        before_goal=goal,
                    )
                self.goal_links(
                    goal, [municipal_goals[title] for title in goal_data.get("municipal_goals", [])]
                )
                self.indicator_items(goal, goal_data.get("indicators", []))
                for activity_data in goal_data.get("activities", []):
                    self.activity(plan, periods, activity_data, goal=goal, area=area)
            # Activities of an area that has no goal of its own.
            for activity_data in area_data.get("activities", []):
                self.activity(plan, periods, activity_data, goal=None, area=area)
        return plan

    def activity(self, plan, periods, data, *, goal, area):
        schedule, schedule_text = _schedule(data.get("schedule", ""))
        activity = self.upsert(
            Activity,
            {"plan": plan, "number": data["number"]},
            {
                "goal": goal,
                "area": area,
                "text": data["text"],
                "schedule": schedule,
                "schedule_text": schedule_text,
            },
        )
        for on, text in data.get("follow_ups", {}).items():
            self.follow_up(periods[on], "activity", activity, {"text": text})
        return activity

    def goal_links(self, goal, municipal_goals):
        """The goal's links to municipal goals, in the order given."""
        for order, municipal_goal in enumerate(municipal_goals, start=1):
            self.upsert(
                GoalMunicipalGoal,
                {"goal": goal, "municipal_goal": municipal_goal},
                {"order": order},
            )
        stale = GoalMunicipalGoal.objects.filter(goal=goal).exclude(
            municipal_goal__in=municipal_goals
        )
        if stale.exists():
            stale.delete()
            self.stats.updated["goals.GoalMunicipalGoal"] += 1

    def indicator_items(self, goal, items):
        """The goal's indicators as the plan writes them, numbered or not, in order."""
        kept = []
        for order, item in enumerate(items, start=1):
            if isinstance(item, str):
                item = {"text": item}
            kept.append(
                self.upsert(
                    GoalIndicatorItem,
                    {"goal": goal, "order": order},
                    {"number": str(item.get("number", "") or ""), "text": item["text"]},
                ).pk
            )
        stale = GoalIndicatorItem.objects.filter(goal=goal).exclude(pk__in=kept)
        if stale.exists():
            stale.delete()
            self.stats.updated["goals.GoalIndicatorItem"] += 1

    # -- verksamhetsberättelse 2019 ----------------------------------------------------------
    def load_report(self, data):
        municipality = self.municipality(data["municipality"])
        board_data = data["board"]
        board = self.board(municipality, board_data)
        predecessors = [
            Board.objects.filter(municipality=municipality, name=name).first()
            or self.upsert(Board, {"municipality": municipality, "name": name})
            for name in board_data.get("predecessors", [])
        ]
        self.set_m2m(board, "predecessors", predecessors)

        year = data["plan"]["year"]
        plan = self.upsert(Plan, {"board": board, "year": year}, {"title": data["plan"]["title"]})
        year_end = self.period(plan, PeriodKind.TERTIAL_3, date(year, 12, 31))

        report = data.get("report", {})
        order = 0
        for order, section in enumerate(report.get("sections", []), start=1):
            self.section(
                plan, section["key"], section["title"], section["body"], order, period=year_end
            )
        for key, title in (("volumes_note", "Basuppdrag"), ("staff_note", "Personal")):
            if data.get(key):
                order += 1
                self.section(plan, key.replace("_", "-"), title, data[key], order, period=year_end)

        domains = {
            name: self.upsert(
                GoalDomain, {"municipality": municipality, "name": name}, {"order": order}
            )
            for order, name in enumerate(data.get("goal_domains", []), start=1)
        }
        municipal_goals = {
            mg["title"]: self.upsert(
                MunicipalGoal,
                {"municipality": municipality, "title": mg["title"], "valid_from": year},
                {
                    "valid_to": mg.get("valid_to", year + 3),
                    "domain": domains.get(mg.get("domain")),
                    "order": order,
                },
            )
            for order, mg in enumerate(data.get("municipal_goals", []), start=1)
        }

        goals = {}
        for order, goal_data in enumerate(data["goals"], start=1):
            goal = self.upsert(
                Goal,
                {"plan": plan, "order": order},
                {"text": goal_data["text"], "domain": domains.get(goal_data.get("domain"))},
            )
            self.goal_links(
                goal, [municipal_goals[t] for t in goal_data.get("municipal_goals", [])]
            )
            goals[goal_data["text"]] = goal
            self.follow_up(
                year_end,
                "goal",
                goal,
                {
                    "text": goal_data.get("assessment", ""),
                    "fulfilment": self.levels[goal_data.get("fulfilment", "not_assessed")],
                },
            )

        order = 0
        for kind, items in (
            (IndicatorKind.GOAL, data.get("indicators", [])),
            (IndicatorKind.VOLUME, data.get("volumes", [])),
            (IndicatorKind.STAFF, data.get("staff", [])),
        ):
            for item in items:
                order += 1
                self.indicator(board, kind, goals.get(item.get("goal")), item, order)

        for assignment_data in data.get("assignments", []):
            origin = (
                AssignmentOrigin.MUNICIPAL
                if assignment_data["origin"] == "municipal"
                else AssignmentOrigin.BOARD
            )
            assignment = self.upsert(
                Assignment,
                {"plan": plan, "origin": origin, "number": str(assignment_data["number"])},
                {
                    "text": assignment_data["text"],
                    "partners": assignment_data.get("partners", ""),
                },
            )
            status = STATUS_WORDS.get(assignment_data.get("status", "").strip().lower(), "")
            self.follow_up(
                year_end,
                "assignment",
                assignment,
                {"text": assignment_data.get("comment", ""), "status": status},
            )
        report_loaded.send(sender=_Loader, loader=self, plan=plan, data=data)
        return plan

    def indicator(self, board, kind, goal, item, order):
        target = item.get("target") or {}
        value = target.get("value")
        indicator = self.upsert(
            Indicator,
            {"board": board, "kind": kind, "name": item["name"]},
            {
                "goal": goal,
                "unit": item.get("unit", ""),
                "target_comparator": target.get("comparator") or "" if value is not None else "",
                "target_value": _decimal(value),
                "target_text": target.get("text", "") or "",
                "direction": item.get("direction") or "",
                "source": item.get("source", ""),
                "kolada_kpi": item.get("kolada_kpi") or "",
                "order": order,
            },
        )
        for cell in item.get("values", []):
            breakdown = cell.get("breakdown", "total")
            gender = GENDERS.get(breakdown, Gender.TOTAL)
            category = "" if breakdown in GENDERS else breakdown
            self.upsert(
                IndicatorValue,
                {
                    "indicator": indicator,
                    "year": cell["year"],
                    "tertial": cell.get("tertial", ""),
                    "gender": gender,
                    "category": category,
                },
                {
                    "value": _decimal(cell.get("value")),
                    "text_value": cell.get("text", "") or "",
                    "is_estimate": bool(cell.get("estimate", False)),
                    "note": cell.get("note", "") or "",
                },
            )
        return indicator


def _date(value):
    return date.fromisoformat(value) if value else None


def _decimal(value):
    return None if value is None else Decimal(str(value))


def _key(title):
    return slugify(title.replace("å", "a").replace("ä", "a").replace("ö", "o"))[:80] or "avsnitt"


def _schedule(text):
    """Map a written schedule ("Tertial 2", "Bokslut", "Påbörjas våren 2017") to choice + text."""
    text = " ".join(text.split())
    if not text:
        return "", ""
    match = re.fullmatch(r"tertial\s*([123])", text, flags=re.IGNORECASE)
    if match:
        return f"T{match.group(1)}", ""
    if text.lower() == "bokslut":
        return Schedule.YEAR_END, ""
    return Schedule.OTHER, text


def seed_load(*, directory: Path = SEED_DIR) -> LoadStats:
    """Load every seed file in one transaction; returns what was created or changed."""
    loader = _Loader()
    with transaction.atomic():
        for name in SEED_FILES:
            path = directory / name
            data = json.loads(path.read_text(encoding="utf-8"))
            if "areas" in data:
                loader.load_plan(data)
            else:
                loader.load_report(data)
    return loader.stats
