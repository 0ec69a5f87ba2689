import tempfile

import pytest

from actionplans.seed import action_plan_seed_load
from followups.seed import seed_load
from qualityreports.seed import quality_report_seed_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the seed documents loaded, as a new installation does
    (scripts/run loads all four)."""
    with django_db_blocker.unblock():
        seed_load()
        action_plan_seed_load()
        quality_report_seed_load()


@pytest.fixture(autouse=True)
def _temporary_files_in_tmp_path(tmp_path, monkeypatch):
    """Files a test leaves in the temporary folder (e.g. import previews) go to its own."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


@pytest.fixture(autouse=True)
def _empty_file_storage():
    """Each test starts with an empty file storage (in memory in the test settings)."""
    from django.core.files.storage import default_storage, storages
    from django.utils.functional import empty

    def reset():
        storages._storages.pop("default", None)
        default_storage._wrapped = empty

    reset()
    yield
    reset()


@pytest.fixture(autouse=True)
def _empty_default_cache():
    """Each test starts with an empty shared cache (in memory in the test settings): what one
    test cached (e.g. a published edition's lookup) must not answer in the next, whose
    database was rolled back."""
    from django.core.cache import caches

    caches["default"].clear()


@pytest.fixture
def plan_2017(db):
    from goals.models import Plan

    return Plan.objects.select_related("board__municipality").get(
        board__name="Omsorgsnämnden", year=2017
    )


@pytest.fixture
def plan_2019(db):
    from goals.models import Plan

    return Plan.objects.select_related("board__municipality").get(
        board__name="Social- och omsorgsnämnden", year=2019
    )


@pytest.fixture
def period_2017_12(plan_2017):
    return plan_2017.periods.get(date="2017-12-31")


@pytest.fixture
def period_2017_08(plan_2017):
    return plan_2017.periods.get(date="2017-08-31")


def make_member(django_user_model, username, board, role):
    """A person holding `role` on `board` (no Django staff flag or model permissions)."""
    from access.models import BoardMembership

    user = django_user_model.objects.create_user(username, password="x")
    BoardMembership.objects.create(user=user, board=board, role=role)
    return user


@pytest.fixture
def editor(plan_2017, django_user_model):
    """An editor of Omsorgsnämnden: writes follow-ups and edits plan content of that board."""
    return make_member(django_user_model, "redaktor", plan_2017.board, "editor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
