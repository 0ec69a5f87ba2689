"""Helpers for the import tests: build files, upload them, read the preview, confirm."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import make_member


def url(name, model="indicators_indicatorvalue"):
    return reverse(f"admin:{model}_{name}")


def xlsx(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def upload(client, target, data: bytes, name="data.xlsx", **extra):
    """POST the file to an import page: the preview response."""
    file = io.BytesIO(data)
    file.name = name
    return client.post(target, {"import_file": file, **extra})


def token(response):
    match = re.search(rb'name="confirm_token" value="([^"]+)"', response.content)
    return match.group(1).decode() if match else None


def confirm(client, target, preview):
    return client.post(target, {"confirm_token": token(preview)})


def problems(response):
    result = response.context["result"]
    return [str(p) for p in result.problems] if result else []


def export(client, target, fmt=0):
    response = client.post(target, {"format": str(fmt), "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return response.content


@pytest.fixture
def son_board(plan_2019):
    return plan_2019.board


@pytest.fixture
def son_editor(son_board, django_user_model):
    """An editor of Social- och omsorgsnämnden (the 2019 board)."""
    return make_member(django_user_model, "son-redaktor", son_board, "editor")


@pytest.fixture
def son_client(client, son_editor):
    client.force_login(son_editor)
    return client
