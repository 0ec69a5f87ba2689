import pytest

from qualityreports.models import QualityReport
from tests.conftest import make_member


@pytest.fixture
def quality_report(db):
    return QualityReport.objects.select_related("board").get(year=2022)


@pytest.fixture
def son_editor(quality_report, django_user_model):
    return make_member(django_user_model, "son-redaktor", quality_report.board, "editor")


@pytest.fixture
def oms_reader(plan_2017, django_user_model):
    return make_member(django_user_model, "oms-lasare", plan_2017.board, "reader")
