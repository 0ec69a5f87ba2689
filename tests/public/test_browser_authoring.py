"""A new plan entered as an office would, in real headless Chromium through the admin and the
workbench, then rendered: every text and forecast printed exactly once, in document order.

The plan (made up, in the shape of a real board's plan): 4 goals in two areas, each with an
introduction of two paragraphs and 3 numbered indicators (12), 7 development assignments
numbered within their goal (continuing the indicator numbers; the fourth goal has none), an
area without a goal of its own with one activity, and a follow-up at 2021-08-31 with 13 rows,
3 of them joint ("1–2", "2–3", "4–5") with their full-year forecasts.

Counted: every form posted (a submission), per goal, for the plan and for the period, and
the time the entry took; both are printed (pytest -s) and checked: one form per goal and one
workbench save for the period, the joint rows written in that save through each row's
"Skriv gemensamt med …" box. The reader's goal pages show every text once, in order.

Runs on the live server like test_browser.py (the module is moved to the end of the run and
loads the seed again when it ends).
"""

import re
import time
from collections import Counter
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from followups.seed import seed_load
from goals.models import ActivityArea, Board, FollowUpPeriod, Goal, MunicipalGoal, Plan
from reports import services

from .conftest import check_axe, sign_in

YEAR = 2021
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
BOARD = "Social- och omsorgsnämnden"

#: The plan: per goal its area, text, indicators (number, text), assignments (number, text)
#: and the follow-up rows at 2021-08-31: (label, items covered, text, forecast).
GOALS = [
    {
        "area": "Område Alfa",
        "text": "Fler invånare ska kunna försörja sig själva",
        "indicators": [
            ("1", "Fler personer ska gå från försörjningsstöd till arbete"),
            ("2", "Färre unga vuxna ska ha långvarigt försörjningsstöd"),
            ("3", "Väntetiden till första besök ska vara högst två veckor"),
        ],
        "assignments": [
            ("4", "Utveckla samarbetet med arbetsmarknadsnämnden"),
            ("5", "Införa digital ansökan om ekonomiskt bistånd"),
        ],
        "rows": [
            (
                "1–2",
                ["i1", "i2"],
                "Alfa ett: övergången till arbete ökar",
                "Prognos alfa ett: målet nås för helåret",
            ),
            (
                "3",
                ["i3"],
                "Alfa tre: väntetiden är nu elva dagar",
                "Prognos alfa tre: väntetiden hålls",
            ),
            (
                "4–5",
                ["a4", "a5"],
                "Alfa fyra: samarbetet och den digitala ansökan har startat",
                "Prognos alfa fyra: båda uppdragen blir klara i december",
            ),
        ],
    },
    {
        "area": "Område Alfa",
        "text": "Barn och unga ska växa upp under trygga förhållanden",
        "indicators": [
            ("1", "Fler barn ska få stöd i hemmet i stället för placering"),
            ("2", "Andelen utredningar klara inom fyra månader ska öka"),
            ("3", "Fler familjehem ska rekryteras i kommunen"),
        ],
        "assignments": [
            ("4", "Starta ett familjehemscentrum med grannkommunerna"),
            ("5", "Följa upp placerade barns skolgång"),
        ],
        "rows": [
            ("1", ["i1"], "Barn ett: stödet i hemmet har byggts ut", "Prognos barn ett: målet nås"),
            (
                "2–3",
                ["i2", "i3"],
                "Barn två: utredningstiderna och rekryteringen förbättras",
                "Prognos barn två: delvis uppfyllt vid årets slut",
            ),
            (
                "4",
                ["a4"],
                "Barn fyra: avtalet med grannkommunerna är undertecknat",
                "Prognos barn fyra: centrumet öppnar i oktober",
            ),
            (
                "5",
                ["a5"],
                "Barn fem: skolgången följs upp varje termin",
                "Prognos barn fem: uppdraget genomförs",
            ),
        ],
    },
    {
        "area": "Område Beta",
        "text": "Äldre ska kunna bo kvar hemma så länge de vill",
        "indicators": [
            ("1", "Fler ska få hemtjänst inom sju dagar"),
            ("2", "Antalet personal per brukare i hemtjänsten ska minska"),
            ("3", "Fler ska vara nöjda med sin hemtjänst"),
        ],
        "assignments": [
            ("4", "Införa nyckelfria lås i hela hemtjänsten"),
            ("5", "Pröva trygghetskameror nattetid"),
            ("6", "Samordna hemtjänst och hemsjukvård"),
        ],
        "rows": [
            (
                "1",
                ["i1"],
                "Äldre ett: sju av tio får hemtjänst inom en vecka",
                "Prognos äldre ett: förbättring men målet nås inte",
            ),
            (
                "2",
                ["i2"],
                "Äldre två: personalkontinuiteten har ökat",
                "Prognos äldre två: målet nås",
            ),
            (
                "3",
                ["i3"],
                "Äldre tre: enkäten genomförs i oktober",
                "Prognos äldre tre: kan inte bedömas ännu",
            ),
            (
                "4",
                ["a4"],
                "Äldre fyra: låsen är installerade i två områden",
                "Prognos äldre fyra: klart i november",
            ),
            (
                "5",
                ["a5"],
                "Äldre fem: försöket har tolv deltagare",
                "Prognos äldre fem: försöket förlängs",
            ),
        ],
    },
    {
        "area": "Område Beta",
        "text": "Medarbetarna ska vilja stanna och utvecklas",
        "indicators": [
            ("1", "Sjukfrånvaron ska minska"),
            ("2", "Fler ska rekommendera arbetsplatsen"),
            ("3", "Personalomsättningen ska vara under tio procent"),
        ],
        "assignments": [],
        "rows": [
            (
                "1",
                ["i1"],
                "Medarbetare ett: sjukfrånvaron är sju procent",
                "Prognos medarbetare ett: målet nås",
            ),
        ],
    },
]
NO_GOAL_AREA = "Område Gamma utan eget mål"
NO_GOAL_ACTIVITY = ("9.1", "Kartlägga behovet av korttidsboende")


