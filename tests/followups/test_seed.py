"""The seed documents load completely, repeatably, and say what the source documents say."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from actionplans.models import ActionPlan
from activities.models import Activity, Assignment
from followups.models import FollowUp
from followups.seed import SEED_DIR, seed_load
from goals.models import (
    ActivityArea,
    Board,
    FollowUpPeriod,
    FulfilmentLevel,
    Goal,
    GoalDomain,
    MunicipalGoal,
    Municipality,
    Plan,
    PlanSection,
)
from indicators.models import Indicator, IndicatorValue
from qualityreports.models import QualityReport

pytestmark = pytest.mark.django_db

SOURCES = Path(settings.BASE_DIR) / "fixtures" / "sources"


def _alnum(text):
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _pieces_in(text, source, *, max_pieces=3, min_piece=15):
    """True when `text` appears in `source` whole, or in at most `max_pieces` long runs in order.

    The PDF extraction sometimes puts a table cell (a date, a schedule) inside a paragraph;
    the cleaned text then appears in the source as a few long runs, never as loose words.
    """
    pos, rest, pieces = 0, text, 0
    while rest:
        pieces += 1
        if pieces > max_pieces:
            return False
        lo, hi = min(min_piece, len(rest)), len(rest)
        if source.find(rest[:lo], pos) < 0:
            return False
        # Longest prefix of `rest` found after `pos`.
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if source.find(rest[:mid], pos) >= 0:
                lo = mid
            else:
                hi = mid - 1
        found = source.find(rest[:lo], pos)
        if found < 0:
            return False
        pos = found + lo
        rest = rest[lo:]
    return True


def _paragraphs(text):
    for block in text.split("\n"):
        block = block.removeprefix("- ").removeprefix("## ").strip()
        if block:
            yield block


def test_counts_match_the_documents(plan_2017, plan_2019):
    """The counts stated by the issue and the documents hold after loading."""
    assert Board.objects.count() == 3
    assert ActivityArea.objects.filter(board=plan_2017.board).count() == 7
    assert plan_2017.goals.count() == 15
    assert Activity.objects.filter(plan=plan_2017).count() == 38
    assert FollowUp.objects.filter(period__date="2017-08-31", activity__isnull=False).count() == 19
    assert FollowUp.objects.filter(period__date="2017-12-31", activity__isnull=False).count() == 38
    assert plan_2019.goals.count() == 17
    fulfilment = {
        code: FollowUp.objects.filter(goal__plan=plan_2019, fulfilment__code=code).count()
        for code in ("fulfilled", "partly", "not_fulfilled")
    }
    assert fulfilment == {"fulfilled": 8, "partly": 9, "not_fulfilled": 0}
    indicators = Indicator.objects.filter(board=plan_2019.board)
    assert indicators.filter(kind="goal").count() == 38
    assert indicators.filter(kind="volume").count() == 5
    assert indicators.filter(kind="staff").count() == 3
    assert IndicatorValue.objects.count() == 156
    assert IndicatorValue.objects.filter(gender="K").count() == 27
    assert IndicatorValue.objects.filter(gender="M").count() == 24
    assert Assignment.objects.filter(plan=plan_2019, origin="municipal").count() == 9
    assert Assignment.objects.filter(plan=plan_2019, origin="board").count() == 4
    assert not plan_2019.goals.filter(indicators__isnull=True).exists()


def test_loading_twice_changes_nothing():
    """A second load reports no created or changed rows and leaves every row as it was."""
    models = [
        Municipality,
        Board,
        ActivityArea,
        GoalDomain,
        MunicipalGoal,
        FulfilmentLevel,
        Plan,
        PlanSection,
        Goal,
        FollowUpPeriod,
        Activity,
        Assignment,
        Indicator,
        IndicatorValue,
        FollowUp,
    ]
    before = {m: list(m.objects.order_by("pk").values()) for m in models}
    links_before = list(Goal.municipal_goals.through.objects.order_by("pk").values())
    stats = seed_load()
    assert stats.changes == 0
    assert sum(stats.unchanged.values()) > 400
    assert {m: list(m.objects.order_by("pk").values()) for m in models} == before
    assert list(Goal.municipal_goals.through.objects.order_by("pk").values()) == links_before


def test_loads_into_an_empty_database():
    """From empty tables the loader recreates exactly the same numbers of rows."""
    models = [
        FollowUp,
        IndicatorValue,
        Indicator,
        Activity,
        Assignment,
        PlanSection,
        FollowUpPeriod,
        Goal,
        Plan,
        ActivityArea,
        MunicipalGoal,
        GoalDomain,
        FulfilmentLevel,
        Board,
        Municipality,
    ]
    counts = {m: m.objects.count() for m in models}
    # The other seed documents hold on to the boards (PROTECT); they are not this loader's.
    ActionPlan.objects.all().delete()
    QualityReport.objects.all().delete()
    for model in models:
        model.objects.all().delete()
    stats = seed_load()
    assert {m: m.objects.count() for m in models} == counts
    for label, created in stats.created.items():
        if label.count(".") == 1:  # a model, not a many-to-many link
            assert apps.get_model(label).objects.count() == created, label


def test_follow_up_texts_equal_the_seed(plan_2017):
    """Sample follow-up texts read exactly as in the 2017 document, cleaned of PDF breaks."""
    text = FollowUp.objects.get(period__date="2017-08-31", activity__number="1.3").text
    assert text == (
        "Detta pågår kontinuerligt. Omsorgsnämnden beslutar för varje enskilt objekt om "
        "verksamheten ska upphandlas alt. ges som verksamhetsuppdrag."
    )
    later = FollowUp.objects.get(period__date="2017-12-31", activity__number="1.3").text
    assert later.endswith(
        "För närvarande inväntas förslag på hyresavtal från Lejonfastigheter avseende flera objekt."
    )
    assert FollowUp.objects.get(period__date="2017-12-31", activity__number="1.4").text == (
        "Brukarundersökning har genomförts under hösten 2017 på ett urval av bostäder med särskild "
        "service inom LSS-området. Rapport kommer att färdigställas under våren 2018."
    )
    assert not FollowUp.objects.filter(period__date="2017-08-31", activity__number="1.1").exists()
    activity = Activity.objects.get(plan=plan_2017, number="4.1")
    assert activity.schedule == "other" and activity.schedule_text == "Påbörjas våren 2017"


def test_indicator_values_equal_the_seed(plan_2019):
    """Sample values, target values and footnote-split numbers match the 2019 tables."""
    board = plan_2019.board

    def value(name, year, gender="T", category="", kind="goal"):
        return IndicatorValue.objects.get(
            indicator__board=board,
            indicator__kind=kind,
            indicator__name=name,
            year=year,
            gender=gender,
            category=category,
        )

    assert value("Total sjukfrånvaro", 2019).value == Decimal("6.7")
    assert value("Total sjukfrånvaro", 2018, gender="K").value == Decimal("7.0")
    assert value("Total sjukfrånvaro", 2017, gender="M").value == Decimal("3.1")
    utredningstid = "Utredningstid i dagar (median) för barn o unga samt Tid från ansökan till "
    utredningstid += "beslut inom övrig verksamhet"
    # "BOU 1137" in the extracted table is 113 followed by footnote 7.
    assert value(utredningstid, 2018, category="BOU").value == Decimal("113")
    assert value(utredningstid, 2018, category="LSS").value == Decimal("174")
    indicator = Indicator.objects.get(board=board, kind="goal", name=utredningstid)
    assert indicator.target_comparator == "<=" and indicator.target_value == 120
    assert indicator.target_display == "Max 120"
    assert indicator.direction == "lower"
    volume = value("Antal pågående ärenden barn och unga IFO myndighet", 2019, kind="volume")
    assert volume.value == 1089
    assert volume.indicator.source.startswith("Källa Treserva Ärendestatistik per den 31/12")
    assert value("Vattenförbrukning per kvm", 2019).text_value == "Ej mätbart"


def test_every_text_is_in_the_source_documents():
    """Every cleaned text appears in its source document (ignoring line breaks and hyphens)."""
    checked, missing = 0, []
    for json_name, source_name in [
        ("verksamhetsplan-2017.json", "verksamhetsplan-2017-med-uppfoljning.txt"),
        ("verksamhetsberattelse-2019.json", "verksamhetsberattelse-2019.txt"),
    ]:
        data = json.loads((SEED_DIR / json_name).read_text(encoding="utf-8"))
        source = _alnum((SOURCES / source_name).read_text(encoding="utf-8"))
        texts = []
        for section in data.get("plan", {}).get("sections", []):
            texts.append(section["body"])
        for section in data.get("report", {}).get("sections", []):
            texts.append(section["body"])
        for area in data.get("areas", []):
            texts.append(area["narrative"])
            for goal in area["goals"]:
                texts += [goal["text"], goal.get("intro", ""), goal["summary"]]
                for context in goal.get("sections_before", []):
                    texts += [context["title"], context["body"]]
                texts += [item["text"] for item in goal.get("indicators", [])]
                for activity in goal["activities"]:
                    texts.append(activity["text"])
                    texts += activity["follow_ups"].values()
            for activity in area.get("activities", []):
                texts.append(activity["text"])
                texts += activity["follow_ups"].values()
        for goal in data.get("goals", []):
            texts += [goal["text"], goal["assessment"]]
        for assignment in data.get("assignments", []):
            texts += [assignment["text"], assignment["comment"]]
        for indicator in data.get("indicators", []) + data.get("volumes", []):
            texts.append(indicator["source"])
        for text in texts:
            for paragraph in _paragraphs(text):
                checked += 1
                if not _pieces_in(_alnum(paragraph), source):
                    missing.append(paragraph)
    assert checked > 400
    assert missing == []


def test_texts_carry_no_pdf_debris():
    """No hyphenation breaks, page debris or stray line breaks inside sentences."""
    texts = list(FollowUp.objects.values_list("text", flat=True))
    texts += list(Activity.objects.values_list("text", flat=True))
    texts += list(Goal.objects.values_list("text", flat=True))
    texts += list(PlanSection.objects.values_list("body", flat=True))
    for text in texts:
        assert "  " not in text, text
        assert "Uppfö\n" not in text and "Uppföljning 2017" not in text, text
        assert "\u00ad" not in text and "\uf0b7" not in text and "•" not in text, text
        for line in text.split("\n"):
            # A line that ends mid-word with a hyphen is a PDF break, e.g. "upphand-".
            assert not (line.endswith("-") and line[-2:-1].isalpha()), line


def _source_lines(name):
    text = (SOURCES / name).read_text(encoding="utf-8")
    return [" ".join(line.split()) for line in text.splitlines()]


def test_narrative_subheadings_are_the_sources_headings():
    """Every "## " subheading of an area's narrative in the 2017 plan is a line of its own in
    the source, and every line of the source that stands alone between paragraphs of the
    narrative and reads as a heading (short, no full stop) is stored as one."""
    data = json.loads((SEED_DIR / "verksamhetsplan-2017.json").read_text(encoding="utf-8"))
    lines = _source_lines("verksamhetsplan-2017-med-uppfoljning.txt")
    # A heading broken over two lines in the source is joined with the next line.
    joined = set(lines) | {f"{a} {b}".strip() for a, b in zip(lines, lines[1:], strict=False)}
    headings, plain_short = [], []
    for area in data["areas"]:
        for block in area["narrative"].split("\n\n"):
            if block.startswith("## "):
                headings.append(block[3:])
            elif len(block) < 60 and not block.rstrip().endswith((".", ":")):
                plain_short.append(block)
    assert len(headings) >= 30
    assert [h for h in headings if h not in joined] == []
    assert plain_short == []


def test_context_sections_stand_before_their_goal_in_the_source():
    """A section placed before a goal ("FoU-centrum", "E-hälsa") is where the source has it:
    its heading after the previous goal's text and before the "Mål" heading of its goal."""
    data = json.loads((SEED_DIR / "verksamhetsplan-2017.json").read_text(encoding="utf-8"))
    lines = _source_lines("verksamhetsplan-2017-med-uppfoljning.txt")
    goals = [goal for area in data["areas"] for goal in area["goals"]]
    placed = 0
    for index, goal in enumerate(goals):
        for context in goal.get("sections_before", []):
            start = goal["text"][:40]
            goal_line = next(i for i, line in enumerate(lines) if line.startswith(start))
            heading = lines.index(context["title"])
            assert heading < goal_line
            between = lines[heading + 1 : goal_line]
            assert "Mål" in between and "Indikatorer" not in between, context["title"]
            if index:
                previous = goals[index - 1]["text"][:40]
                assert any(line.startswith(previous) for line in lines[:heading])
            placed += 1
    assert placed == 2
