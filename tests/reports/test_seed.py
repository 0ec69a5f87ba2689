"""The economy tables of the 2019 report load from the seed, and loading twice changes nothing."""

from decimal import Decimal

import pytest

from followups.seed import seed_load
from reports.models import EconomySummaryRow, InvestmentRow, OperatingSummaryRow

pytestmark = pytest.mark.django_db

MODELS = [EconomySummaryRow, OperatingSummaryRow, InvestmentRow]


def test_economy_rows_loaded(plan_2019):
    """The seed's economy summary, operating summary and investment rows are in the tables."""
    assert EconomySummaryRow.objects.filter(plan=plan_2019).count() == 4
    assert OperatingSummaryRow.objects.filter(plan=plan_2019).count() == 12
    assert InvestmentRow.objects.filter(plan=plan_2019).count() == 6
    hvb = OperatingSummaryRow.objects.get(plan=plan_2019, label="HVB barn och unga")
    assert hvb.parent.label == "Individ- och familjeomsorg"
    assert (hvb.outcome, hvb.budget, hvb.deviation) == (133102, 85000, -48102)
    total = OperatingSummaryRow.objects.get(plan=plan_2019, is_sum=True)
    assert total.outcome == Decimal("1500145") and total.parts.count() == 2
    assert InvestmentRow.objects.get(plan=plan_2019, is_sum=True).budget == 800


def test_loading_twice_changes_no_economy_row():
    """A second load creates and changes nothing in the economy tables."""
    before = {m: list(m.objects.order_by("pk").values()) for m in MODELS}
    stats = seed_load()
    assert stats.changes == 0
    assert all(stats.unchanged[m._meta.label] == len(before[m]) for m in MODELS)
    assert {m: list(m.objects.order_by("pk").values()) for m in MODELS} == before


def test_changed_seed_value_is_updated(plan_2019):
    """A row edited in the database is set back by the next load, and counted as changed."""
    EconomySummaryRow.objects.filter(plan=plan_2019, label="varav intäkter").update(budget=1)
    stats = seed_load()
    assert stats.updated["reports.EconomySummaryRow"] == 1
    row = EconomySummaryRow.objects.get(plan=plan_2019, label="varav intäkter")
    assert row.budget == 320663
