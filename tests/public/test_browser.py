"""The public reader end to end in real headless Chromium (Playwright), with axe-core checks.

Runs on pytest-django's live server. Its transactional test case flushes the database after
each test, so each test loads the seed itself, and the module loads it once more at its end
(tests/public/conftest.py moves this module to the end of the run). Screenshots of every
page are saved under artifacts/screenshots/.

Needs Debian's chromium (/usr/bin/chromium) and axe-core from npm (node_modules/); scripts/test
installs both. Without them the tests are skipped, except on CI, where they fail.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from access.models import BoardMembership
from activities.models import Activity
from followups.seed import seed_load
from goals.models import Plan
from indicators.models import Indicator

from .conftest import publish

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def _require(path: Path, what: str):
    if not path.exists():
        pytest.fail(f"{what} is missing ({path}); scripts/test installs it")


@pytest.fixture(scope="module")
def _seed_again_afterwards(django_db_setup, django_db_blocker):
    """The live server's flush leaves the database empty: load the seed for later tests."""
    yield
    with django_db_blocker.unblock():
        seed_load()


@pytest.fixture(scope="module")
def browser(_seed_again_afterwards):
    """Headless Debian Chromium, for the whole module."""
    _require(CHROMIUM, "Chromium")
    _require(AXE, "axe-core")
    from playwright.sync_api import sync_playwright

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


def check_axe(page, name):
    """Run axe-core on the page: no WCAG 2.0/2.1 A or AA violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert not problems, f"axe on {name}:\n" + "\n".join(problems)


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def _sign_in(page, live_url, user):
    """Give the browser a session of `user` (made by Django's test client)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_url}]
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
    _sign_in(page, site.url, reader)
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
