"""Fixtures for the public reader's tests, and the browser tests' place at the end of the run.

The browser tests run on pytest-django's live server, whose transactional test case flushes
the database when each test ends. They are therefore moved behind every other test of the
session (the hook below), load the seed themselves, and load it once more when their module
ends so that anything after them still finds the seed documents.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod
from tests.conftest import make_member

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

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


# -- the browser tests' shared parts ----------------------------------------------------------


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    """Headless Debian Chromium for a browser test module; afterwards every seed document is
    loaded again (the live server's flush left the database empty)."""
    for path, what in ((CHROMIUM, "Chromium"), (AXE, "axe-core")):
        if not path.exists():
            pytest.fail(f"{what} is missing ({path}); scripts/test installs it")
    from playwright.sync_api import sync_playwright

    from actionplans.seed import action_plan_seed_load
    from followups.seed import seed_load
    from qualityreports.seed import quality_report_seed_load

    # Playwright's sync API runs an event loop in this thread; Django refuses database calls
    # from a thread with a running loop unless told that this is safe (it is: one thread).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
    with django_db_blocker.unblock():
        seed_load()
        action_plan_seed_load()
        quality_report_seed_load()


def sign_in(context, live_url, user):
    """Give a browser context a session of `user` (made by Django's test client)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_url}]
    )


def check_axe(page, name, selector="html"):
    """axe-core on the page (or its part `selector`): no WCAG 2.0/2.1 A or AA violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "([selector, tags]) => axe.run(selector, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        [selector, AXE_TAGS],
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert not problems, f"axe on {name}:\n" + "\n".join(problems)
