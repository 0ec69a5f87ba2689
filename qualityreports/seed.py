"""Load the quality report seed (fixtures/seed/kvalitetsberattelse-2022.json): safe to repeat.

The JSON is made from the PDF text by fixtures/sources/clean_kvalitetsberattelse.py.
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from goals.models import Board
from indicators.models import Indicator

from .models import QualityReport, Reference, Section, Theme

SEED_FILE = Path(settings.BASE_DIR) / "fixtures" / "seed" / "kvalitetsberattelse-2022.json"


@transaction.atomic
def quality_report_seed_load(*, path: Path = SEED_FILE) -> QualityReport:
    """Create or update the seed's quality report (its board must exist: run load_seed first)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    board = Board.objects.get(name=data["board"], municipality__name=data["municipality"])
    fields = dict(data["report"])
    fields["dated"] = date.fromisoformat(fields["dated"])
    report, _ = QualityReport.objects.update_or_create(
        board=board, year=fields.pop("year"), defaults=fields
    )
    if report.published_at is None:
        # The seed is a public board document: published as loaded.
        report.published_at = timezone.now()
        report.save(update_fields=["published_at"])
    report.full_clean()
    themes = {}
    for order, theme in enumerate(data["themes"]):
        themes[theme["key"]], _ = Theme.objects.update_or_create(
            report=report, key=theme["key"], defaults={"title": theme["title"], "order": order}
        )
    report.sections.exclude(key__in=[s["key"] for s in data["sections"]]).delete()
    sections = {}
    for order, entry in enumerate(data["sections"]):
        section, _ = Section.objects.update_or_create(
            report=report,
            key=entry["key"],
            defaults={
                "title": entry["title"],
                "level": entry["level"],
                "theme": themes.get(entry["theme"]),
                "body": entry["body"],
                "notes": entry["notes"],
                "order": order,
            },
        )
        section.full_clean()
        sections[entry["key"]] = section
    Reference.objects.filter(section__report=report).delete()
    for order, entry in enumerate(data["references"]):
        indicator = Indicator.objects.filter(board=board, name=entry["indicator"]).first()
        if indicator is None:
            continue  # the plan that holds the indicator is not loaded
        Reference.objects.create(
            section=sections[entry["section"]],
            indicator=indicator,
            year=entry.get("year"),
            note=entry.get("note", ""),
            order=order,
        )
    return report
