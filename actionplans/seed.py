"""Load the action plan seed (fixtures/seed/atgardsplan-2020.json): safe to repeat.

The JSON holds the document's content with natural keys; the sums the document prints are
kept under "source_figures" for the tests and are never loaded: the system computes them.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from goals.models import Board

from .models import ActionPlan, ActionPlanSection, BackgroundFigure, DecisionPoint, MeasureGroup

SEED_FILE = Path(settings.BASE_DIR) / "fixtures" / "seed" / "atgardsplan-2020.json"


def _date(value):
    return date.fromisoformat(value) if value else None


@transaction.atomic
def action_plan_seed_load(*, path: Path = SEED_FILE) -> ActionPlan:
    """Create or replace the seed's action plan (its board must exist: run load_seed first)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    board = Board.objects.get(name=data["board"], municipality__name=data["municipality"])
    fields = dict(data["plan"])
    fields["forecast_deficit"] = Decimal(fields["forecast_deficit"])
    fields["follow_up_from"] = _date(fields.get("follow_up_from"))
    plan, _ = ActionPlan.objects.update_or_create(
        board=board, year=fields.pop("year"), title=fields.pop("title"), defaults=fields
    )
    if plan.published_at is None:
        # The seed is a public board document: published as loaded.
        plan.published_at = timezone.now()
        plan.save(update_fields=["published_at"])
    plan.full_clean()
    for number, text in enumerate(data["decision_points"], start=1):
        DecisionPoint.objects.update_or_create(plan=plan, number=number, defaults={"text": text})
    plan.decision_points.filter(number__gt=len(data["decision_points"])).delete()
    for order, section in enumerate(data["sections"]):
        ActionPlanSection.objects.update_or_create(
            plan=plan,
            key=section["key"],
            defaults={
                "title": section["title"],
                "body": section["body"],
                "order": order,
                "after_measures": section.get("after_measures", False),
            },
        )
    plan.sections.exclude(key__in=[s["key"] for s in data["sections"]]).delete()
    plan.background_figures.all().delete()
    for order, figure in enumerate(data["background_figures"]):
        BackgroundFigure.objects.create(
            plan=plan,
            label=figure["label"],
            year=figure.get("year"),
            amount=Decimal(figure["amount"]),
            qualifier=figure.get("qualifier", ""),
            order=order,
        )
    plan.groups.exclude(title__in=[g["title"] for g in data["groups"]]).delete()
    for order, entry in enumerate(data["groups"]):
        group, _ = MeasureGroup.objects.update_or_create(
            plan=plan,
            title=entry["title"],
            defaults={
                "kind": entry["kind"],
                "body": entry["body"],
                "consequences": entry["consequences"],
                "order": order,
            },
        )
        group.full_clean()
        group.measures.exclude(title__in=[m["title"] for m in entry["measures"]]).delete()
        for position, measure in enumerate(entry["measures"]):
            values = {
                "reduction": Decimal(measure["reduction"]),
                "approximate": measure.get("approximate", False),
                "reduction_note": measure.get("reduction_note", ""),
                "timing_year": measure.get("timing_year"),
                "timing_quarter": measure.get("timing_quarter"),
                "timing_date": _date(measure.get("timing_date")),
                "timing_from": measure.get("timing_from", False),
                "timing_text": measure.get("timing_text", ""),
                "effect_from": _date(measure.get("effect_from")),
                "comment": measure.get("comment", ""),
                "order": position,
            }
            row, _ = group.measures.update_or_create(title=measure["title"], defaults=values)
            row.full_clean()
    return plan
