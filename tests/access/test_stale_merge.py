"""No lost updates, three-way: a refused stale save is merged with what is saved now.

Editor A opens a record; B changes field X and saves; A changes field Y and saves: refused,
and the refused form shows B's X (A never touched it) beside A's Y. Saving again writes A's
Y and keeps B's X. And whatever a form posts, a save writes only the fields the editor
changed. Through the real admin views, for every kind of widget the locked forms use
(text, text area, select, foreign key, date, checkbox, decimal), for inline rows, and at
the form level for a many-to-many field (no locked admin form has one yet).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import ActionPlan, Measure
from core.locking import LockedModelForm, current_token
from goals.models import Board
from indicators.models import IndicatorValue
from tests.access.test_locking import _page, _prefix, indicator, values_client  # noqa: F401
from tests.conftest import make_member
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

STALE = "Någon annan har ändrat posten sedan du öppnade den."


@pytest.fixture
def measure():
    plan = ActionPlan.objects.get(year=2020)
    return Measure.objects.filter(group__plan=plan).select_related("group").order_by("pk").first()


@pytest.fixture
def measure_client(client, measure, django_user_model):
    board = measure.group.plan.board
    client.force_login(make_member(django_user_model, "atgard-redaktor", board, "editor"))
    return client


def _put(data, name, value):
    """Change a field in posted data as a browser would (a checkbox: posted or not)."""
    if value is True:
        data[name] = "on"
    elif value is False:
        data.pop(name, None)
    else:
        data[name] = value


def _other_group(measure):
    return measure.group.plan.groups.exclude(pk=measure.group_id).order_by("pk").first()


#: (field B changes, B's posted value, field A changes, A's posted value); a callable value
#: is computed from the measure. Expected stored values are read back through the form.
CASES = {
    "decimal by B, text by A": ("reduction", "6,7", "title", "Rubrik från A"),
    "checkbox by B, text by A": ("approximate", lambda m: not m.approximate, "comment", "A"),
    "date by B, decimal by A": ("timing_date", "2025-03-31", "reduction", "1,25"),
    "foreign key by B, checkbox by A": (
        "group",
        lambda m: str(_other_group(m).pk),
        "timing_from",
        lambda m: not m.timing_from,
    ),
    "text by B, date by A": ("comment", "Kommentar från B", "effect_from", "2026-01-01"),
}
EXPECTED = {
    "6,7": Decimal("6.7"),
    "1,25": Decimal("1.25"),
    "2025-03-31": datetime.date(2025, 3, 31),
    "2026-01-01": datetime.date(2026, 1, 1),
}


def _stored(measure, name):
    value = getattr(measure, name)
    return str(value.pk) if name == "group" else value


def _expected(value):
    return EXPECTED.get(value, value)


@pytest.mark.parametrize("case", CASES)
def test_saving_again_keeps_the_other_editors_change(measure_client, measure, case):
    """A opens, B changes X, A changes Y: refused in Swedish, the refused form shows B's X
    and A's Y; saving again stores A's Y and keeps B's X."""
    x, x_value, y, y_value = CASES[case]
    x_value = x_value(measure) if callable(x_value) else x_value
    y_value = y_value(measure) if callable(y_value) else y_value
    url = reverse("admin:actionplans_measure_change", args=[measure.pk])
    a = form_data(measure_client.get(url))
    b = form_data(measure_client.get(url))
    _put(b, x, x_value)
    assert measure_client.post(url, b).status_code == 302
    _put(a, y, y_value)

    response = measure_client.post(url, a)

    assert response.status_code == 200
    assert STALE in response.content.decode()
    measure.refresh_from_db()
    assert _stored(measure, x) == _expected(x_value)  # nothing of A's saved
    # The refused form: B's X as data and as the value "as rendered"; A's Y, still a change
    # (its value "as rendered" is now the saved one).
    form = response.context["adminform"].form
    assert form.fields[x].clean(form[x].data) == getattr(measure, x)
    hidden = (
        form.fields[y]
        .hidden_widget()
        .value_from_datadict(form.data, form.files, form[y].html_initial_name)
    )
    assert form.fields[y].to_python(hidden) == getattr(measure, y)
    assert x not in form.changed_data and y in form.changed_data

    assert measure_client.post(url, form_data(response)).status_code == 302
    measure.refresh_from_db()
    assert _stored(measure, x) == _expected(x_value)
    assert _stored(measure, y) == _expected(y_value)


