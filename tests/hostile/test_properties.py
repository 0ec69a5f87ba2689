"""Property-based tests (Hypothesis): the cell parsers, the CSV and xlsx readers, the JSON
and Kolada readers and the bulk API, on generated input.

Each property says what may come out: a value, or the reader's own Swedish refusal — never
another exception (a 500), never a non-finite number, never a row silently cut or split.
Examples are few and derandomized so that the suite stays fast and repeatable.
"""

import io
import json
import math
import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.cells import normalize_text, parse_date, parse_decimal, parse_int, parse_yes_no
from core.formats import ImportFileError, read_table, write_csv, write_xlsx
from core.safeinput import jsonsafe
from core.safeinput.text import bad_character
from imports.kolada import read_kolada

FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None)
DB = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
cell_values = st.one_of(st.none(), st.text(max_size=30), numbers)


# -- cells --------------------------------------------------------------------------------------


@FAST
@given(cell_values)
@example(float("inf"))
@example("1e400")
@example("NaN")
@example(Decimal("sNaN"))
def test_parse_decimal_gives_a_finite_number_or_a_swedish_refusal(value):
    """A finite Decimal, None for a blank cell, or ValueError — nothing else."""
    try:
        number = parse_decimal(value)
    except ValueError as exc:
        assert str(exc)
        return
    assert number is None or number.is_finite()


@FAST
@given(cell_values)
def test_other_cell_parsers_only_refuse_with_value_error(value):
    """parse_int, parse_date, parse_yes_no and normalize_text: a value or ValueError."""
    for parse in (parse_int, parse_date, parse_yes_no, normalize_text):
        try:
            parse(value)
        except ValueError as exc:
            assert str(exc)


# -- CSV and xlsx -------------------------------------------------------------------------------

text_cells = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
    ),
    max_size=15,
)


def _tables(cells):
    return st.integers(min_value=1, max_value=5).flatmap(
        lambda width: st.lists(
            st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=8
        ).map(lambda rows: ([f"K{n}" for n in range(width + 1)], rows))
    )


@FAST
@given(st.binary(max_size=3000))
@example(b'a;b\n1;"2\n')
@example(b"a,b\n1,2,3\n")
@example(b"a;b\n1;2\x00\n")
def test_read_table_of_any_bytes_refuses_or_reads_whole_rows(data):
    """Any bytes: ImportFileError, or a table in which no row is wider than its header
    (cells are never dropped) — CSV rows are as wide as the header."""
    try:
        table = read_table(data)
    except ImportFileError as exc:
        assert str(exc)
        return
    width = len(table.headers)
    for row in table.rows:
        assert len(row) <= width
        if table.kind.startswith("csv") and row:
            assert len(row) == width


@FAST
@given(_tables(text_cells), st.booleans())
def test_csv_round_trip_is_exact(table, swedish):
    """What write_csv writes (either dialect), read_table reads back cell for cell."""
    headers, rows = table
    rows = [[str(n), *row] for n, row in enumerate(rows)]
    try:
        read = read_table(write_csv(headers, rows, swedish=swedish))
    except ImportFileError as exc:
        # The one refusal allowed: a cell whose text looks like swallowed rows.
        assert "flera rader" in str(exc)
        return
    assert read.headers == headers
    assert [[normalize_text(c) for c in r] for r in read.rows] == [
        [normalize_text(c) for c in r] for r in rows
    ]


@FAST
@given(
    _tables(
        st.one_of(
            text_cells,
            st.integers(min_value=-(10**15), max_value=10**15),
            st.floats(allow_nan=False, allow_infinity=False, width=32),
        )
    )
)
def test_xlsx_round_trip_is_exact(table):
    """What write_xlsx writes, read_table reads back: text as text, numbers as numbers."""
    headers, rows = table
    rows = [[n, *row] for n, row in enumerate(rows)]
    read = read_table(write_xlsx(headers, rows))
    assert read.headers == headers
    assert len(read.rows) == len(rows)
    for got, want in zip(read.rows, rows, strict=True):
        for a, b in zip(got, want, strict=False):
            if isinstance(b, str):
                assert normalize_text(a) == normalize_text(b)
            else:
                assert a is not None and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-30)


def _valid_xlsx() -> bytes:
    return write_xlsx(["Nämnd", "År", "Värde"], [["Omsorgsnämnden", 2019, 1.5], ["x", 2, "y"]])


VALID_XLSX = _valid_xlsx()


@FAST
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(VALID_XLSX) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    )
)
def test_damaged_xlsx_is_refused_or_read(damage):
    """A valid workbook with bytes changed anywhere: read, or refused in Swedish."""
    data = bytearray(VALID_XLSX)
    for position, byte in damage:
        data[position] = byte
    try:
        read_table(bytes(data))
    except ImportFileError as exc:
        assert str(exc)


def _rezip(parts: dict) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(VALID_XLSX))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, parts.get(name, source.read(name)))
    return buffer.getvalue()


