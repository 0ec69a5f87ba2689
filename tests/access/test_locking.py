"""No lost updates in the admin: the second save from a stale form is refused, nothing lost."""

import pytest
from django.urls import reverse

from activities.models import Activity
from followups.models import FollowUp
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["activity", "followup"])
def test_second_stale_save_is_refused(client, editor, plan_2017, period_2017_12, model):
    """Both editors load the form; the second save shows both texts and the first survives."""
    client.force_login(editor)
    if model == "activity":
        obj = Activity.objects.get(plan=plan_2017, number="1.4")
        url = reverse("admin:activities_activity_change", args=[obj.pk])
    else:
        obj = FollowUp.objects.get(period=period_2017_12, activity__number="1.4")
        url = reverse("admin:followups_followup_change", args=[obj.pk])
    first = form_data(client.get(url))
    second = dict(first)
    first["text"] = "Text från redaktör A."
    second["text"] = "Text från redaktör B."
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Någon annan har ändrat posten sedan du öppnade den." in content
    assert "Text från redaktör A." in content and "Text från redaktör B." in content
    obj.refresh_from_db()
    assert obj.text == "Text från redaktör A."
    # Saving again from the refused form replaces the text deliberately.
    again = form_data(response)
    assert again["text"] == "Text från redaktör B."
    assert client.post(url, again).status_code == 302
    obj.refresh_from_db()
    assert obj.text == "Text från redaktör B."


# -- rows of admin inlines (an indicator's values) -----------------------------------------
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from goals.choices import PeriodStatus  # noqa: E402
from indicators.models import Indicator, IndicatorValue  # noqa: E402
from tests.conftest import make_member  # noqa: E402


@pytest.fixture
def values_client(client, plan_2019, django_user_model):
    """An editor of the 2019 board, whose indicators have values."""
    client.force_login(make_member(django_user_model, "varden", plan_2019.board, "editor"))
    return client


@pytest.fixture
def indicator(plan_2019):
    return (
        Indicator.objects.filter(board=plan_2019.board)
        .annotate(n=Count("values"))
        .filter(n__gte=3)
        .order_by("pk")
        .first()
    )


def _page(client, indicator):
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    return url, form_data(client.get(url))


def _prefix(data, value):
    """The form prefix ("values-3-") of the inline row showing `value`."""
    for key, posted in data.items():
        if key.startswith("values-") and key.endswith("-id") and posted == str(value.pk):
            return key[: -len("id")]
    raise AssertionError(f"no row for value {value.pk}")


def test_stale_inline_row_is_refused_other_rows_are_not(values_client, indicator):
    """Two editors load the same indicator. Changes to different value rows both save; a
    change to a row the other saved meanwhile is refused with both numbers on screen, and
    saving again from the refused form replaces it deliberately."""
    first_value, second_value = indicator.values.order_by("pk")[:2]
    url, loaded = _page(values_client, indicator)

    first = dict(loaded)
    first[_prefix(loaded, first_value) + "value"] = "11"
    assert values_client.post(url, first).status_code == 302
    other_row = dict(loaded)
    other_row[_prefix(loaded, second_value) + "value"] = "22"
    assert values_client.post(url, other_row).status_code == 302
    first_value.refresh_from_db()
    second_value.refresh_from_db()
    assert (first_value.value, second_value.value) == (11, 22)

    stale = dict(loaded)
    stale[_prefix(loaded, first_value) + "value"] = "33"
    response = values_client.post(url, stale)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Någon annan har ändrat posten sedan du öppnade den." in content
    assert "Sparat nu: Värde: ”11" in content
    first_value.refresh_from_db()
    assert first_value.value == 11

    again = form_data(response)
    assert again[_prefix(again, first_value) + "value"] == "33"
    assert values_client.post(url, again).status_code == 302
    first_value.refresh_from_db()
    second_value.refresh_from_db()
    assert (first_value.value, second_value.value) == (33, 22)


def test_name_and_value_edited_apart_both_survive(values_client, indicator):
    """One editor renames the indicator, another (from an older page) changes a value:
    the second save writes only the value and leaves the new name alone."""
    value = indicator.values.order_by("pk").first()
    url, loaded = _page(values_client, indicator)
    assert values_client.post(url, dict(loaded, name="Nytt namn")).status_code == 302
    older = dict(loaded)
    older[_prefix(loaded, value) + "value"] = "44"
    assert values_client.post(url, older).status_code == 302
    indicator.refresh_from_db()
    value.refresh_from_db()
    assert (indicator.name, value.value) == ("Nytt namn", 44)


def test_row_deleted_meanwhile_is_named(values_client, indicator):
    """A row someone else deleted is refused with a message saying so; nothing is saved."""
    value = indicator.values.order_by("pk").first()
    url, data = _page(values_client, indicator)
    data[_prefix(data, value) + "value"] = "5"
    data["name"] = "Nytt namn"
    value.delete()
    response = values_client.post(url, data)
    assert response.status_code == 200
    assert "någon annan har tagit bort den" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.name != "Nytt namn"


def test_indicator_with_locked_values_can_still_be_saved(values_client, indicator, plan_2019):
    """Once the year-end is published the indicator's name can still be changed (its
    untouched values are not edits), while changing a 2019 value or moving it out of 2019
    is refused."""
    plan_2019.periods.filter(kind="T3").update(status=PeriodStatus.PUBLISHED)
    locked = indicator.values.filter(year=2019).order_by("pk").first()
    url, data = _page(values_client, indicator)

    renamed = dict(data, name="Nytt namn på indikatorn")
    assert values_client.post(url, renamed).status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Nytt namn på indikatorn"

    url, data = _page(values_client, indicator)
    prefix = _prefix(data, locked)
    for field, posted in (("value", "99"), ("year", "2016")):
        response = values_client.post(url, dict(data, **{prefix + field: posted}))
        assert response.status_code == 200
        assert "Värden för 2019 är låsta" in response.content.decode()
    assert IndicatorValue.objects.get(pk=locked.pk).value == locked.value


def test_saving_an_indicator_costs_the_same_queries_for_3_or_30_values(values_client, indicator):
    """Saving the indicator page with one changed value: the same number of queries with
    the seed's values and with 30 more (rows are validated and locked once, not per row)."""

    def save_one_change():
        url, data = _page(values_client, indicator)
        first = indicator.values.order_by("pk").first()
        data[_prefix(data, first) + "note"] = f"Kommentar {len(data)}"
        with CaptureQueriesContext(connection) as queries:
            assert values_client.post(url, data).status_code == 302
        return len(queries)

    few = save_one_change()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, year=2000 + i, gender=g, value=i)
        for i in range(10)
        for g in ("T", "K", "M")
    )
    assert save_one_change() == few
