"""The public reader end to end in real headless Chromium (Playwright), with axe-core checks.

Runs on pytest-django's live server. Its transactional test case flushes the database after
each test, so each test loads the seed itself, and the module loads it once more at its end
(tests/public/conftest.py moves this module to the end of the run). Screenshots of every
page are saved under artifacts/screenshots/.

Needs Debian's chromium (/usr/bin/chromium) and axe-core from npm (node_modules/); scripts/test
installs both. Without them the tests are skipped, except on CI, where they fail.
"""

from pathlib import Path

import pytest
from django.conf import settings

from access.models import BoardMembership
from activities.models import Activity
from followups.seed import seed_load
from goals.models import Plan
from indicators.models import Indicator

from .conftest import check_axe, publish, sign_in

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def site(browser, live_server):
    """The seed loaded with its year-end periods published (the 2017 interim report stays
    open), and a factory of browser pages of a given size on the live server."""
    seed_load()
    plans = {plan.year: plan for plan in Plan.objects.select_related("board")}
    publish(plans[2017].periods.get(kind="T3"), plans[2019].periods.get(kind="T3"))
    contexts = []

    def new_page(viewport=DESKTOP):
        # The pages send a CSP without inline scripts; the test injects axe-core inline.
        context = browser.new_context(
            viewport=viewport, locale="sv-SE", accept_downloads=True, bypass_csp=True
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    new_page.url = live_server.url
    new_page.plans = plans
    yield new_page
    for context in contexts:
        context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.django_db(transaction=True)
def test_start_board_plan_goal_and_pdf(site, django_user_model):
    """Start → board → plan → goal by clicking; the goal shows its follow-up history; the plan
    downloads as a PDF. Every page passes axe."""
    page = site()
    plan = site.plans[2017]
    page.goto(site.url + "/")
    assert page.locator("html").get_attribute("lang") == "sv"
    check_axe(page, "start")
    screenshot(page, "desktop-01-start")

    page.get_by_role("link", name="Omsorgsnämnden", exact=True).click()
    page.wait_for_url(f"**/las/namnd/{plan.board_id}/")
    check_axe(page, "board")
    screenshot(page, "desktop-02-board")

    page.locator(f'main a[href="/las/namnd/{plan.board_id}/2017/"]').first.click()
    page.wait_for_url(f"**/las/namnd/{plan.board_id}/2017/")
    assert page.get_by_role("heading", level=1).inner_text() == "Verksamhetsplan 2017"
    check_axe(page, "plan")
    screenshot(page, "desktop-03-plan")

    activity = Activity.objects.select_related("goal").get(plan=plan, number="1.3")
    page.locator(f'a[href="/las/mal/{activity.goal_id}/"]').first.click()
    page.wait_for_url(f"**/las/mal/{activity.goal_id}/")
    history = page.locator(f"#akt-{activity.pk}").locator("xpath=..")
    assert "Uppföljning 2017-12-31" in history.inner_text()
    assert "Lejonfastigheter" in history.inner_text()
    assert "Uppföljning 2017-08-31" not in history.inner_text()  # the open interim report
    check_axe(page, "goal")
    screenshot(page, "desktop-04-goal")

    # reports/access.py still lets only staff read reports (the lead moves it to the policy),
    # so the download is made as a reader of the board who is also staff.
    reader = django_user_model.objects.create_user("pdf-ledamot", password="x", is_staff=True)
    BoardMembership.objects.create(user=reader, board=plan.board, role="reader")
    sign_in(page.context, site.url, reader)
    page.reload()
    link = page.get_by_role("link", name="Verksamhetsplan 2017 med uppföljning (PDF)")
    with page.expect_download(timeout=60_000) as download_info:
        link.click()
    download = download_info.value
    path = Path(download.path())
    assert path.read_bytes()[:5] == b"%PDF-"
    assert download.suggested_filename.endswith(".pdf")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    download.save_as(str(ARTIFACTS / "verksamhetsplan-2017.pdf"))


@pytest.mark.django_db(transaction=True)
def test_search_and_keyboard(site):
    """The skip link is the first stop of the keyboard and moves focus to the content; search
    finds activity 1.3's 2017-12-31 follow-up by a word in it, highlighted, and leads to it."""
    page = site()
    page.goto(site.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const el = document.activeElement; const s = getComputedStyle(el);"
        " const r = el.getBoundingClientRect();"
        " return {text: el.textContent, outline: s.outlineStyle, top: r.top}; }"
    )
    assert focused["text"] == "Hoppa till innehållet"
    assert focused["outline"] != "none" and focused["top"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "innehall"

    page.get_by_role("searchbox", name="Sök").first.fill("Lejonfastigheter")
    page.keyboard.press("Enter")
    page.wait_for_url("**/las/sok/?q=Lejonfastigheter")
    assert page.locator(".hit-snippet mark").first.inner_text() == "Lejonfastigheter"
    check_axe(page, "search")
    screenshot(page, "desktop-05-search")

    page.get_by_role("link", name="Uppföljning 2017-12-31 av aktivitet 1.3").first.click()
    page.wait_for_url("**/las/aktivitet/*/#period-*")
    assert "Lejonfastigheter" in page.locator("main").inner_text()
    check_axe(page, "activity")
    screenshot(page, "desktop-06-activity")


@pytest.mark.django_db(transaction=True)
def test_phone_width(site):
    """At 360×740: from the start page, two clicks reach a goal's assessment history and its
    indicator chart; no page scrolls sideways; every page type passes axe."""
    page = site(PHONE)
    plan = site.plans[2019]
    indicator = (
        Indicator.objects.filter(goal__plan=plan, target_value__isnull=False)
        .filter(values__year=2017, values__value__isnull=False)
        .select_related("goal")
        .order_by("order")
        .first()
    )
    page.goto(site.url + "/")
    page.locator(f'a[href="/las/namnd/{plan.board_id}/2019/"]').first.click()  # click 1
    page.locator(f'a[href="/las/mal/{indicator.goal_id}/"]').first.click()  # click 2
    page.wait_for_url(f"**/las/mal/{indicator.goal_id}/")
    assert page.locator("#maluppfyllelse + .follow-up, #maluppfyllelse ~ article").count() >= 1
    chart = page.locator(f'figure[aria-labelledby="fig-{indicator.pk}"]')
    chart.scroll_into_view_if_needed()
    assert chart.is_visible() and chart.locator("svg").first.is_visible()

    activity = Activity.objects.get(plan=site.plans[2017], number="1.3")
    pages = {
        "start": "/",
        "board": f"/las/namnd/{plan.board_id}/",
        "plan-2017": f"/las/namnd/{activity.plan.board_id}/2017/",
        "plan-2019": f"/las/namnd/{plan.board_id}/2019/",
        "goal-2017": f"/las/mal/{activity.goal_id}/",
        "goal-2019": f"/las/mal/{indicator.goal_id}/",
        "activity": f"/las/aktivitet/{activity.pk}/",
        "indicator": f"/las/indikator/{indicator.pk}/",
        "assignments": f"/las/namnd/{plan.board_id}/2019/uppdrag/",
        "year-end": f"/las/namnd/{plan.board_id}/2019/verksamhetsberattelse/",
        "search": "/las/sok/?q=brukarunders%C3%B6kning",
        "login": "/las/logga-in/",
        "not-found": "/las/finns-inte/",
    }
    wide = []
    for number, (name, path) in enumerate(pages.items(), start=1):
        page.goto(site.url + path)
        if not no_horizontal_scroll(page):
            wide.append(name)
        screenshot(page, f"phone-{number:02d}-{name}")
        check_axe(page, f"{name} at 360 px")
    assert not wide, f"pages scrolling sideways at 360 px: {wide}"