def test_refused_form_shows_the_saved_value_on_the_page(measure_client, measure):
    """The re-rendered page's text box holds B's text, not the one A was shown."""
    url = reverse("admin:actionplans_measure_change", args=[measure.pk])
    a = form_data(measure_client.get(url))
    b = dict(a, comment="Kommentar som B sparade")
    assert measure_client.post(url, b).status_code == 302
    response = measure_client.post(url, dict(a, title="Rubrik från A"))
    content = response.content.decode()
    assert STALE in content
    assert 'value="Kommentar som B sparade"' in content
    assert 'value="Rubrik från A"' in content


def test_a_stale_untouched_value_is_never_written(measure_client, measure):
    """Second line of defence: a post whose token is current (as if the token missed B's
    change) but which carries A's stale text of a field A left alone writes only A's
    change; B's text stays."""
    url = reverse("admin:actionplans_measure_change", args=[measure.pk])
    a = form_data(measure_client.get(url))
    assert measure_client.post(url, dict(a, comment="B:s kommentar")).status_code == 302
    measure.refresh_from_db()
    stale = dict(a, title="Rubrik från A", base_token=current_token(measure))

    assert measure_client.post(url, stale).status_code == 302

    measure.refresh_from_db()
    assert (measure.title, measure.comment) == ("Rubrik från A", "B:s kommentar")


# -- inline rows (an indicator's values) -----------------------------------------------------


def test_inline_row_saving_again_keeps_the_other_editors_change(values_client, indicator):  # noqa: F811
    """In one value row B changes the note and ticks "estimate", and the note of another
    row; A changes the first row's value: refused; the refused rows show B's note and box
    (also the row A did not touch) beside A's value; saving again keeps all of B's."""
    first, second = indicator.values.order_by("pk")[:2]
    url, a = _page(values_client, indicator)
    row, other = _prefix(a, first), _prefix(a, second)
    b = dict(a, **{row + "note": "Not från B", row + "is_estimate": "on"})
    b[other + "note"] = "Annan rad från B"
    assert values_client.post(url, b).status_code == 302
    a[row + "value"] = "77"

    response = values_client.post(url, a)

    assert response.status_code == 200
    assert STALE in response.content.decode()
    again = form_data(response)
    assert again[row + "note"] == "Not från B"
    assert again[row + "is_estimate"] == "on"
    assert again[row + "value"] == "77"
    assert again[other + "note"] == "Annan rad från B"
    assert values_client.post(url, again).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.value, first.note, first.is_estimate) == (77, "Not från B", True)
    assert second.note == "Annan rad från B"


def test_inline_row_stale_untouched_value_is_never_written(values_client, indicator):  # noqa: F811
    """A row posted with a current token but A's stale note (untouched) and a new value:
    only the value is written."""
    value = indicator.values.order_by("pk").first()
    url, a = _page(values_client, indicator)
    row = _prefix(a, value)
    assert values_client.post(url, dict(a, **{row + "note": "Från B"})).status_code == 302
    fresh = IndicatorValue.objects.get(pk=value.pk)
    stale = dict(a, **{row + "value": "12", row + "base_token": fresh.updated_at.isoformat()})

    assert values_client.post(url, stale).status_code == 302

    value.refresh_from_db()
    assert (value.value, value.note) == (12, "Från B")


# -- a many-to-many field, at the form level --------------------------------------------------


class BoardForm(LockedModelForm):
    class Meta:
        model = Board
        fields = ["name", "short_name", "predecessors"]


def _post_of(form) -> QueryDict:
    """What a browser posts from `form` as rendered (hidden initials as rendered)."""
    data = QueryDict(mutable=True)
    for bound in form:
        value = bound.value()
        data.setlist(
            bound.html_name,
            [str(v) for v in value]
            if isinstance(value, list)
            else ["" if value is None else str(value)],
        )
        if bound.field.show_hidden_initial:
            if form.is_bound and bound.html_initial_name in form.data:
                data.setlist(bound.html_initial_name, form.data.getlist(bound.html_initial_name))
            else:
                initial = bound.field.prepare_value(bound.initial)
                initial = initial if isinstance(initial, list) else [initial]
                data.setlist(bound.html_initial_name, [str(v) for v in initial])
    return data


