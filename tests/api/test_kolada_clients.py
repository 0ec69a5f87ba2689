"""Real Kolada clients against the live test server: pykolada (Kolada API v2) and koladapy
(Kolada API v3) read the boards' own indicators, their values and their metadata.

Runs on pytest-django's live server, which flushes the database when a test ends; the
module fixture loads the seed documents again afterwards so the rest of the suite finds them.
"""

import pykolada
import pykolada.pykolada
import pytest
from koladapy import KoladaAPI

from followups.seed import seed_load
from goals.choices import PeriodStatus
from goals.models import Board, FollowUpPeriod
from indicators.models import Indicator, IndicatorValue


@pytest.fixture(scope="module", autouse=True)
def _seed_again_afterwards(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        seed_load()


@pytest.fixture
def published(live_server):
    """The seed with every period published: anonymous clients see all values."""
    seed_load()  # a live-server test earlier in the run may have flushed the database
    FollowUpPeriod.objects.update(status=PeriodStatus.PUBLISHED)
    indicator = Indicator.objects.get(
        board__name="Social- och omsorgsnämnden", kind="goal", name="Total sjukfrånvaro"
    )
    total = indicator.values.get(year=2019, gender="T", tertial="", category="")
    total.is_estimate = True
    total.note = "Bedömt utfall"
    total.save()
    return indicator


def _expected(indicator):
    return {
        (v.year, v.gender): float(v.value)
        for v in IndicatorValue.objects.filter(indicator=indicator, tertial="", category="")
    }


def test_pykolada_reads_data_and_metadata(published, live_server, monkeypatch):
    """pykolada with its BASE_URL at /api/v1/kolada/: get_kpi, get_municipality, get_ou,
    get_data and get_oudata give the board's indicator, Linköping, the boards and every
    whole-year value by gender."""
    monkeypatch.setattr(pykolada.pykolada, "BASE_URL", f"{live_server.url}/api/v1/kolada/")
    indicator, key = published, str(published.key)

    [kpi] = pykolada.get_kpi(id=key)
    assert kpi["id"] == key and kpi["title"] == "Total sjukfrånvaro"
    assert kpi["operating_area"] == "Social- och omsorgsnämnden"
    assert kpi["is_divided_by_gender"] == 1 and kpi["unit"] == indicator.unit
    assert key in {k["id"] for k in pykolada.get_kpi(title="sjukfrånvaro")}
    assert len(pykolada.get_kpi()) == len(
        {i.kolada_kpi or str(i.key) for i in Indicator.objects.all()}
    )
    assert pykolada.get_municipality(id="0580") == [
        {"id": "0580", "title": "Linköpings kommun", "type": "K"}
    ]
    board = indicator.board
    assert pykolada.get_ou(title="Social- och") == [
        {"id": f"N{board.pk}", "municipality": "0580", "title": board.name}
    ]
    assert len(pykolada.get_ou()) == Board.objects.count()

    rows = pykolada.get_data(kpi=key, municipality="0580")
    assert {(r["year"], r["gender"]): r["value"] for r in rows} == _expected(indicator)
    assert {r["kpi"] for r in rows} == {key} and {r["municipality"] for r in rows} == {"0580"}
    # The earlier id of the same indicator still works.
    assert len(pykolada.get_data(kpi=f"LKP-{indicator.pk}", year=2019)) == 3

    ou_rows = pykolada.get_oudata(kpi=key, ou=f"N{board.pk}", year=[2019])
    assert {(r["year"], r["gender"], r["ou"]) for r in ou_rows} == {
        (2019, g, f"N{board.pk}") for g in "KMT"
    }


def test_koladapy_reads_data_and_metadata(published, live_server):
    """koladapy's KoladaAPI at /api/v1/kolada/v3/: KPI, municipality and unit metadata,
    values with next_url paging (per_page 5000), from_date, and a data frame with the
    KPI's metadata merged in; the estimate flag and note come along."""
    api = KoladaAPI(base_url=f"{live_server.url}/api/v1/kolada/v3/", max_requests_per_second=1e6)
    indicator, key = published, str(published.key)

    assert api.get_kpi(key)["title"] == "Total sjukfrånvaro"
    assert [k["id"] for k in api.get_kpis([key, f"LKP-{indicator.pk}"])] == [key]
    assert key in {k["id"] for k in api.search_kpis(query="sjukfrånvaro")}
    assert api.get_municipality("0580") == {"id": "0580", "title": "Linköpings kommun", "type": "K"}
    assert [m["id"] for m in api.get_municipalities(municipality_type="K")] == ["0580"]
    units = api.get_organizational_units(municipality="0580")
    assert {u["title"] for u in units} == set(Board.objects.values_list("name", flat=True))
    assert api.get_organizational_unit(f"N{indicator.board_id}")["title"] == indicator.board.name

    entries = api.get_values(kpi_id=key, municipality_id="0580", years=[2017, 2018, 2019])
    values = {(e["period"], v["gender"]): v for e in entries for v in e["values"]}
    expected = {k: v for k, v in _expected(indicator).items() if k[0] >= 2017}
    assert {k: v["value"] for k, v in values.items()} == expected
    assert values[(2019, "T")]["is_estimate"] is True
    assert values[(2019, "T")]["note"] == "Bedömt utfall"

    everything = api.get_values(municipality_id="0580")
    assert len(everything) == (
        IndicatorValue.objects.filter(tertial="", category="")
        .values("indicator_id", "year")
        .distinct()
        .count()
    )
    assert api.get_values(kpi_id=key, updated_since="2999-01-01") == []

    frame = api.get_data_as_dataframe(kpi_id=key, years=2019, include_metadata=True)
    assert sorted(frame["gender"]) == ["K", "M", "T"]
    assert set(frame["kpi_title"]) == {"Total sjukfrånvaro"}
    assert set(frame["municipality_title"]) == {"Linköpings kommun"}


def test_kolada_v3_pages_with_next_url(published, client):
    """v3 pages carry next_url/previous_url; following next_url walks every entry once."""
    url = "/api/v1/kolada/v3/data?municipality_id=0580&per_page=7"
    seen, pages = [], 0
    while url:
        data = client.get(url).json()
        assert set(data) == {"count", "values", "next_url", "previous_url"}
        seen += [(e["kpi"], e["period"]) for e in data["values"]]
        url, pages = data["next_url"], pages + 1
    assert len(seen) == len(set(seen)) == data["count"] and pages == -(-data["count"] // 7)
