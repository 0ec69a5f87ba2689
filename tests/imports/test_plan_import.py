"""A whole plan as one sheet: the export of a plan imports as next year's plan with the same
structure; the template is downloadable; the import previews, confirms all or nothing and
names every problem in Swedish by row and column."""

import pytest
from django.urls import reverse

from activities.plan_resource import HEADERS, plan_xlsx
from goals.models import Plan
from tests.imports.conftest import confirm, problems, read_xlsx, token, upload, xlsx
from tests.plan_shape import plan_structure

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:goals_plan_import")


@pytest.mark.parametrize("fixture", ["plan_2017", "plan_2019"])
def test_export_imports_as_next_years_plan_with_the_same_structure(admin_client, request, fixture):
    """Export → import "as the plan for the next year": preview, confirm, and the new plan
    has the old one's goals, introductions, numbered indicators, links, assignments,
    activities and narrative sections, each in its place (before its goal) — 0 differences."""
    plan = request.getfixturevalue(fixture)
    data = admin_client.get(reverse("admin:goals_plan_export", args=[plan.pk]))
    assert data.status_code == 200
    assert data["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    year = plan.year + 1
    preview = upload(admin_client, IMPORT, data.content, as_year=year)
    assert problems(preview) == []
    assert token(preview) and preview.context["result"].change_count > 1
    assert not Plan.objects.filter(board=plan.board, year=year).exists()  # a preview only
    response = confirm(admin_client, IMPORT, preview)
    assert response.status_code == 302
    new_plan = Plan.objects.get(board=plan.board, year=year)
    assert new_plan.adopted_on is None
    assert plan_structure(new_plan) == plan_structure(plan)
    placed = new_plan.sections.filter(before_goal__isnull=False).select_related("before_goal")
    assert {s.before_goal.plan_id for s in placed} <= {new_plan.pk}
    if fixture == "plan_2017":  # the 2019 plan's sections are its year-end report's
        assert len(plan_structure(plan)["sections"]) == 14  # 5 plan-wide, 7 areas, 2 before goals
        assert {s.title: s.before_goal.order for s in placed} == {"FoU-centrum": 6, "E-hälsa": 7}
    # And back: the new plan exports to the same rows, but for its year.
    headers, rows = read_xlsx(plan_xlsx(new_plan))
    old_headers, old_rows = read_xlsx(plan_xlsx(plan))
    assert headers == old_headers == HEADERS
    assert [r[2:] for r in rows[1:]] == [r[2:] for r in old_rows[1:]]


def test_template_and_links(admin_client):
    """The plan list links the import page and the template; the template has the columns
    and imports cleanly into a board that has the areas it names."""
    page = admin_client.get(reverse("admin:goals_plan_changelist")).content.decode()
    assert IMPORT in page and reverse("admin:goals_plan_template") in page
    assert "Importera verksamhetsplan" in page
    template = admin_client.get(reverse("admin:goals_plan_template"))
    headers, rows = read_xlsx(template.content)
    assert headers == HEADERS
    assert {r[2] for r in rows} == {
        "Plan",
        "Mål",
        "Indikator",
        "Koppling",
        "Uppdrag",
        "Aktivitet",
        "Avsnitt",
    }
    page = admin_client.get(IMPORT).content.decode()
    assert "Som verksamhetsplan för år" in page and "Kolumner: Nämnd, År, Typ" in page


def test_problems_are_named_and_nothing_is_saved(admin_client, plan_2017):
    """Unknown kind, a goal number the file lacks, an unknown area, a bad activity number and
    a plan that exists: each named by row and column in Swedish; nothing is saved."""
    board = plan_2017.board.name
    rows = [
        [board, 2030, "Plan", None, None, None, "Verksamhetsplan 2030"],
        [board, 2030, "Mål", 1, None, None, "Ett mål"],
        [board, 2030, "Indikator", 2, "1", 1, "Indikator till ett mål som saknas"],
        [board, 2030, "Aktivitet", None, "x.1", None, "Utan mål", None, "Okänt område"],
        [board, 2030, "Sak", None, None, None, "Okänd typ"],
        [board, 2017, "Mål", 1, None, None, "Planen finns"],
    ]
    count = Plan.objects.count()
    preview = upload(admin_client, IMPORT, xlsx(HEADERS, rows))
    found = problems(preview)
    assert "Rad 4, kolumn ”Mål nr”: Filen har inget mål (Typ Mål) nr 2." in found
    assert any(p.startswith("Rad 5, kolumn ”Nummer”: Numret ska") or "Rad 5" in p for p in found)
    assert any("Rad 5" in p and "Okänt område" in p for p in found)
    assert any(p.startswith("Rad 6, kolumn ”Typ”: Skriv något av Plan, Mål") for p in found)
    assert any(
        p.startswith("Rad 7, kolumn ”År”: Omsorgsnämnden har redan en verksamhetsplan för 2017")
        for p in found
    )
    assert token(preview) is None
    assert Plan.objects.count() == count


def test_editor_of_another_board_may_not_import_or_export(son_client, plan_2017):
    """An editor of Social- och omsorgsnämnden cannot export Omsorgsnämnden's plan nor
    import a plan for it."""
    response = son_client.get(reverse("admin:goals_plan_export", args=[plan_2017.pk]))
    assert response.status_code in (302, 403, 404)
    rows = [[plan_2017.board.name, 2031, "Mål", 1, None, None, "Mål"]]
    preview = upload(son_client, IMPORT, xlsx(HEADERS, rows))
    assert any("Omsorgsnämnden" in p for p in problems(preview))
    assert not Plan.objects.filter(year=2031).exists()


def test_plan_export_queries_do_not_grow(admin_client, plan_2019):
    """The plan's sheet is read in the same number of queries for 1 or 11 more goals with
    their indicators, links, assignments and activities."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from activities.models import Activity, Assignment
    from goals.models import Goal, GoalIndicatorItem, GoalMunicipalGoal, MunicipalGoal

    municipal = MunicipalGoal.objects.first()
    url = reverse("admin:goals_plan_export", args=[plan_2019.pk])

    def add(count, start):
        for n in range(start, start + count):
            goal = Goal.objects.create(plan=plan_2019, text=f"Mål {n}", order=100 + n)
            GoalIndicatorItem.objects.create(goal=goal, number="1", text="Ind", order=1)
            GoalMunicipalGoal.objects.create(goal=goal, municipal_goal=municipal, order=1)
            Assignment.objects.create(plan=plan_2019, goal=goal, number="2", text="Upp")
            Activity.objects.create(goal=goal, number=f"{100 + n}.1", text="Akt", schedule="T3")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(url).status_code == 200
        return len(ctx)

    add(1, 0)
    small = count()
    add(10, 1)
    assert count() == small
