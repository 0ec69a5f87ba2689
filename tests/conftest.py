import pytest

from followups.seed import seed_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the seed documents loaded, as a new installation does."""
    with django_db_blocker.unblock():
        seed_load()


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


@pytest.fixture
def editor(db, django_user_model):
    """A staff member of the board office who may write follow-ups and edit plan content."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("redaktor", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["goals", "activities", "indicators", "followups"]
        )
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
