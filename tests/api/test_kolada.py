"""The Kolada-compatible values endpoint: Kolada's data API v2 shape and routes."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db

BASE = "/api/v1/kolada/data"


@pytest.fixture
def sick_leave(plan_2019):
    """'Total sjukfrånvaro' (women, men, total per year) with a Kolada id."""
    indicator = Indicator.objects.get(board=plan_2019.board, kind="goal", name="Total sjukfrånvaro")
    indicator.kolada_kpi = "N00090"
    indicator.save()
    return indicator


def _value(indicator, year, gender):
    return float(IndicatorValue.objects.get(indicator=indicator, year=year, gender=gender).value)


def test_shape_with_women_men_and_total(staff_client, sick_leave):
    """One entry per KPI, municipality and year with exactly Kolada's fields; the values
    of K, M and T in Kolada's order, count 1, empty status, numbers as numbers, and the
    estimate flag and note, which Kolada has no place for, as extra fields."""
    response = staff_client.get(f"{BASE}/kpi/N00090/municipality/0580/year/2019")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "values", "next_page", "previous_page"}
    assert data["count"] == 1 and data["next_page"] is None
    [entry] = data["values"]
    assert entry == {
        "kpi": "N00090",
        "municipality": "0580",
        "period": 2019,
        "values": [
            {
                "gender": g,
                "count": 1,
                "status": "",
                "value": _value(sick_leave, 2019, g),
                "isdeleted": False,
                "is_estimate": False,
                "note": "",
            }
            for g in ("K", "M", "T")
        ],
    }


def test_missing_values_are_null_with_the_reason_as_status(staff_client, plan_2019):
    """An indicator without a Kolada id appears under its stable key (the earlier
    LKP-<id> asks for the same); a text-only value has value null and its text as status."""
    indicator = Indicator.objects.get(board=plan_2019.board, name="Vattenförbrukning per kvm")
    data = staff_client.get(f"{BASE}/kpi/{indicator.key}/year/2019").json()
    assert data["values"] == [
        {
            "kpi": str(indicator.key),
            "municipality": "0580",
            "period": 2019,
            "values": [
                {
                    "gender": "T",
                    "count": 1,
                    "status": "Ej mätbart",
                    "value": None,
                    "isdeleted": False,
                    "is_estimate": False,
                    "note": "",
                }
            ],
        }
    ]
    assert staff_client.get(f"{BASE}/kpi/LKP-{indicator.pk}/year/2019").json() == data


def test_two_of_three_routes_and_comma_lists(staff_client, sick_leave):
    """kpi+year, kpi+municipality and municipality+year give the same entries; each
    segment takes a comma-separated list."""
    by_kpi_year = staff_client.get(f"{BASE}/kpi/N00090/year/2018,2019").json()
    by_kpi_place = staff_client.get(f"{BASE}/kpi/N00090,N99999/municipality/0580").json()
    by_place_year = staff_client.get(f"{BASE}/municipality/0580/year/2018,2019").json()
    assert [e["period"] for e in by_kpi_year["values"]] == [2018, 2019]
    assert by_kpi_place["values"][-2:] == by_kpi_year["values"]
    assert [e for e in by_place_year["values"] if e["kpi"] == "N00090"] == by_kpi_year["values"]


def test_category_and_tertial_values_are_left_out(staff_client, plan_2019):
    """Kolada has no category breakdown and no tertials: BOU/VUX/LSS values are not in the
    Kolada shape (they stay in /indicator-values/)."""
    indicator = IndicatorValue.objects.exclude(category="").first().indicator
    data = staff_client.get(f"{BASE}/kpi/LKP-{indicator.pk}/municipality/0580").json()
    assert data["count"] == 0
    IndicatorValue.objects.create(indicator=indicator, year=2019, tertial="T1", value=3)
    assert staff_client.get(f"{BASE}/kpi/LKP-{indicator.pk}/municipality/0580").json()["count"] == 0


def test_paging(staff_client):
    """per_page and page walk through all entries; next_page links to the following page."""
    first = staff_client.get(f"{BASE}/municipality/0580/year/2019", {"per_page": 2}).json()
    assert len(first["values"]) == 2 and first["count"] > 2
    assert "page=2" in first["next_page"]
    second = staff_client.get(first["next_page"]).json()
    assert second["values"][0] != first["values"][0]
    assert "page" not in parse_qs(urlsplit(second["previous_page"]).query)


@pytest.mark.parametrize(
    "path",
    [
        "kpi/N00090/year/20199",
        "kpi/N00090/year/1066",
        "kpi/N0;0090/municipality/0580",
        "municipality/580/year/2019",
        "municipality/0580/year/2019?per_page=0",
        "municipality/0580/year/2019?page=x",
    ],
)
def test_bad_input_is_400(staff_client, path):
    """Malformed ids, years out of range and bad paging are answered with 400."""
    assert staff_client.get(f"{BASE}/{path}").status_code == 400


def test_query_count_does_not_grow_with_the_page(api_client, published_2019):
    """Four queries (ETag aggregate, entry count, entry keys, their values) for 1 entry or
    50 entries per page."""
    url = f"{BASE}/municipality/0580/year/2017,2018,2019"
    counts = []
    for per_page in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            data = api_client.get(url, {"per_page": per_page}).json()
        assert len(data["values"]) == min(per_page, data["count"])
        counts.append(len(queries))
    assert data["count"] > 50
    assert counts == [4, 4]


def test_kolada_routes_are_strict_about_parameters(staff_client, sick_leave):
    """An unknown parameter on the Kolada routes is a 400 naming it; v3 takes its lists
    repeated (as koladapy sends them) or comma-separated, and both give the same entries;
    the whole-dataset files accept the list's filters but not its paging."""
    response = staff_client.get(f"{BASE}/kpi/N00090/year/2019", {"per_pgae": 5})
    assert response.status_code == 400 and "per_pgae" in response.json()
    assert staff_client.get("/api/v1/kolada/kpi", {"titel": "x"}).status_code == 400
    repeated = staff_client.get("/api/v1/kolada/v3/data?kpi_id=N00090&year=2018&year=2019")
    joined = staff_client.get("/api/v1/kolada/v3/data", {"kpi_id": "N00090", "year": "2018,2019"})
    assert repeated.status_code == 200 and repeated.json()["values"] == joined.json()["values"]
    assert len(joined.json()["values"]) == 2
    assert staff_client.get("/api/v1/kolada/v3/data?page=1&page=2").status_code == 400
    url = "/api/v1/indicator-values/all.csv"
    assert staff_client.get(url, {"year": 2019, "ordering": "-year"}).status_code == 200
    assert "page_size" in staff_client.get(url, {"page_size": 5}).json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/kolada/kpi",
        "/api/v1/kolada/v3/kpi",
        "/api/v1/kolada/municipality",
        "/api/v1/kolada/v3/ou",
    ],
)
def test_metadata_query_count_does_not_grow(api_client, plan_2019, url):
    """The metadata lists take the same number of queries with 5 more indicators and
    boards (one query for the rows, plus the visibility rule's)."""
    from goals.models import Board

    counts, sizes = [], []
    for _round in range(2):
        with CaptureQueriesContext(connection) as queries:
            data = api_client.get(url).json()
        counts.append(len(queries))
        sizes.append(data["count"])
        for n in range(5):
            board = Board.objects.create(
                municipality=plan_2019.board.municipality, name=f"Ny nämnd {n}"
            )
            Indicator.objects.create(board=board, kind="volume", name=f"Ny volym {n}")
    assert counts[0] == counts[1] <= 2
    assert sizes[0] < sizes[1] or "municipality" in url
