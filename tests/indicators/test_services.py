"""Bulk upsert of indicator values: all or nothing, per-row errors, history, fixed queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, IndicatorValue
from indicators.services import ValuesRejected, indicator_values_upsert
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(plan_2019, django_user_model):
    return make_member(django_user_model, "bi-skrivare", plan_2019.board, "editor")


@pytest.fixture
def indicator(plan_2019):
    return Indicator.objects.get(board=plan_2019.board, kind="goal", name="Total sjukfrånvaro")


def _snapshot():
    return list(IndicatorValue.objects.order_by("pk").values())


def test_creates_updates_and_records_history(writer, indicator):
    """New cells are created, changed cells updated, same cells left; history names the writer."""
    result = indicator_values_upsert(
        user=writer,
        rows=[
            {"indicator": indicator.pk, "year": 2020, "gender": "T", "value": "5,9"},
            {"indicator": indicator.pk, "year": 2019, "gender": "T", "value": 6.8},
            {"indicator": indicator.pk, "year": 2018, "gender": "T", "value": "6.6"},
        ],
    )
    assert (len(result.created), len(result.updated), result.unchanged) == (1, 1, 1)
    new = IndicatorValue.objects.get(indicator=indicator, year=2020, gender="T")
    assert str(new.value) == "5.9000"
    assert new.history.get().history_user == writer
    changed = IndicatorValue.objects.get(indicator=indicator, year=2019, gender="T")
    assert changed.history.latest().history_user == writer
    assert changed.history.latest().prev_record.value == Decimal("6.7")


def test_one_bad_row_writes_nothing_and_names_the_row(writer, indicator):
    """A single invalid row refuses the whole request; each error names its row and field."""
    before = _snapshot()
    with pytest.raises(ValuesRejected) as exc:
        indicator_values_upsert(
            user=writer,
            rows=[
                {"indicator": indicator.pk, "year": 2020, "value": 1},
                {"indicator": indicator.pk, "year": 2021, "value": "mycket"},
                {"indicator": 999999, "year": 2021, "value": 2},
                {"indicator": indicator.pk, "year": 2020, "value": 3},
            ],
        )
    assert [(e.row, e.field) for e in exc.value.errors] == [
        (2, "value"),
        (3, "indicator"),
        (4, "-"),
    ]
    assert exc.value.errors[0].message == "Värdet är inte ett tal."
    assert _snapshot() == before


def test_other_board_and_reader_are_refused(plan_2017, indicator, django_user_model):
    """An editor of another board, or a reader of this one, cannot write values."""
    other = make_member(django_user_model, "annan", plan_2017.board, "editor")
    reader = make_member(django_user_model, "lasare", indicator.board, "reader")
    for user in (other, reader):
        with pytest.raises(ValuesRejected) as exc:
            indicator_values_upsert(
                user=user, rows=[{"indicator": indicator.pk, "year": 2020, "value": 1}]
            )
        assert exc.value.errors[0].message == "Du får inte ändra värden för denna nämnd."


def test_locked_year_is_refused(writer, indicator, plan_2019):
    """Values of a year whose year-end period is submitted are locked."""
    period = plan_2019.periods.get()
    period.status = "submitted"
    period.save()
    with pytest.raises(ValuesRejected) as exc:
        indicator_values_upsert(
            user=writer, rows=[{"indicator": indicator.pk, "year": 2019, "value": 1}]
        )
    assert exc.value.errors[0].field == "year"
    assert "låsta" in exc.value.errors[0].message


def test_queries_do_not_grow_with_rows(writer, indicator):
    """Writing 10 or 50 values takes the same number of queries (SQLite batches beyond that)."""

    def write(count, prefix):
        rows = [
            {"indicator": indicator.pk, "year": 2020, "category": f"{prefix}{n}", "value": n}
            for n in range(count)
        ]
        fresh = type(writer).objects.get(pk=writer.pk)  # roles are cached per user object
        with CaptureQueriesContext(connection) as queries:
            indicator_values_upsert(user=fresh, rows=rows)
        return len(queries)

    assert write(10, "A") == write(50, "B")


def test_5000_values_are_found_again_on_every_database(writer, indicator):
    """At the API's limit of 5000 values per call, stored values are found again (on SQLite
    too, whose expression depth is bounded): a second call with other values updates all
    5000, a third identical call leaves all 5000 unchanged in a fixed handful of queries."""
    taken = set(
        IndicatorValue.objects.filter(indicator=indicator).values_list(
            "year", "tertial", "gender", "category"
        )
    )
    keys = [
        (year, tertial, gender, category)
        for category in ("", "BOU", "VUX", "LSS")
        for year in range(1990, 2101)
        for tertial in ("", "T1", "T2", "T3")
        for gender in ("T", "K", "M")
        if (year, tertial, gender, category) not in taken
    ][:5000]

    def rows(offset):
        return [
            {
                "indicator": indicator.pk,
                "year": year,
                "tertial": tertial,
                "gender": gender,
                "category": category,
                "value": str(year % 97 + offset),
            }
            for year, tertial, gender, category in keys
        ]

    first = indicator_values_upsert(user=writer, rows=rows(0))
    with CaptureQueriesContext(connection) as second_queries:
        second = indicator_values_upsert(user=writer, rows=rows(1))
    with CaptureQueriesContext(connection) as third_queries:
        third = indicator_values_upsert(user=writer, rows=rows(1))

    assert (len(first.created), len(second.updated), third.unchanged) == (5000, 5000, 5000)
    assert not second.created and not third.created and not third.updated
    assert IndicatorValue.objects.filter(indicator=indicator, value=Decimal(2001 % 97 + 1)).exists()
    # Indicators, locked periods, stored values, savepoint: not one query per row.
    assert len(third_queries) == 5
    assert len(second_queries) > len(third_queries)
