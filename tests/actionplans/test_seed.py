"""The 2020 action plan seed: loaded faithfully, sums and effects computed, not typed."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from actionplans.models import ActionPlan, Measure
from actionplans.seed import SEED_FILE, action_plan_seed_load
from actionplans.selectors import action_plan_report_get, rounded

pytestmark = pytest.mark.django_db

SOURCE = json.loads(SEED_FILE.read_text(encoding="utf-8"))["source_figures"]


def test_group_sums_and_total_match_the_source(action_plan):
    """Each group's computed sum and the total equal the figures printed in the document:
    23,5; 4,0; 7,3; 9,75; 17,6; 0,75 and 62,9 mnkr, against a forecast deficit of 57 mnkr."""
    report = action_plan_report_get(plan=action_plan, user=AnonymousUser())
    sums = {view.group.title: view.total for view in report.groups}
    assert sums == {title: Decimal(value) for title, value in SOURCE["group_sums"].items()}
    assert [sums[t] for t in sums] == [
        Decimal("23.5"),
        Decimal("4.0"),
        Decimal("7.3"),
        Decimal("9.75"),
        Decimal("17.6"),
        Decimal("0.75"),
    ]
    assert report.total == Decimal(SOURCE["total"]) == Decimal("62.9")
    assert action_plan.forecast_deficit == Decimal("57")
    assert report.surplus == Decimal("5.9")


def test_effect_per_year_matches_the_source(action_plan):
    """The reduction per year, computed from each measure's timing, is the document's table:
    2020 8,0 (exactly 8,025: half a year of the Q3 measures, a quarter of the Q4 ones and
    the 0,35 of 2020), 2021 59,2, 2022 60,7, 2023 62,9, 2024 62,9."""
    report = action_plan_report_get(plan=action_plan, user=AnonymousUser())
    computed = dict(report.effect_per_year)
    assert computed[2020] == Decimal("8.025")
    assert {str(y): rounded(v) for y, v in computed.items()} == {
        y: Decimal(v) for y, v in SOURCE["effect_per_year"].items()
    }


def test_measures_keep_their_timing_and_comments(action_plan):
    """Quarters, dates, 'Från', 'ca', reduction notes and comments are held as data."""
    measures = {m.title: m for m in Measure.objects.filter(group__plan=action_plan)}
    assert len(measures) == 24
    hvb = measures["Gemensamt HVB"]
    assert (hvb.timing_year, hvb.timing_quarter, hvb.reduction_note) == (
        2020,
        3,
        "Lägre kostnader och delfinansiering från Regionen",
    )
    youth = measures["Utöka platser på stödboende för ungdomar"]
    assert youth.timing_from and youth.approximate and youth.reduction == Decimal("5.0")
    social = measures["Social samvaro och aktivitet"]
    assert str(social.timing_date) == "2023-01-01" and social.comment == "avtalsbundet"
    women = measures["Ny upphandling stödboende för våldsutsatta kvinnor med missbruksproblematik"]
    assert str(women.effect_from) == "2021-04-01" and women.effect_in(2021) == Decimal("1.2")
    assert action_plan.decision_points.count() == 3
    assert action_plan.decision_points.get(number=3).text.startswith(
        "Åtgärdsplanen återrapporteras månadsvis under 2020 från och med augusti"
    )


def test_seed_text_is_clean(action_plan):
    """No hyphenation artefacts, page numbers or broken lines survive in the loaded texts."""
    texts = [s.body for s in action_plan.sections.all()]
    texts += [g.body + g.consequences for g in action_plan.groups.all()]
    joined = "\n".join(texts)
    assert "3 (17)" not in joined and "  " not in joined
    assert "till186" not in joined and "samhälletAtt" not in joined
    for paragraph in joined.splitlines():
        assert not paragraph.endswith("-"), paragraph


def test_loading_twice_changes_nothing(action_plan):
    """Loading the seed again keeps the same rows (no duplicates, same ids)."""
    before = sorted(Measure.objects.values_list("pk", "title", "reduction"))
    plan = action_plan_seed_load()
    assert plan.pk == action_plan.pk and ActionPlan.objects.count() == 1
    assert sorted(Measure.objects.values_list("pk", "title", "reduction")) == before
