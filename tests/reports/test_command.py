"""`manage.py render_report` writes any report to a file."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_writes_plan_html(tmp_path, plan_2017):
    """--kind plan --format html with --until-date writes the plan up to that date."""
    output = tmp_path / "plan.html"
    call_command(
        "render_report",
        board=str(plan_2017.board_id),
        year=2017,
        kind="plan",
        until_date="2017-08-31",
        format="html",
        output=str(output),
    )
    html = output.read_text(encoding="utf-8")
    assert "Uppföljning 2017-08-31" in html and "Uppföljning 2017-12-31" not in html


def test_writes_year_end_by_board_name(tmp_path, plan_2019):
    """The board can be named; the year-end report is written as HTML."""
    output = tmp_path / "vb.html"
    call_command(
        "render_report",
        "--board=Social- och omsorgsnämnden",
        "--year=2019",
        "--kind=year-end",
        "--format=html",
        f"--output={output}",
    )
    assert "Verksamhetsberättelse 2019" in output.read_text(encoding="utf-8")


def test_unknown_board_or_year(tmp_path, plan_2017):
    """Unknown board or plan year: a CommandError in Swedish."""
    with pytest.raises(CommandError, match="finns inte"):
        call_command("render_report", board="Ingen", year=2017, output=str(tmp_path / "x"))
    with pytest.raises(CommandError, match="ingen verksamhetsplan"):
        call_command(
            "render_report", board=str(plan_2017.board_id), year=1990, output=str(tmp_path / "x")
        )


@pytest.mark.parametrize(
    "kind,model",
    [("action-plan", "actionplans.ActionPlan"), ("quality-report", "qualityreports.QualityReport")],
)
def test_writes_the_kinds_other_apps_register(tmp_path, kind, model):
    """The action plan and the quality report (kinds their apps register in reports/kinds.py)
    are written like this app's reports; a year without one is a CommandError."""
    from django.apps import apps

    document = apps.get_model(model).objects.select_related("board").order_by("pk").first()
    output = tmp_path / "report.html"
    call_command(
        "render_report",
        board=str(document.board_id),
        year=document.year,
        kind=kind,
        format="html",
        output=str(output),
    )
    assert document.title in output.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="ingen"):
        call_command(
            "render_report",
            board=str(document.board_id),
            year=1990,
            kind=kind,
            output=str(tmp_path / "x"),
        )