@FAST
@given(st.binary(max_size=400), st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml"]))
def test_xlsx_with_any_part_content_is_refused_or_read(content, part):
    """A workbook whose sheet or workbook part is any bytes: read or refused, never a crash."""
    try:
        read_table(_rezip({part: content}))
    except ImportFileError as exc:
        assert str(exc)


# -- JSON and Kolada ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(st.binary(max_size=500))
@example(b"[" * 5000)
@example(b'{"a": NaN}')
@example(b'"\\ud800"')
def test_jsonsafe_refuses_with_json_refused_only(data):
    """Any bytes: a document or JSONRefused with a Swedish reason."""
    try:
        jsonsafe.loads(data)
    except jsonsafe.JSONRefused as exc:
        assert str(exc)


@FAST
@given(json_values)
def test_jsonsafe_reads_what_json_writes(value):
    """Within the depth limit the document is read as json reads it (fractions as Decimal)."""
    text = json.dumps(value)
    assert json.loads(json.dumps(jsonsafe.loads(text), default=float)) == json.loads(text)


kolada_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["T", "K", "M", "0580", "N00945", "2019", "\x00", "\ud800"]),
)
kolada_documents = st.fixed_dictionaries(
    {
        "values": st.lists(
            st.fixed_dictionaries(
                {
                    "kpi": kolada_scalars,
                    "municipality": kolada_scalars,
                    "period": st.one_of(kolada_scalars, st.integers(1980, 2110)),
                    "values": st.one_of(
                        kolada_scalars,
                        st.lists(
                            st.one_of(
                                kolada_scalars,
                                st.fixed_dictionaries(
                                    {"gender": kolada_scalars, "value": kolada_scalars}
                                ),
                            ),
                            max_size=3,
                        ),
                    ),
                }
            ),
            max_size=4,
        )
    }
)


@FAST
@given(st.one_of(kolada_documents, json_values))
def test_kolada_reader_refuses_or_gives_finite_values(document):
    """Any JSON (Kolada-shaped or not; with NaN, Infinity, NUL, surrogates): a table of
    finite values, or ImportFileError."""
    data = json.dumps(document, allow_nan=True).encode("utf-8", "surrogatepass")
    try:
        table = read_kolada(data)
    except ImportFileError as exc:
        assert str(exc)
        return
    for row in table.rows:
        value = row[-1]
        assert value is None or (isinstance(value, Decimal) and value.is_finite())
        assert not any(isinstance(c, str) and bad_character(c) for c in row)


# -- the bulk API -------------------------------------------------------------------------------

row_keys = st.sampled_from(
    ["indicator", "year", "tertial", "gender", "category", "value", "text_value", "note"]
    + ["is_estimate", "gendr", "Value", ""]
)
row_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["K", "T1", "7,1", "1e400", "\x00", "\ud800", "", "2021"]),
    st.lists(st.integers(), max_size=2),
)


@pytest.mark.django_db
@DB
@given(
    rows=st.lists(
        st.one_of(st.dictionaries(row_keys, row_values, max_size=6), row_values), max_size=4
    ),
    dry_run=st.sampled_from([True, "true", None]),
)
def test_bulk_api_never_fails_and_refusals_write_nothing(bulk_writer, indicator_id, rows, dry_run):
    """Generated rows (a valid indicator id mixed in): 200 or 400, JSON, errors naming row
    and field; a 400 or a dry run leaves the database as it was."""
    from tests.hostile.conftest import db_fingerprint

    rows = [
        (row | {"indicator": indicator_id}) if isinstance(row, dict) and "indicator" in row else row
        for row in rows
    ]
    body = {"values": rows} if dry_run is None else {"values": rows, "dry_run": dry_run}
    before = db_fingerprint()
    response = bulk_writer.generic(
        "POST",
        "/api/v1/indicator-values/bulk/",
        json.dumps(body).encode("utf-8", "surrogatepass"),
        content_type="application/json",
    )
    assert response.status_code in (200, 400), response.content[:300]
    assert response["Content-Type"] == "application/json"
    if response.status_code == 400:
        for error in response.json()["errors"]:
            assert {"row", "field", "message"} <= set(error) and error["message"]
    if response.status_code == 400 or dry_run is True:
        assert db_fingerprint() == before


@pytest.fixture
def indicator_id(plan_2019):
    from indicators.models import Indicator

    return Indicator.objects.get(board=plan_2019.board, kind="goal", name="Total sjukfrånvaro").pk


@pytest.fixture
def bulk_writer(plan_2019, django_user_model):
    from rest_framework.test import APIClient

    from access.tokens import token_create
    from tests.conftest import make_member

    user = make_member(django_user_model, "hypothesis-bi", plan_2019.board, "editor")
    _scope, secret = token_create(user=user, name="H", boards=[plan_2019.board], can_write=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client