def intro(index):
    return (
        f"Inledande stycke om mål nummer {index + 1} och varför det behövs.\n\n"
        f"Andra stycket om hur nämnden arbetar med mål nummer {index + 1}."
    )


class Counts:
    """Form submissions (POSTs of a form) by what they were for."""

    def __init__(self):
        self.by = Counter()

    def submit(self, page, button, what):
        with page.expect_navigation():
            button.click()
        self.by[what] += 1
        errors = page.locator(".errornote, .errorlist")
        assert errors.count() == 0, f"{what}: {errors.all_inner_texts()}"


def select2(page, select_id, term, option_text):
    """Pick `option_text` in the admin's autocomplete (select2) of the select `select_id`."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def add_inline_row(page, prefix):
    """Click the inline's "Lägg till ytterligare …" and return the new row's index."""
    total = page.locator(f"#id_{prefix}-TOTAL_FORMS")
    index = int(total.input_value())
    page.locator(f"#{prefix}-group .add-row a").click()
    assert int(total.input_value()) == index + 1
    return index


@pytest.mark.django_db(transaction=True)
def test_enter_a_plan_through_admin_and_workbench_then_render(browser, live_server, capsys):
    seed_load()
    board = Board.objects.get(name=BOARD)
    for order, name in enumerate(["Område Alfa", "Område Beta", NO_GOAL_AREA], start=101):
        ActivityArea.objects.create(board=board, name=name, order=order)
    municipal = list(
        MunicipalGoal.objects.filter(municipality=board.municipality).order_by("-valid_from")[:3]
    )
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("kontor", password="x" * 12)
    # bypass_csp: axe-core is injected as an inline script (the admin allows none).
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="sv-SE", bypass_csp=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    url = live_server.url
    sign_in(page.context, url, admin)
    counts = Counts()
    started = time.perf_counter()

    # 1. The plan, its goals, the area without a goal and the follow-up period: one form.
    page.goto(url + "/admin/goals/plan/add/")
    select2(page, "id_board", "Social", BOARD)
    page.fill("#id_year", str(YEAR))
    page.fill("#id_title", f"Verksamhetsplan {YEAR}")
    page.fill("#id_decision_paragraph", "§ 140")
    page.fill("#id_diary_number", "SOCN 2020/0123")
    for number, goal in enumerate(GOALS, start=1):
        row = add_inline_row(page, "goals")
        page.fill(f"#id_goals-{row}-order", str(number))
        page.select_option(f"#id_goals-{row}-area", label=goal["area"])
        page.fill(f"#id_goals-{row}-text", goal["text"])
    row = add_inline_row(page, "activities")
    page.select_option(f"#id_activities-{row}-area", label=NO_GOAL_AREA)
    page.fill(f"#id_activities-{row}-number", NO_GOAL_ACTIVITY[0])
    page.fill(f"#id_activities-{row}-text", NO_GOAL_ACTIVITY[1])
    page.select_option(f"#id_activities-{row}-schedule", "T3")
    row = add_inline_row(page, "periods")
    page.select_option(f"#id_periods-{row}-kind", "T2")
    page.fill(f"#id_periods-{row}-date", f"{YEAR}-08-31")
    counts.submit(page, page.locator("input[name=_continue]"), "plan")
    plan = Plan.objects.get(board=board, year=YEAR)
    goals = list(Goal.objects.filter(plan=plan).order_by("order"))
    assert [g.text for g in goals] == [g["text"] for g in GOALS]

    # 2. Each goal's form: introduction, numbered indicators, links, assignments.
    for index, (goal, spec) in enumerate(zip(goals, GOALS, strict=True)):
        page.goto(url + f"/admin/goals/goal/{goal.pk}/change/")
        page.fill("#id_intro", intro(index))
        for order, (number, text) in enumerate(spec["indicators"], start=1):
            row = add_inline_row(page, "indicator_items")
            page.fill(f"#id_indicator_items-{row}-order", str(order))
            page.fill(f"#id_indicator_items-{row}-number", number)
            page.fill(f"#id_indicator_items-{row}-text", text)
        for order, municipal_goal in enumerate(municipal[: 1 + index % 2], start=1):
            row = add_inline_row(page, "municipal_goal_links")
            page.fill(f"#id_municipal_goal_links-{row}-order", str(order))
            select2(
                page,
                f"id_municipal_goal_links-{row}-municipal_goal",
                municipal_goal.title[:12],
                municipal_goal.title[:40],
            )
        for number, text in spec["assignments"]:
            row = add_inline_row(page, "assignments")
            page.fill(f"#id_assignments-{row}-number", number)
            page.fill(f"#id_assignments-{row}-text", text)
        counts.submit(page, page.locator("input[name=_save]"), f"goal {index + 1}")

    # 3. The workbench: every row's follow-up and full-year forecast, one save. A joint row
    # is written at its first item, whose "Skriv gemensamt med …" box gets the others ticked
    # (by keyboard), in the same save. Every box is found by its label, as a screen reader
    # user would: the labels name the row ("Uppföljning, Indikator 1").
    period = FollowUpPeriod.objects.get(plan=plan)
    items = {}
    for goal in goals:
        goal.refresh_from_db()
        items[goal.pk] = {
            **{f"i{i.number}": i for i in goal.indicator_items.all()},
            **{f"a{a.number}": a for a in goal.assignments.all()},
        }
    page.goto(url + f"/uppfoljning/{period.pk}/")
    check_axe(page, "workbench", "#content-main form:not(#ready-form)")
    for goal, spec in zip(goals, GOALS, strict=True):
        for _label, covered, text, forecast in spec["rows"]:
            first = items[goal.pk][covered[0]]
            kind = "indicator_item" if covered[0].startswith("i") else "assignment"
            word = "Indikator" if kind == "indicator_item" else "Utvecklingsuppdrag"
            row = page.locator(f"tr#{kind}-{first.pk}")
            row.get_by_label(f"Uppföljning, {word} {first.number}", exact=True).fill(text)
            row.get_by_label(f"Bedömning helår, {word} {first.number}", exact=True).fill(forecast)
            if len(covered) > 1:
                box = row.get_by_role(
                    "group", name=f"Skriv gemensamt med … ({word} {first.number})"
                )
                for key in covered[1:]:
                    other = items[goal.pk][key]
                    checkbox = box.get_by_role("checkbox", name=f"{other.number}. {other.text}")
                    checkbox.focus()
                    page.keyboard.press("Space")
                    assert checkbox.is_checked()
    counts.submit(page, page.locator("input[type=submit]").first, "workbench 2021-08-31")
    # The joint rows are one row each now, numbered by what they cover; the items they cover
    # have no row of their own.
    for goal, spec in zip(goals, GOALS, strict=True):
        for label, covered, _text, _forecast in spec["rows"]:
            kind = "indicator_item" if covered[0].startswith("i") else "assignment"
            row = page.locator(f"tr#{kind}-{items[goal.pk][covered[0]].pk}")
            assert label in row.locator(".kind").first.inner_text()
            for key in covered[1:]:
                other_kind = "indicator_item" if key.startswith("i") else "assignment"
                assert page.locator(f"tr#{other_kind}-{items[goal.pk][key].pk}").count() == 0
    elapsed = time.perf_counter() - started

    # 5. Rendered: the plan (HTML, and the PDF made from the same HTML) and the reader.
    client = Client()
    client.force_login(admin)
    response = client.get(f"/rapporter/{board.pk}/{YEAR}/verksamhetsplan/?till={YEAR}-08-31")
    assert response.status_code == 200
    html = response.content.decode()
    pdf = services.write_pdf(html)
    from pypdf import PdfReader

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "plan-authoring.html").write_text(html, "utf-8")
    (ARTIFACTS / "plan-authoring.pdf").write_bytes(pdf)
    # The table of contents repeats the goals' texts: it is left out of the count.
    pdf_pages = [page_.extract_text() for page_ in PdfReader(BytesIO(pdf)).pages]
    pdf_text = " ".join(t for t in pdf_pages if not re.search(r"(?m)^\s*Innehåll\s*$", t))
    # Words the layout hyphenated at a line end ("hel‐/året") are joined again.
    pdf_text = re.sub(r"[\u2010\u00ad]\n", "", pdf_text)
    html_text = re.sub(r"<[^>]+>", " ", re.sub(r'(?s)<nav class="toc".*?</nav>', " ", html))
    expected = []
    for index, spec in enumerate(GOALS):
        expected.append(spec["text"])
        expected.extend(intro(index).split("\n\n"))
        expected.extend(text for _n, text in spec["indicators"])
        expected.extend(text for _n, text in spec["assignments"])
        for _label, _covered, text, forecast in spec["rows"]:
            expected.extend([text, forecast])
    expected.append(NO_GOAL_ACTIVITY[1])
    for name, text in (("HTML", html_text), ("PDF", pdf_text)):
        flat = " ".join(text.split())
        positions = []
        for words in expected:
            assert flat.count(words) == 1, f"{name}: {words!r} appears {flat.count(words)} times"
            positions.append(flat.index(words))
        goal_starts = [positions[expected.index(g["text"])] for g in GOALS]
        assert goal_starts == sorted(goal_starts), name
        for spec in GOALS:
            rows = [positions[expected.index(r[2])] for r in spec["rows"]]
            assert rows == sorted(rows), f"{name}: follow-up rows out of order"
    for spec in GOALS:
        for label, covered, _text, _forecast in spec["rows"]:
            if len(covered) > 1:
                assert label in html_text, f"joint row label {label} missing"
    # The reader's goal pages: each goal's texts and forecasts once each, in order, the joint
    # rows labelled by what they cover; no other goal's follow-up.
    others = {
        t for spec in GOALS for _l, _c, text, forecast in spec["rows"] for t in (text, forecast)
    }
    for goal, spec in zip(goals, GOALS, strict=True):
        response = client.get(reverse("public:goal", args=[goal.pk]))
        assert response.status_code == 200
        page_text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
        own = [t for _l, _c, text, forecast in spec["rows"] for t in (text, forecast)]
        positions = []
        for words in own:
            assert page_text.count(words) == 1, f"goal page: {words!r} {page_text.count(words)}x"
            positions.append(page_text.index(words))
        assert positions == sorted(positions), f"goal page of {spec['text']}: out of order"
        assert not [t for t in others - set(own) if t in page_text]
        for label, covered, _text, _forecast in spec["rows"]:
            if len(covered) > 1:
                assert label in page_text

    per_goal = {what: n for what, n in counts.by.items() if what.startswith("goal")}
    with capsys.disabled():
        print(
            f"\nPlan entry: {sum(counts.by.values())} submissions in {elapsed:.1f} s: "
            + ", ".join(f"{what} {n}" for what, n in counts.by.items())
        )
    # One form per goal; every follow-up, joint ones included, in one workbench save.
    assert per_goal == {f"goal {n}": 1 for n in range(1, len(GOALS) + 1)}
    assert counts.by["workbench 2021-08-31"] == 1
    assert sum(counts.by.values()) == 1 + len(GOALS) + 1
    context.close()
