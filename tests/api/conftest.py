import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from goals.choices import PeriodStatus

#: Every list endpoint of the API, by its URL name.
LIST_ROUTES = [
    "board",
    "activity-area",
    "municipal-goal",
    "plan",
    "goal",
    "goal-indicator-item",
    "goal-municipal-goal",
    "follow-up-period",
    "activity",
    "assignment",
    "follow-up",
    "indicator",
    "indicator-value",
    "deletion",
]


def _clear_caches():
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with no throttle counts and no stored API responses."""
    _clear_caches()
    yield
    _clear_caches()


@pytest.fixture
def api_client():
    """An anonymous reader."""
    return APIClient()


@pytest.fixture
def staff_client(db, django_user_model):
    """A logged-in system administrator, who sees unpublished content of every board."""
    user = django_user_model.objects.create_superuser("api-staff", password="x")
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def published_2019(plan_2019):
    """The 2019 year-end period published: its follow-ups and the values up to 2019 go public."""
    period = plan_2019.periods.get(kind="T3")
    period.status = PeriodStatus.PUBLISHED
    period.save()
    return period
