"""Fixtures for the public reader's tests, and the browser tests' place at the end of the run.

The browser tests run on pytest-django's live server, whose transactional test case flushes
the database when each test ends. They are therefore moved behind every other test of the
session (the hook below), load the seed themselves, and load it once more when their module
ends so that anything after them still finds the seed documents.
"""

import pytest

from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod
from tests.conftest import make_member

#: test_browser.py, test_browser_authoring.py, …
BROWSER_PREFIX = "test_browser"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the live-server (browser) tests last: their database flush would empty the seed."""
    browser = [item for item in items if item.path.name.startswith(BROWSER_PREFIX)]
    if browser:
        others = [item for item in items if not item.path.name.startswith(BROWSER_PREFIX)]
        items[:] = others + browser


def publish(*periods):
    """Set the periods' status to published, as the workflow's last step does."""
    FollowUpPeriod.objects.filter(pk__in=[p.pk for p in periods]).update(
        status=PeriodStatus.PUBLISHED
    )
    for period in periods:
        period.status = PeriodStatus.PUBLISHED


@pytest.fixture
def period_2019(plan_2019):
    return plan_2019.periods.get(kind="T3")


@pytest.fixture
def published_2017_12(period_2017_12):
    """The 2017 year-end follow-up published; the interim report (2017-08-31) stays open."""
    publish(period_2017_12)
    return period_2017_12


@pytest.fixture
def published_2019(period_2019):
    """The 2019 year-end follow-up published: its assessments and the values to 2019 go public."""
    publish(period_2019)
    return period_2019


@pytest.fixture
def reader_2017(plan_2017, django_user_model):
    """A politician reading for Omsorgsnämnden: sees its drafts, changes nothing."""
    return make_member(django_user_model, "ledamot", plan_2017.board, "reader")


@pytest.fixture
def reader_client(client, reader_2017):
    client.force_login(reader_2017)
    return client