def _boards(count):
    """A board and `count` other boards (earlier boards, to be named its predecessors)."""
    board = Board.objects.order_by("pk").first()
    others = [
        Board.objects.create(municipality=board.municipality, name=f"Tidigare nämnd {i}")
        for i in range(count)
    ]
    return board, others


def _pks(boards):
    return sorted(board.pk for board in boards)


def test_many_to_many_saving_again_keeps_the_other_editors_choice():
    """B changes a board's predecessors; A (from an older form) renames it: refused, the
    refused form lists B's predecessors (every value, data and hidden initial); saving
    again keeps them and stores A's name."""
    board, others = _boards(3)
    board.predecessors.set([others[0]])
    a = _post_of(BoardForm(instance=Board.objects.get(pk=board.pk)))
    b = _post_of(BoardForm(instance=Board.objects.get(pk=board.pk)))
    b.setlist("predecessors", [str(others[1].pk), str(others[2].pk)])
    saved_by_b = BoardForm(b, instance=Board.objects.get(pk=board.pk))
    assert saved_by_b.is_valid(), saved_by_b.errors
    saved_by_b.save()
    a["name"] = "Namn från A"

    refused = BoardForm(a, instance=Board.objects.get(pk=board.pk))

    assert not refused.is_valid()
    assert [e.code for e in refused.non_field_errors().as_data()] == ["stale"]
    expected = [str(pk) for pk in _pks(others[1:3])]
    assert sorted(refused.data.getlist("predecessors")) == expected
    assert sorted(refused.data.getlist("initial-predecessors")) == expected
    assert refused.changed_data == ["name"]
    again = BoardForm(_post_of(refused), instance=Board.objects.get(pk=board.pk))
    assert again.is_valid(), again.errors
    again.save()
    board.refresh_from_db()
    assert board.name == "Namn från A"
    assert _pks(board.predecessors.all()) == _pks(others[1:3])


def test_many_to_many_stale_untouched_choice_is_never_written():
    """A form with a current token carrying A's stale predecessors (untouched) saves A's
    name and leaves B's predecessors."""
    board, others = _boards(2)
    board.predecessors.set([others[0]])
    a = _post_of(BoardForm(instance=Board.objects.get(pk=board.pk)))
    board.predecessors.set([others[1]])
    board.save()
    a["name"] = "Namn från A"
    a["base_token"] = current_token(board)

    form = BoardForm(a, instance=Board.objects.get(pk=board.pk))

    assert form.is_valid(), form.errors
    form.save()
    board.refresh_from_db()
    assert board.name == "Namn från A"
    assert _pks(board.predecessors.all()) == [others[1].pk]


def test_refused_save_costs_the_same_queries_for_few_or_many_rows(values_client, indicator):  # noqa: F811
    """A refusal merges every row someone else changed (A's row and the rows A left alone)
    with no query per row: the same count with the seed's values and with 30 more."""

    def refused_save():
        url, a = _page(values_client, indicator)
        b = dict(a)
        for key in a:
            if key.startswith("values-") and key.endswith("-note") and a[key[:-4] + "id"]:
                b[key] = f"Ändrad av B {len(a)}"
        assert values_client.post(url, b).status_code == 302
        a[_prefix(a, indicator.values.order_by("pk").first()) + "value"] = "5"
        with CaptureQueriesContext(connection) as queries:
            response = values_client.post(url, a)
        assert STALE in response.content.decode()
        again = form_data(response)
        notes = [
            k for k in b if k.startswith("values-") and k.endswith("-note") and b[k[:-4] + "id"]
        ]
        assert len(notes) >= 3
        assert [again[key] for key in notes] == [b[key] for key in notes]
        return len(queries)

    few = refused_save()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, year=2000 + i, gender=g, value=i)
        for i in range(10)
        for g in ("T", "K", "M")
    )
    many = refused_save()
    print(f"refused save of the indicator page: {few} queries, {many} with 30 more rows")
    assert many == few
