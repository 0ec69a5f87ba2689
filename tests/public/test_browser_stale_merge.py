"""No lost updates in real headless Chromium: two editors on one measure's admin page.

A opens the measure; B changes its cost reduction (a localized decimal) and saves; A changes
the title and saves: refused in Swedish, and A's page now shows B's reduction beside A's
title. A saves again: both are stored. What the browser posts (hidden initials included) is
what the page rendered, so this checks the round trip the client tests can only imitate.

Runs on the live server like test_browser.py (the module is moved to the end of the run and
loads the seed again when it ends).
"""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from actionplans.models import ActionPlan, Measure
from actionplans.seed import action_plan_seed_load
from followups.seed import seed_load
from qualityreports.seed import quality_report_seed_load
from tests.conftest import make_member

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
STALE = "Någon annan har ändrat posten sedan du öppnade den."


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing ({CHROMIUM}); scripts/test installs it")
    from playwright.sync_api import sync_playwright

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
    # The live server's flush left the database empty: the seed again for later tests.
    with django_db_blocker.unblock():
        seed_load()
        action_plan_seed_load()
        quality_report_seed_load()


def _page_of(browser, live_url, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
    context.set_default_timeout(20_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_url}]
    )
    return context.new_page()


def _save(page):
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()


def _decimal(text):
    return Decimal(text.replace("\xa0", "").replace(" ", "").replace(",", "."))


@pytest.mark.django_db(transaction=True)
def test_two_editors_in_chromium_both_changes_survive(browser, live_server, django_user_model):
    seed_load()
    action_plan_seed_load()
    plan = ActionPlan.objects.select_related("board").get(year=2020)
    measure = Measure.objects.filter(group__plan=plan).order_by("pk").first()
    reduction = (measure.reduction or Decimal(0)) + Decimal("1.5")
    url = f"{live_server.url}/admin/actionplans/measure/{measure.pk}/change/"
    page_a = _page_of(
        browser, live_server.url, make_member(django_user_model, "a", plan.board, "editor")
    )
    page_b = _page_of(
        browser, live_server.url, make_member(django_user_model, "b", plan.board, "editor")
    )
    page_a.goto(url)
    page_b.goto(url)

    page_b.fill("#id_reduction", str(reduction).replace(".", ","))
    _save(page_b)
    assert page_b.locator(".errornote, .errorlist").count() == 0
    page_a.fill("#id_title", "Rubrik som A skrev")
    _save(page_a)

    assert STALE in page_a.locator(".errorlist.nonfield").inner_text()
    assert _decimal(page_a.locator("#id_reduction").input_value()) == reduction
    assert page_a.locator("#id_title").input_value() == "Rubrik som A skrev"
    measure.refresh_from_db()
    assert measure.reduction == reduction and measure.title != "Rubrik som A skrev"

    _save(page_a)
    assert page_a.locator(".errornote, .errorlist").count() == 0
    measure.refresh_from_db()
    assert (measure.title, measure.reduction) == ("Rubrik som A skrev", reduction)
    page_a.context.close()
    page_b.context.close()
