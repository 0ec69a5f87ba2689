"""No lost updates in real headless Chromium: two editors on one measure's admin page.

A opens the measure; B changes its cost reduction (a localized decimal) and saves; A changes
the title and saves: refused in Swedish, and A's page now shows B's reduction beside A's
title. A saves again: both are stored. What the browser posts (hidden initials included) is
what the page rendered, so this checks the round trip the client tests can only imitate.

Runs on the live server like test_browser.py (the module is moved to the end of the run and
loads the seed again when it ends).
"""

from decimal import Decimal

import pytest

from actionplans.models import ActionPlan, Measure
from actionplans.seed import action_plan_seed_load
from followups.seed import seed_load
from tests.conftest import make_member

from .conftest import sign_in

STALE = "Någon annan har ändrat posten sedan du öppnade den."


def _page_of(browser, live_url, user):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="sv-SE")
    context.set_default_timeout(20_000)
    sign_in(context, live_url, user)
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
